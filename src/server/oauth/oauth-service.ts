/** The OAuth connect and reauthorize flows (S-CONN-1…5) behind mailAccounts:authorize and mailAccounts:complete. */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { AuthorizeInput, AuthorizeResult, CompleteInput as CompleteRequest, CompleteResult } from '../../shared/accounts-api';
import { ACCOUNT_CONNECTED_EVENT, COLLECTIONS, DEFAULT_SYNC_WINDOW_DAYS, OAUTH_REQUEST_TTL_MS } from '../constants';
import { rawRow } from '../db-types';
import { UserError } from '../errors';
import type { AccountService } from '../accounts/account-service';
import { toAccountView } from '../accounts/account-view';
import { isProviderName, PROVIDERS } from '../providers/registry';
import { NoMailboxError, ProviderClientError, ProviderUnavailableError } from '../providers/types';
import { SecretBox } from '../secrets';
import { createPkce, newRequestId, parseState, signState, stateKey, verifyState } from './state';

export const STATE_EXPIRED_MESSAGE = 'The authorization link has expired';

/** A request's values as sent (src/shared/accounts-api.ts), every field still to be checked. */
type Unchecked<T> = { [K in keyof T]?: unknown };
export type StartInput = Unchecked<AuthorizeInput>;
export type CompleteInput = Unchecked<CompleteRequest>;

/**
 * The connect and reauthorize flows (S-CONN-1…5): a signed, single-use, user-bound `state` that
 * expires in 10 minutes, PKCE, the code exchanged on the server, the account created for the user
 * who started the flow. Nothing is stored unless every check passes.
 */
export class OAuthService {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
    private readonly secrets: SecretBox,
  ) {}

  private get requests() {
    return this.app.db.getRepository(COLLECTIONS.oauthRequests);
  }

  /** Read at each use: 503 with what to set when the app has no real APP_KEY (state.ts). */
  private get key() {
    return stateKey();
  }

  async start(userId: number, input: StartInput, redirectUri: string): Promise<AuthorizeResult> {
    const key = this.key;
    let provider = input.provider;
    let loginHint: string | undefined;
    let accountId: number | null = null;
    if (input.accountId != null) {
      const account = await this.accounts.owned(userId, input.accountId);
      provider = account.get('provider');
      loginHint = account.get('email');
      accountId = account.get('id');
    }
    if (!isProviderName(provider)) throw new UserError('Choose Gmail or Outlook', 400, 'provider');
    // A server-login account (IMAP) has no consent page: its password is entered again instead.
    if (PROVIDERS[provider].capabilities.signIn !== 'oauth') throw new UserError('Choose Gmail or Outlook', 400, 'provider');
    const client = await this.accounts.provider(provider, redirectUri);
    const requestId = newRequestId();
    const { codeVerifier, codeChallenge } = createPkce();
    const state = signState(key, requestId, userId, provider);
    const url = await client.authUrl({ state, codeChallenge, loginHint });
    await this.requests.create({
      values: {
        id: requestId,
        userId,
        provider,
        accountId,
        codeVerifier: await this.secrets.seal(codeVerifier),
        redirectUri,
        syncStartDate: input.syncStartDate != null ? parseStartDate(input.syncStartDate) : null,
        expiresAt: new Date(Date.now() + OAUTH_REQUEST_TTL_MS),
      },
    });
    await this.requests.destroy({ filter: { expiresAt: { $lt: new Date(Date.now() - OAUTH_REQUEST_TTL_MS) } } });
    return { url, state, provider };
  }

  async complete(userId: number, input: CompleteInput): Promise<CompleteResult> {
    const request = await this.claim(userId, input.state);
    const provider = request.get('provider');
    if (input.error != null) {
      if (input.error === 'access_denied') {
        // The return page offers "Try again" with the same provider and start date (S-ERR-5).
        const syncStartDate = request.get('syncStartDate');
        throw new UserError('Authorization was cancelled', 400, 'access_denied', undefined, {
          provider,
          ...(request.get('accountId') ? { accountId: request.get('accountId') } : {}),
          ...(syncStartDate ? { syncStartDate: new Date(syncStartDate).toISOString() } : {}),
        });
      }
      const detail = typeof input.error_description === 'string' ? input.error_description : String(input.error);
      throw new UserError('The provider refused the authorization: {{detail}}', 400, String(input.error), { detail });
    }
    if (typeof input.code !== 'string' || !input.code || input.code.length > 4096) {
      throw new UserError('The provider returned no authorization code', 400, 'code');
    }
    const client = await this.accounts.provider(provider, request.get('redirectUri'));
    const codeVerifier = (await this.secrets.open(await this.hiddenVerifier(request.get('id'))))!;
    let exchanged;
    try {
      exchanged = await client.exchangeCode(input.code, codeVerifier);
    } catch (error) {
      throw toUserError(error);
    }

    const accountId = request.get('accountId');
    if (accountId) {
      const account = await this.accounts.owned(userId, accountId);
      const updated = await this.accounts.reauthorize(account, exchanged.profile, exchanged.tokens);
      this.app.emit(ACCOUNT_CONNECTED_EVENT, { accountId: updated.get('id'), created: false });
      return { account: toAccountView(updated), created: false, reauthorized: true };
    }
    const syncStartDate =
      input.syncStartDate != null ? parseStartDate(input.syncStartDate) : request.get('syncStartDate') || defaultStartDate();
    const { account, created } = await this.accounts.connect({
      userId,
      provider,
      profile: exchanged.profile,
      credentials: exchanged.tokens,
      syncStartDate,
    });
    // Providers without aliases (Outlook) answer an empty list without a call.
    await this.accounts.syncAliases(account).catch((error) => {
      this.app.log.warn(`email-manager: alias sync after connect failed: ${error.message}`, { module: 'email-manager' });
    });
    this.app.emit(ACCOUNT_CONNECTED_EVENT, { accountId: account.get('id'), created });
    return { account: toAccountView(await this.accounts.owned(userId, account.get('id'))), created, reauthorized: !created };
  }

  /**
   * Checks the state and marks its request used, in one conditional update: of two concurrent
   * completions only one wins. A state of another user is refused without being consumed.
   */
  private async claim(userId: number, state: unknown) {
    const parsed = parseState(state);
    if (!parsed) throw new UserError(STATE_EXPIRED_MESSAGE, 400, 'state');
    const request = await this.requests.findOne({ filterByTk: parsed.requestId });
    if (!request) throw new UserError(STATE_EXPIRED_MESSAGE, 400, 'state');
    if (!verifyState(this.key, state as string, request.get('userId'), request.get('provider'))) {
      throw new UserError(STATE_EXPIRED_MESSAGE, 400, 'state');
    }
    if (String(request.get('userId')) !== String(userId)) {
      throw new UserError('This authorization was started by another user', 403, 'state');
    }
    const model = this.app.db.getCollection(COLLECTIONS.oauthRequests).model;
    const [claimed] = await model.update(
      { usedAt: new Date() },
      { where: { id: parsed.requestId, usedAt: null, expiresAt: { [Op.gt]: new Date() } } },
    );
    if (claimed !== 1) throw new UserError(STATE_EXPIRED_MESSAGE, 400, 'state');
    return request;
  }

  private async hiddenVerifier(requestId: string): Promise<string | undefined> {
    const model = this.app.db.getCollection(COLLECTIONS.oauthRequests).model;
    const row = rawRow<{ codeVerifier: string }>(await model.findByPk(requestId, { attributes: ['codeVerifier'], raw: true }));
    return row?.codeVerifier;
  }
}

/** Default sync window (S-CONN-2): mail of the past DEFAULT_SYNC_WINDOW_DAYS. */
export function defaultStartDate() {
  return new Date(Date.now() - DEFAULT_SYNC_WINDOW_DAYS * 24 * 3600 * 1000);
}

/** A start date from the UI: a valid date, not in the future (S-CONN-2). */
export function parseStartDate(value: unknown): Date {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new UserError('The sync start date is not a date', 400, 'syncStartDate');
  if (date.getTime() > Date.now() + 60_000) {
    throw new UserError('The sync start date cannot be in the future', 400, 'syncStartDate');
  }
  return date;
}

/** Provider failures during the exchange, as messages the return page can show. */
function toUserError(error: unknown): Error {
  if (error instanceof UserError) return error;
  if (error instanceof NoMailboxError) return new UserError(error.message, 400, 'mailbox');
  if (error instanceof ProviderUnavailableError) return new UserError(error.message, 502, 'provider');
  if (error instanceof ProviderClientError) return new UserError(error.message, 400, 'client');
  const message = error instanceof Error ? error.message : String(error);
  return new UserError('The authorization could not be completed: {{message}}', 400, 'code', { message });
}
