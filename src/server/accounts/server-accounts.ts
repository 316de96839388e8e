/**
 * "Connect other mailbox" (S-IMAP-1): a user's own IMAP/SMTP login. Both servers are tested
 * before anything is stored, and a failure names its step (DNS, TLS, login, capability,
 * connection). Entering the password of an account again (`accountId`) keeps the account, its
 * mail and its cursor, as a reauthorization does for OAuth. The password is sealed with the
 * other credentials, never returned and never logged (the action's `password` is redacted).
 */
import type Application from '@nocobase/server';
import type { CompleteResult, ServerAccountInput, ServerEndpoint, ServerSecurity, ServerTestResult } from '../../shared/accounts-api';
import { DEFAULT_PORTS } from '../../shared/server-presets';
import { isHostName } from '../../shared/server-hosts';
import { ACCOUNT_CONNECTED_EVENT } from '../constants';
import { UserError } from '../errors';
import { defaultStartDate, parseStartDate } from '../oauth/oauth-service';
import { testConnection } from '../providers/imap/connection';
import type { PasswordLogin } from '../providers/types';
import type { SettingsService } from '../settings/settings-service';
import type { AccountService } from './account-service';
import { toAccountView } from './account-view';
import { assertServersAllowed } from './server-policy';

const MAX_EMAIL_LENGTH = 254;
const MAX_USERNAME_LENGTH = 255;
const MAX_PASSWORD_LENGTH = 1024;
const MAX_DISPLAY_NAME_LENGTH = 255;

const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim().length <= max ? value.trim() : null);

/** A plausible address: one `@`, something either side, a host name after it. */
function isEmail(value: string) {
  const at = value.indexOf('@');
  return at > 0 && at === value.lastIndexOf('@') && isHostName(value.slice(at + 1).toLowerCase());
}

function endpoint(value: unknown, kind: 'imap' | 'smtp'): ServerEndpoint {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const host = text(raw.host, 253)?.toLowerCase() ?? '';
  if (!isHostName(host)) throw new UserError('Enter the {{server}} server name', 400, `${kind}.host`, { server: kind.toUpperCase() });
  const security: ServerSecurity = raw.security === 'starttls' ? 'starttls' : 'tls';
  const port = raw.port == null || raw.port === '' ? DEFAULT_PORTS[kind][security] : Number(raw.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError('The port must be a number from 1 to 65535', 400, `${kind}.port`);
  return { host, port, security };
}

export class ServerAccounts {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
    private readonly settings: SettingsService,
  ) {}

  /** The login the input describes; with `accountId`, the stored servers fill what is left out. */
  private async readInput(userId: number, input: ServerAccountInput) {
    const existing = input.accountId != null ? await this.accounts.owned(userId, input.accountId) : null;
    if (existing && existing.get('provider') !== 'imap') throw new UserError('Mail account not found', 404);
    const stored = (existing?.get('server') ?? null) as Partial<PasswordLogin> | null;
    const email = existing ? String(existing.get('email')) : text(input.email, MAX_EMAIL_LENGTH)?.toLowerCase() ?? '';
    if (!isEmail(email)) throw new UserError('Enter the email address of the mailbox', 400, 'email');
    const password = typeof input.password === 'string' && input.password.length <= MAX_PASSWORD_LENGTH ? input.password : '';
    if (!password) throw new UserError('Enter the password (or app password) of the mailbox', 400, 'password');
    const login: PasswordLogin = {
      kind: 'password',
      username: text(input.username, MAX_USERNAME_LENGTH) || stored?.username || email,
      password,
      imap: endpoint(input.imap ?? stored?.imap, 'imap'),
      smtp: endpoint(input.smtp ?? stored?.smtp, 'smtp'),
    };
    await assertServersAllowed(login, await this.settings.serverPolicy());
    const displayName = text(input.displayName, MAX_DISPLAY_NAME_LENGTH) || undefined;
    return { existing, email, displayName, login };
  }

  /** "Test connection": both servers, nothing stored. */
  async test(userId: number, input: ServerAccountInput): Promise<ServerTestResult> {
    const { login } = await this.readInput(userId, input);
    return testConnection(login);
  }

  /** Tests, then adds the account (or updates the one given by `accountId`, or the one with this address). */
  async connect(userId: number, input: ServerAccountInput): Promise<CompleteResult> {
    const { existing, email, displayName, login } = await this.readInput(userId, input);
    const result = await testConnection(login);
    const failed = !result.imap.ok ? result.imap : !result.smtp.ok ? result.smtp : null;
    if (failed) {
      const server = failed === result.imap ? 'IMAP' : 'SMTP';
      throw new UserError('{{server}}: {{message}}', 400, failed === result.imap ? 'imap' : 'smtp', { server, message: failed.error ?? '' });
    }
    const profile = { email, displayName };
    if (existing) {
      const updated = await this.accounts.reauthorize(existing, profile, login);
      this.app.emit(ACCOUNT_CONNECTED_EVENT, { accountId: updated.get('id'), created: false });
      return { account: toAccountView(updated), created: false, reauthorized: true };
    }
    const syncStartDate = input.syncStartDate != null ? parseStartDate(input.syncStartDate) : defaultStartDate();
    const { account, created } = await this.accounts.connect({ userId, provider: 'imap', profile, credentials: login, syncStartDate });
    this.app.emit(ACCOUNT_CONNECTED_EVENT, { accountId: account.get('id'), created });
    return { account: toAccountView(await this.accounts.owned(userId, account.get('id'))), created, reauthorized: !created };
  }
}
