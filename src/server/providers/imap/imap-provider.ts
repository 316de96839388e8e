/**
 * IMAP/SMTP (S-IMAP-1/2) behind the same seam as Gmail and Outlook. There is no OAuth here: the
 * user's server login is the account's credentials, checked by "Test connection" before it is
 * stored, so the auth half has nothing to exchange, refresh or revoke. Everything else is the
 * mailbox session (./mailbox.ts).
 */
import {
  AuthUrlRequest,
  Credentials,
  isPasswordLogin,
  Mailbox,
  MailboxProfile,
  MailboxSession,
  MailProvider,
  ProviderClientError,
  SendAsAlias,
  Tokens,
} from '../types';
import type { ImapMailbox } from './mailbox';
import { loginKey, ownSession, warmSession } from './session-pool';

const NOT_OAUTH = 'Mail server accounts sign in with a password, not through a consent page';

export class ImapProvider implements MailProvider {
  readonly name = 'imap' as const;
  calls = 0;

  async authUrl(_request: AuthUrlRequest): Promise<string> {
    throw new ProviderClientError(NOT_OAUTH);
  }

  async exchangeCode(): Promise<{ tokens: Tokens; profile: MailboxProfile }> {
    throw new ProviderClientError(NOT_OAUTH);
  }

  /** A password does not expire on a clock: what the server refuses is reported by the session. */
  async refresh(tokens: Tokens): Promise<Tokens> {
    return tokens;
  }

  async profile(): Promise<MailboxProfile> {
    throw new ProviderClientError(NOT_OAUTH);
  }

  async listAliases(): Promise<SendAsAlias[]> {
    return [];
  }

  async revoke(): Promise<void> {}

  /** This instance's own sessions, one per login (a sync run's steps share it). */
  private readonly sessions = new Map<string, ImapMailbox>();

  /**
   * The login's warm session while the IDLE watcher keeps one (session-pool.ts), else one of this
   * instance's own: a sync run reaches the mailbox through one provider instance, step after step,
   * and its steps share one logged-in connection (P9: 101 logins per first import before; 6 of an
   * incremental's 8 commands are the login and logout). It is logged out 2 s after the last call.
   */
  mailbox(mailbox: Mailbox): MailboxSession {
    const login = serverLogin(mailbox.credentials);
    const key = loginKey(mailbox.address, login);
    const count = () => this.calls++;
    const warm = warmSession(key, count);
    if (warm) return warm;
    let session = this.sessions.get(key);
    if (!session) this.sessions.set(key, (session = ownSession(mailbox.address, login, count)));
    return session;
  }
}

function serverLogin(credentials: Credentials) {
  if (!isPasswordLogin(credentials)) throw new ProviderClientError('A mail server account needs a server login');
  return credentials;
}
