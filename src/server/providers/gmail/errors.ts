import type { PartAnswer } from '../batch-parts';
import { retryAfterSeconds } from '../rate-limits';
import { CursorExpiredError, DailyLimitError, ProviderClientError, ProviderUnavailableError, ReauthorizeError, TokenRejectedError } from '../types';

/** Reasons Gmail gives for quota over-use, sometimes with 403 instead of 429. */
const RATE_LIMIT_REASONS = ['rateLimitExceeded', 'userRateLimitExceeded'];
/** Gmail's refusal to send more today ("Daily user sending limit exceeded"), as reason or as words. */
const DAILY_LIMIT_REASONS = ['dailyLimitExceeded', 'dailyLimitExceededUnreg'];
const DAILY_LIMIT_TEXT = /daily (user )?sending (quota|limit)/i;

/** Google's error body: `error` is a code (OAuth endpoints) or an object (the API); read as far as present. */
interface GoogleErrorBody {
  error?: string | { message?: string; errors?: { reason?: string }[] };
  error_description?: string;
}

/** What a gaxios failure (or a batch part shaped like one) may carry. */
interface GoogleFailure {
  status?: number;
  code?: string;
  message?: string;
  errors?: { reason?: string }[];
  response?: { status?: number; data?: GoogleErrorBody; headers?: unknown };
}

/** The API's error object of a body, when `error` is one (not an OAuth code). */
const apiError = (data: GoogleErrorBody | undefined) => (typeof data?.error === 'object' ? data.error : undefined);

/**
 * Turns a googleapis / google-auth-library (gaxios) failure into the plugin's error kinds.
 * `invalid_grant` comes with several descriptions ("Bad Request", "Token has been expired or
 * revoked."), so only the error code is matched.
 */
export function mapGoogleError(caught: unknown, what: string): Error {
  const error = caught as GoogleFailure | null | undefined;
  const status: number | undefined = error?.response?.status ?? error?.status;
  const data = error?.response?.data;
  const code: string | undefined = typeof data?.error === 'string' ? data.error : undefined;
  if (code === 'invalid_grant') return new ReauthorizeError(data?.error_description || 'invalid_grant');
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new ProviderClientError(`Google refused the client credentials (${code}): check the Client ID and Secret`);
  }
  if (status === 401) return new TokenRejectedError(`Google refused the access token (${what})`);
  const reasons = (apiError(data)?.errors || error?.errors || []).map((e) => e?.reason);
  if (reasons.some((r) => DAILY_LIMIT_REASONS.includes(r!)) || DAILY_LIMIT_TEXT.test(String(apiError(data)?.message || ''))) {
    return new DailyLimitError(`Google ${what} refused: ${apiError(data)?.message || 'daily sending limit exceeded'}`);
  }
  const throttled = status === 429 || (status === 403 && reasons.some((r) => RATE_LIMIT_REASONS.includes(r!)));
  if (!status || status >= 500 || throttled) {
    const reason = status ? `HTTP ${status}` : error?.code || error?.message || 'no answer';
    const retryAfter = retryAfterSeconds(headerOf(error?.response?.headers, 'retry-after'));
    return new ProviderUnavailableError(`Cannot reach Google (${what}: ${reason})`, status, retryAfter);
  }
  const message = apiError(data)?.message || data?.error_description || code || error?.message || `HTTP ${status}`;
  const failure: Error & { status?: number } = new Error(`Google ${what} failed: ${message}`);
  failure.status = status;
  return failure;
}

/** A history id older than Gmail keeps answers 404: the engine lists everything again. */
export function mapHistoryError(error: unknown): Error {
  const status = (error as GoogleFailure | null | undefined)?.response?.status ?? (error as GoogleFailure | null | undefined)?.status;
  if (status === 404) return new CursorExpiredError('The Gmail history id expired');
  return mapGoogleError(error, 'history');
}

/** gaxios gives headers as a plain object or a Headers instance, depending on the version. */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  const h = headers as { get?: (name: string) => string | null } & Record<string, string | undefined>;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  return h[name] ?? h[name.toLowerCase()];
}

/**
 * A batch part that is no verdict on the message it asked for: throttled (429, or 403 with a
 * rate-limit reason, which Gmail sends per part when a batch goes over the per-user rate) or
 * failed on Google's side (5xx). These are sent again (batch-parts.ts); a 404 means the message
 * is gone.
 */
export function isTemporaryGmailPart(answer: PartAnswer) {
  if (!answer.status || answer.status === 429 || answer.status >= 500) return true;
  const reasons = (apiError(answer.body as GoogleErrorBody | undefined)?.errors || []).map((e) => e?.reason);
  return answer.status === 403 && reasons.some((r) => RATE_LIMIT_REASONS.includes(r!));
}

/** The plugin's error for a batch part's failure (401 → TokenRejectedError, so the token is refreshed). */
export function gmailPartError(answer: PartAnswer, what: string): Error {
  return mapGoogleError({ response: { status: answer.status, data: answer.body, headers: answer.headers } }, what);
}
