/**
 * What a provider call can fail with, in the plugin's own terms: each provider maps its wire
 * errors (Google's, Graph's) onto these, and sync, the mail center and send act on the kind.
 */

/** Each kind is named after its class (logs and tests see which it is) and has its default message. */
export abstract class ProviderError extends Error {
  static readonly defaultMessage: string = 'The mail provider failed';

  constructor(message?: string) {
    super(message ?? (new.target as typeof ProviderError).defaultMessage);
    this.name = new.target.name;
  }
}

/** The message or attachment no longer exists at the provider (S-ERR-8). */
export class NotFoundError extends ProviderError {
  static readonly defaultMessage = 'This email no longer exists';
}

/** The stored change-feed position expired (Gmail history 404, Graph 410): list everything again. */
export class CursorExpiredError extends ProviderError {
  static readonly defaultMessage = 'The sync position expired';
}

/** The grant is gone (revoked, expired, password changed): the user must reauthorize. */
export class ReauthorizeError extends ProviderError {
  static readonly defaultMessage = 'invalid_grant';
}

/** The provider refused the access token (HTTP 401): refresh it and try once more. */
export class TokenRejectedError extends ProviderError {
  static readonly defaultMessage = 'The access token was refused';
}

/** The app's client credentials were refused (wrong or expired secret): the admin must act. */
export class ProviderClientError extends ProviderError {}

/** The provider could not be reached or failed (network, 5xx); retry later. */
export class ProviderUnavailableError extends ProviderError {
  constructor(
    message: string,
    readonly status?: number,
    /** Seconds the provider asked to wait (Retry-After), when it said. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The account signed in, but has no mailbox of this provider (S-ERR-1). */
export class NoMailboxError extends ProviderError {}

/** The mail is larger than the provider accepts (Gmail: 35 MB of MIME). */
export class MessageTooLargeError extends ProviderError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`The message is ${size} bytes; the provider accepts at most ${limit}`);
  }
}

/** The provider refused to send more today (its daily sending limit); try again later (S-BULK-4). */
export class DailyLimitError extends ProviderError {
  static readonly defaultMessage = 'The daily sending limit of the mailbox was reached';
}
