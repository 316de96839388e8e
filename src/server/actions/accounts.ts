import type { AccountService } from '../accounts/account-service';
import type { OAuthService } from '../oauth/oauth-service';
import { PROVIDERS } from '../providers/registry';
import type { SettingsService } from '../settings/settings-service';
import { unredactedValues } from './redact';
import { respond } from './respond';
import { redirectUriOf } from './settings';

type Next = () => Promise<void>;

const userIdOf = (ctx: any): number => ctx.state.currentUser?.id;
const valuesOf = (ctx: any) => ctx.action?.params?.values || {};

/** The OAuth return carries a one-time code; keep it out of the request log. */
export const ACCOUNT_SECRET_FIELDS = { 'mailAccounts:complete': ['code'] };

/** Account actions; each acts on the signed-in user's own accounts only (S-ACL-3). */
export function accountActions(accounts: AccountService, oauth: OAuthService, settings: SettingsService) {
  const action = (body: (ctx: any) => Promise<unknown>) => async (ctx: any, next: Next) => {
    await respond(ctx, () => body(ctx));
    await next();
  };
  return {
    'mailAccounts:listOwn': action((ctx) => accounts.list(userIdOf(ctx))),
    /** Which providers the admin configured, for the Connect buttons (S-CONF-4). */
    'mailAccounts:providers': action(async () => {
      const view = await settings.view('');
      return Object.fromEntries(
        Object.entries(PROVIDERS).map(([name, p]) => [name, p.credentials === 'google' ? view.googleConfigured : view.microsoftConfigured]),
      );
    }),
    'mailAccounts:authorize': action((ctx) => oauth.start(userIdOf(ctx), valuesOf(ctx), redirectUriOf(ctx))),
    'mailAccounts:complete': action((ctx) => oauth.complete(userIdOf(ctx), (unredactedValues(ctx) as Record<string, unknown>) || {})),
    'mailAccounts:syncAliases': action(async (ctx) => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      return { aliases: await accounts.syncAliases(account) };
    }),
    'mailAccounts:remove': action(async (ctx) => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      await accounts.remove(account);
      return { removed: account.get('id') };
    }),
  };
}
