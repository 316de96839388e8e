/**
 * IMAP/SMTP (S-IMAP-1/2) behind the same seam as Gmail and Outlook. There is no OAuth here: the
 * user's server login is the account's credentials, checked by "Test connection" before it is
 * stored, so the auth half has nothing to exchange, refresh or revoke. Everything else is the
 * mailbox session (./mailbox.ts).
 */
import { createHash } from 'node:crypto';
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
import { ImapMailbox } from './mailbox';

const NOT_OAUTH = 'Mail server accounts sign in with a password, not through a consent page';

/**
 * A sync run reaches the mailbox through one provider instance, step after step (a first import
 * of 10,000 mails is 100 steps): its sessions share one logged-in connection instead of logging
 * in for each step (P9 measured 101 logins per import; 6 of an incremental's 9 commands are the
 * login and logout). The connection is closed this long after the last call.
 */
const HOLD_IDLE_MS = 2_000;

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

  private readonly sessions = new Map<string, ImapMailbox>();

  mailbox(mailbox: Mailbox): MailboxSession {
    const login = serverLogin(mailbox.credentials);
    // One per login (a password entered again is a new login); the key keeps no plain password.
    const key = createHash('sha256').update(JSON.stringify([mailbox.address, login.username, login.password, login.imap, login.smtp])).digest('hex');
    let session = this.sessions.get(key);
    if (!session) {
      session = new ImapMailbox(mailbox.address, login, { countCall: () => this.calls++, holdIdleMs: HOLD_IDLE_MS });
      this.sessions.set(key, session);
    }
    return session;
  }
}

function serverLogin(credentials: Credentials) {
  if (!isPasswordLogin(credentials)) throw new ProviderClientError('A mail server account needs a server login');
  return credentials;
}
