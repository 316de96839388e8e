/**
 * Provider calls made while the user waits in the editor: valid tokens (refresh, 401, invalid
 * grant handled by withMailbox), a short retry budget, and failures turned into messages the user
 * can act on (S-SEND-9 "the editor shows the provider's error", S-ERR-3, S-ERR-8).
 */
import type { AccountService } from '../accounts/account-service';
import type { Model } from '../db-types';
import { INVALID_GRANT_MESSAGE } from '../sync/account-state';
import { UserError } from '../errors';
import { INTERACTIVE_RETRY, ThrottledError, withRetryBudget } from '../providers/rate-limits';
import {
  MailboxSession,
  MessageTooLargeError,
  NotFoundError,
  ProviderClientError,
  ProviderUnavailableError,
  ReauthorizeError,
  TokenRejectedError,
} from '../providers/types';

/** What failed, for the message: a send, a draft save, or anything else (which changed nothing). */
export type Operation = 'send' | 'save' | 'other';

export function callProvider<T>(accounts: AccountService, account: Model, work: (mailbox: MailboxSession) => Promise<T>): Promise<T> {
  return withRetryBudget(INTERACTIVE_RETRY, () => accounts.withMailbox(account, work));
}

const MB = 1024 * 1024;

/** A provider failure as a UserError; anything that is not one (a bug) is passed on as it is. */
export function providerFailure(error: unknown, email: string, operation: Operation): unknown {
  if (error instanceof UserError) return error;
  if (error instanceof ReauthorizeError || error instanceof TokenRejectedError) return new UserError(INVALID_GRANT_MESSAGE, 409, 'accountId', { email });
  if (error instanceof ProviderUnavailableError || error instanceof ThrottledError) {
    if (operation === 'send') return new UserError('The mail provider did not answer. The email was not sent; please try again.', 503);
    if (operation === 'save') return new UserError('The mail provider did not answer. The draft was not saved; please try again.', 503);
    return new UserError('The mail provider did not answer. Nothing was changed; please try again.', 503);
  }
  if (error instanceof ProviderClientError) return new UserError('Email is not configured correctly. Ask your administrator.', 502);
  if (error instanceof NotFoundError) return new UserError('This email no longer exists', 404);
  if (error instanceof MessageTooLargeError) {
    return new UserError('The email is too large for the mail provider ({{size}} MB, at most {{limit}} MB)', 400, 'attachments', {
      size: (error.size / MB).toFixed(1),
      limit: Math.floor(error.limit / MB),
    });
  }
  // The provider answered and refused (a 4xx): its own words are the most useful thing to show.
  if (typeof (error as { status?: unknown })?.status === 'number') {
    return new UserError('The mail provider refused the email: {{reason}}', 400, undefined, { reason: (error as Error).message });
  }
  return error;
}
