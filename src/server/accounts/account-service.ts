import fs from 'node:fs/promises';
import type Application from '@nocobase/server';
import { COLLECTIONS, TOKEN_REFRESH_MARGIN_MS } from '../constants';
import { type AccountRow, type IdRow, type Model, rawRow, rawRows, type Transaction } from '../db-types';
import { UserError } from '../errors';
import { PROVIDERS } from '../providers/registry';
import {
  Credentials,
  isPasswordLogin,
  MailboxProfile,
  MailboxSession,
  MailProvider,
  oauthTokens,
  PasswordLogin,
  ProviderClientError,
  ProviderName,
  ReauthorizeError,
  TokenRejectedError,
  Tokens,
} from '../providers/types';
import { SecretBox } from '../secrets';
import { AccountState } from '../sync/account-state';
import type { SettingsService } from '../settings/settings-service';
import { AccountView, toAccountView } from './account-view';
import { attachmentCacheDir } from '../messages/attachment-service';
import { assertServersAllowed } from './server-policy';

/** Mail ids per DELETE of their label links: far below every dialect's parameter limit. */
const ID_CHUNK = 500;

/** The rows of an account's own data, deleted with it (S-CONN-6). */
const OWNED_BY_ACCOUNT = [COLLECTIONS.attachments, COLLECTIONS.notes, COLLECTIONS.participants, COLLECTIONS.messages, COLLECTIONS.syncLogs, COLLECTIONS.sendRequests, COLLECTIONS.signatures, COLLECTIONS.workflowFirings];


/** Columns stored beside the sealed credentials: the OAuth scopes, or a server login's servers (never the password). */
function storedWith(credentials: Credentials) {
  if (!isPasswordLogin(credentials)) return { scopes: credentials.scopes };
  const { username, imap, smtp } = credentials;
  return { scopes: [], server: { username, imap, smtp } };
}

export class AccountService {
  /** The one writer of status and sync state. */
  readonly state: AccountState;

  constructor(
    private readonly app: Application,
    private readonly settings: SettingsService,
    readonly secrets: SecretBox,
  ) {
    this.state = new AccountState(app);
  }

  private get repository() {
    return this.app.db.getRepository(COLLECTIONS.accounts);
  }

  /** The provider client with the admin's credentials; 400 when the admin has not set them. */
  async provider(name: ProviderName, redirectUri = ''): Promise<MailProvider> {
    const entry = PROVIDERS[name];
    // Server-login providers need no app credentials: the admin's switch is checked per call (withCredentials).
    if (!entry.credentials) return entry.create(null);
    const credentials = await this.settings.credentials(entry.credentials);
    if (!credentials) throw new UserError('Email is not configured yet. Ask your administrator.', 400, 'provider');
    return entry.create({ ...credentials, redirectUri });
  }

  private capabilitiesOf(account: Model) {
    return PROVIDERS[account.get('provider') as ProviderName].capabilities;
  }

  async list(userId: number): Promise<AccountView[]> {
    const rows = await this.repository.find({ filter: { userId }, sort: ['id'] });
    return rows.map(toAccountView);
  }

  async ownedModels(userId: number): Promise<Model[]> {
    return this.repository.find({ filter: { userId }, sort: ['id'] });
  }

  /** The user's own account, or 404: another user's account is indistinguishable from none. */
  async owned(userId: number, accountId: unknown): Promise<Model> {
    const id = Number(accountId);
    const account = Number.isInteger(id) && id > 0 ? await this.repository.findOne({ filter: { id, userId } }) : null;
    if (!account) throw new UserError('Mail account not found', 404);
    return account;
  }

  /** Any user's account by id (background jobs), or null. */
  async byId(accountId: number): Promise<Model | null> {
    return this.repository.findOne({ filterByTk: accountId });
  }

  async findByAddress(userId: number, provider: ProviderName, email: string): Promise<Model | null> {
    return this.repository.findOne({ filter: { userId, provider, email: email.toLowerCase() } });
  }

  /**
   * Creates the account, or, when the user already has this address, updates its tokens and
   * restores it (S-CONN-4/5): data and cursors are kept.
   */
  async connect(input: { userId: number; provider: ProviderName; profile: MailboxProfile; credentials: Credentials; syncStartDate: Date }) {
    const credentials = await this.secrets.sealJson(input.credentials);
    const existing = await this.findByAddress(input.userId, input.provider, input.profile.email);
    const values = {
      credentials,
      ...storedWith(input.credentials),
      displayName: input.profile.displayName ?? existing?.get('displayName') ?? null,
    };
    if (existing) {
      await this.state.connected(existing.get('id'), values);
      return { account: await this.repository.findOne({ filterByTk: existing.get('id') }), created: false };
    }
    const account = await this.repository.create({
      values: {
        ...values,
        ...AccountState.created(),
        userId: input.userId,
        provider: input.provider,
        email: input.profile.email.toLowerCase(),
        syncStartDate: input.syncStartDate,
      },
    });
    return { account, created: true };
  }

  /** Replaces the tokens (or server login) of a reauthorized account; the address must be the same (S-CONN-5). */
  async reauthorize(account: Model, profile: MailboxProfile, credentials: Credentials) {
    if (profile.email.toLowerCase() !== String(account.get('email')).toLowerCase()) {
      throw new UserError('Account not found, the email address does not match the current user.', 400);
    }
    await this.state.connected(account.get('id'), {
      credentials: await this.secrets.sealJson(credentials),
      ...storedWith(credentials),
      ...(profile.displayName ? { displayName: profile.displayName } : {}),
    });
    return this.repository.findOne({ filterByTk: account.get('id') });
  }

  /**
   * Runs a provider call with valid credentials. OAuth tokens are refreshed ahead of expiry, and
   * once more when the call answers 401; a refused grant sets the account to `reauthorize`
   * (S-SYNC-9), a refused client secret to `error` (S-CONF-9). A server login goes through
   * withServerLogin.
   */
  async withCredentials<T>(account: Model, call: (provider: MailProvider, credentials: Credentials) => Promise<T>, client?: MailProvider): Promise<T> {
    // A long run passes its own client, so its call count covers the whole run.
    const provider = client ?? (await this.provider(account.get('provider')));
    const credentials = await this.credentialsOf(account);
    if (isPasswordLogin(credentials)) return this.withServerLogin(account, credentials, (login) => call(provider, login));
    let tokens: Tokens = credentials;
    if (tokens.expiresAt - Date.now() < TOKEN_REFRESH_MARGIN_MS) tokens = await this.refresh(account, provider, tokens);
    try {
      return await call(provider, tokens);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      // Revoked or expired early: refresh once. If the refresh works but the new token is refused
      // too, the grant no longer covers the mailbox.
      tokens = await this.refresh(account, provider, tokens);
      try {
        return await call(provider, tokens);
      } catch (retryError) {
        if (retryError instanceof TokenRejectedError) await this.state.markReauthorize(account.get('id'));
        throw retryError;
      }
    }
  }

  /**
   * Runs `call` on a session of the account's mailbox, with valid tokens (as withCredentials). A long
   * run passes its own provider client, so its call count covers the whole run.
   */
  withMailbox<T>(account: Model, call: (mailbox: MailboxSession) => Promise<T>, client?: MailProvider): Promise<T> {
    const address = String(account.get('email'));
    return this.withCredentials(account, (provider, credentials) => call(provider.mailbox({ address, credentials })), client);
  }

  /**
   * A server-login account (IMAP/SMTP): allowed only while the admin has other mail servers on and
   * its hosts pass the policy (checked on every use: DNS may have changed); a refused password
   * sets the account to `reauthorize` with the server's reason.
   */
  private async withServerLogin<T>(account: Model, login: PasswordLogin, call: (login: PasswordLogin) => Promise<T>): Promise<T> {
    await assertServersAllowed(login, await this.settings.serverPolicy());
    try {
      return await call(login);
    } catch (error) {
      if (error instanceof ReauthorizeError) await this.state.markReauthorize(account.get('id'), error.message);
      throw error;
    }
  }

  private async refresh(account: Model, provider: MailProvider, tokens: Tokens) {
    try {
      const fresh = await provider.refresh(tokens);
      await this.repository.update({ filterByTk: account.get('id'), values: { credentials: await this.secrets.sealJson(fresh) } });
      return fresh;
    } catch (error) {
      if (error instanceof ReauthorizeError) await this.state.markReauthorize(account.get('id'));
      if (error instanceof ProviderClientError) await this.state.markError(account.get('id'), error.message);
      throw error;
    }
  }

  async credentialsOf(account: Model, transaction?: Transaction): Promise<Credentials> {
    const raw = await this.app.db.getCollection(COLLECTIONS.accounts).model.findByPk(account.get('id'), {
      attributes: ['credentials'],
      raw: true,
      transaction,
    });
    const tokens = await this.secrets.openJson<Credentials>(rawRow<AccountRow>(raw)?.credentials);
    if (!tokens) throw new UserError('The account has no stored authorization; reauthorize it', 409);
    return tokens;
  }

  /** Gmail send-as addresses (S-CONN-8); Outlook has none. */
  async syncAliases(account: Model) {
    if (!this.capabilitiesOf(account).aliases) return [];
    const aliases = await this.withCredentials(account, (provider, credentials) => provider.listAliases(oauthTokens(credentials)));
    await this.repository.update({ filterByTk: account.get('id'), values: { aliases } });
    return aliases;
  }

  /**
   * The owner allows workflows to read this mailbox and send from it, or withdraws that (S-WF-1/2):
   * a trigger stops firing and a send node fails from the next event on.
   */
  async setWorkflowAccess(account: Model, allowed: boolean): Promise<AccountView> {
    await this.repository.update({ filterByTk: account.get('id'), values: { workflowAccess: allowed } });
    return toAccountView(await this.repository.findOne({ filterByTk: account.get('id') }));
  }

  /** Deletes the account and everything it owns; revokes its token first, best effort. */
  async remove(account: Model) {
    const id = account.get('id');
    try {
      if (this.capabilitiesOf(account).signIn === 'oauth') await this.withCredentials(account, (provider, credentials) => provider.revoke(oauthTokens(credentials)));
    } catch (error) {
      this.app.log.warn(`email-manager: revoking the token of account ${id} failed: ${(error as Error).message}`, {
        module: 'email-manager',
      });
    }
    await this.app.db.sequelize.transaction((transaction) => this.purge([id], transaction));
    await fs.rm(attachmentCacheDir(id), { recursive: true, force: true });
  }

  /**
   * Deletes these accounts' rows and everything they own, inside the caller's transaction: the
   * mail (a scheduled draft with it, so it can no longer be sent), its participants, attachments,
   * notes, label links, sync logs, send requests and signatures. Plain DELETEs by account: no
   * per-row hooks listen on these tables, and an account can hold 100,000 mails. The cached
   * attachment files are the caller's to remove once the transaction has committed.
   */
  async purge(accountIds: number[], transaction: Transaction) {
    if (!accountIds.length) return;
    const model = (name: string) => this.app.db.getCollection(name).model;
    for (const id of accountIds) {
      const messageIds = rawRows<IdRow>(await model(COLLECTIONS.messages).findAll({ attributes: ['id'], where: { accountId: id }, raw: true, transaction })).map((r) => r.id);
      for (let i = 0; i < messageIds.length; i += ID_CHUNK) {
        await model(COLLECTIONS.labelLinks).destroy({ where: { messageId: messageIds.slice(i, i + ID_CHUNK) }, transaction });
      }
    }
    for (const collection of OWNED_BY_ACCOUNT) await model(collection).destroy({ where: { accountId: accountIds }, transaction });
    await model(COLLECTIONS.accounts).destroy({ where: { id: accountIds }, transaction });
  }
}
