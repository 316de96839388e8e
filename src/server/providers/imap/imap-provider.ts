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
import { ImapMailbox } from './mailbox';

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

  mailbox(mailbox: Mailbox): MailboxSession {
    return new ImapMailbox(mailbox.address, serverLogin(mailbox.credentials), { countCall: () => this.calls++ });
  }
}

function serverLogin(credentials: Credentials) {
  if (!isPasswordLogin(credentials)) throw new ProviderClientError('A mail server account needs a server login');
  return credentials;
}
