/**
 * The seam between the plugin and a mail provider (DESIGN §2). Everything Gmail- or
 * Outlook-specific lives behind it, in providers/<name>. Later work adds the sync and send
 * members (listChanges, fetchMessages, send, modify…).
 */
export type ProviderName = 'gmail' | 'outlook';

/** A token set as stored (encrypted) on the account. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
  scopes: string[];
  /** Provider-specific extras needed to refresh (MSAL's home account id). */
  extra?: Record<string, string>;
}

export interface MailboxProfile {
  email: string;
  displayName?: string;
}

export interface SendAsAlias {
  email: string;
  displayName?: string;
  isPrimary: boolean;
  replyTo?: string;
}

export interface ProviderClientConfig {
  clientId: string;
  clientSecret: string;
  tenant?: string;
  redirectUri: string;
}

export interface AuthUrlRequest {
  state: string;
  codeChallenge: string;
  loginHint?: string;
}

export interface MailProvider {
  readonly name: ProviderName;
  authUrl(request: AuthUrlRequest): Promise<string>;
  /** Exchanges the authorization code (PKCE) and reads who the mailbox belongs to. */
  exchangeCode(code: string, codeVerifier: string): Promise<{ tokens: Tokens; profile: MailboxProfile }>;
  /** Throws ReauthorizeError on invalid_grant, ProviderClientError on a bad client secret. */
  refresh(tokens: Tokens): Promise<Tokens>;
  profile(tokens: Tokens): Promise<MailboxProfile>;
  /** Verified send-as addresses (Gmail); none for providers without aliases. */
  listAliases(tokens: Tokens): Promise<SendAsAlias[]>;
  /** Best effort; providers without a revocation endpoint do nothing. */
  revoke(tokens: Tokens): Promise<void>;
}

/** The grant is gone (revoked, expired, password changed): the user must reauthorize. */
export class ReauthorizeError extends Error {
  constructor(message = 'invalid_grant') {
    super(message);
    this.name = 'ReauthorizeError';
  }
}

/** The provider refused the access token (HTTP 401): refresh it and try once more. */
export class TokenRejectedError extends Error {
  constructor(message = 'The access token was refused') {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** The app's client credentials were refused (wrong or expired secret): the admin must act. */
export class ProviderClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderClientError';
  }
}

/** The provider could not be reached or failed (network, 5xx); retry later. */
export class ProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** The account signed in, but has no mailbox of this provider (S-ERR-1). */
export class NoMailboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoMailboxError';
  }
}
