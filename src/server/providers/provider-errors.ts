/**
 * What a provider call can fail with, in the plugin's own terms: each provider maps its wire
 * errors (Google's, Graph's) onto these, and sync, the mail center and send act on the kind.
 */

/** The message or attachment no longer exists at the provider (S-ERR-8). */
export class NotFoundError extends Error {
  constructor(message = 'This email no longer exists') {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The stored change-feed position expired (Gmail history 404, Graph 410): list everything again. */
export class CursorExpiredError extends Error {
  constructor(message = 'The sync position expired') {
    super(message);
    this.name = 'CursorExpiredError';
  }
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
    /** Seconds the provider asked to wait (Retry-After), when it said. */
    readonly retryAfter?: number,
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

/** The mail is larger than the provider accepts (Gmail: 35 MB of MIME). */
export class MessageTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`The message is ${size} bytes; the provider accepts at most ${limit}`);
    this.name = 'MessageTooLargeError';
  }
}

/** The provider refused to send more today (its daily sending limit); try again later (S-BULK-4). */
export class DailyLimitError extends Error {
  constructor(message = 'The daily sending limit of the mailbox was reached') {
    super(message);
    this.name = 'DailyLimitError';
  }
}
