/**
 * What an account stores, encrypted, to reach its mailbox: an OAuth grant (Gmail, Outlook) or a
 * server login (IMAP/SMTP, S-IMAP-1). Stored grants written before server logins existed have no
 * `kind`: they are OAuth.
 */
import type { ServerEndpoint } from '../../shared/accounts-api';
import { ProviderClientError } from './provider-errors';

/** A token set as stored (encrypted) on the account. */
export interface Tokens {
  kind?: 'oauth';
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
  scopes: string[];
  /** Provider-specific extras needed to refresh (MSAL's home account id). */
  extra?: Record<string, string>;
}

/** An IMAP/SMTP login: the password (or app password) is never returned or logged. */
export interface PasswordLogin {
  kind: 'password';
  username: string;
  password: string;
  imap: ServerEndpoint;
  smtp: ServerEndpoint;
}

export type Credentials = Tokens | PasswordLogin;

export const isPasswordLogin = (credentials: Credentials): credentials is PasswordLogin => credentials.kind === 'password';

/** The OAuth tokens of credentials an OAuth provider was handed (a server login there is a bug). */
export function oauthTokens(credentials: Credentials): Tokens {
  if (isPasswordLogin(credentials)) throw new ProviderClientError('This provider signs in with OAuth, not a password');
  return credentials;
}

/** A mailbox to act on: its address keys the per-mailbox quota, as the provider counts it. */
export interface Mailbox {
  address: string;
  credentials: Credentials;
}
