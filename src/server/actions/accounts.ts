/** The account actions of src/shared/accounts-api.ts: list, connect (authorize/complete), aliases, workflow access, remove. */
import type { Context } from '@nocobase/actions';
import {
  ACCOUNT_ACTIONS,
  type AccountView,
  type AuthorizeResult,
  type CompleteResult,
  type ProvidersConfigured,
  type RemoveResult,
  type ServerAccountInput,
  type ServerTestResult,
  type SyncAliasesResult,
} from '../../shared/accounts-api';
import type { AccountService } from '../accounts/account-service';
import type { OAuthService } from '../oauth/oauth-service';
import type { ServerAccounts } from '../accounts/server-accounts';
import { booleanOf } from '../compose/text-input';
import { PROVIDERS } from '../providers/registry';
import type { SettingsService } from '../settings/settings-service';
import { unredactedValues } from './redact';
import { action, userIdOf } from './respond';
import { redirectUriOf } from './settings';

const valuesOf = (ctx: Context) => ctx.action?.params?.values || {};

/** The OAuth return carries a one-time code; keep it out of the request log. */
export const ACCOUNT_SECRET_FIELDS = {
  [ACCOUNT_ACTIONS.complete]: ['code'],
  // A mail server's password (S-IMAP-1).
  [ACCOUNT_ACTIONS.testServer]: ['password'],
  [ACCOUNT_ACTIONS.connectServer]: ['password'],
};

/** Account actions; each acts on the signed-in user's own accounts only (S-ACL-3). */
export function accountActions(accounts: AccountService, oauth: OAuthService, settings: SettingsService, servers: ServerAccounts) {
  const serverInput = (ctx: Context) => ((unredactedValues(ctx) as ServerAccountInput | undefined) || {});
  return {
    [ACCOUNT_ACTIONS.listOwn]: action((ctx): Promise<AccountView[]> => accounts.list(userIdOf(ctx))),
    /** Which providers the admin configured, for the Connect buttons (S-CONF-4). */
    [ACCOUNT_ACTIONS.providers]: action(async (): Promise<ProvidersConfigured> => {
      const view = await settings.view('');
      const configured = { google: view.googleConfigured, microsoft: view.microsoftConfigured };
      return Object.fromEntries(
        Object.entries(PROVIDERS).map(([name, p]) => [name, p.credentials ? configured[p.credentials] : view.imapEnabled]),
      ) as ProvidersConfigured;
    }),
    [ACCOUNT_ACTIONS.authorize]: action((ctx): Promise<AuthorizeResult> => oauth.start(userIdOf(ctx), valuesOf(ctx), redirectUriOf(ctx))),
    [ACCOUNT_ACTIONS.complete]: action(
      (ctx): Promise<CompleteResult> => oauth.complete(userIdOf(ctx), (unredactedValues(ctx) as Record<string, unknown>) || {}),
    ),
    [ACCOUNT_ACTIONS.testServer]: action((ctx): Promise<ServerTestResult> => servers.test(userIdOf(ctx), serverInput(ctx))),
    [ACCOUNT_ACTIONS.connectServer]: action((ctx): Promise<CompleteResult> => servers.connect(userIdOf(ctx), serverInput(ctx))),
    [ACCOUNT_ACTIONS.syncAliases]: action(async (ctx): Promise<SyncAliasesResult> => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      return { aliases: await accounts.syncAliases(account) };
    }),
    /** The owner's consent for workflows (S-WF-1/2); only the owner can give or withdraw it. */
    [ACCOUNT_ACTIONS.setWorkflowAccess]: action(async (ctx): Promise<AccountView> => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      return accounts.setWorkflowAccess(account, booleanOf(valuesOf(ctx).allowed, 'allowed'));
    }),
    [ACCOUNT_ACTIONS.remove]: action(async (ctx): Promise<RemoveResult> => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      await accounts.remove(account);
      return { removed: account.get('id') };
    }),
  };
}
