import type { PartAnswer } from '../batch-parts';
import { retryAfterSeconds } from '../rate-limits';
import { CursorExpiredError, DailyLimitError, ProviderClientError, ProviderUnavailableError, ReauthorizeError, TokenRejectedError } from '../types';

/** Exchange's refusal to send more today (its recipient/message rate limits of 24 hours). */
const DAILY_LIMIT_CODES = ['ErrorSubmissionQuotaExceeded', 'ErrorExceededMessageLimit'];

/** AADSTS codes that mean the app's secret is wrong or expired (S-CONF-9). */
const CLIENT_SECRET_CODES = ['AADSTS7000215', 'AADSTS7000222', 'AADSTS700016'];

/** What an msal-node failure may carry. */
interface MsalFailure {
  errorCode?: string;
  errorMessage?: string;
  message?: string;
}

/** What a Graph client failure (GraphError), or a `$batch` part shaped like one, may carry. */
interface GraphFailure {
  statusCode?: number;
  code?: string;
  message?: string;
  headers?: { get?: (name: string) => string | null } & Record<string, string | undefined>;
}

/** Turns an msal-node failure into the plugin's error kinds. */
export function mapMsalError(caught: unknown, what: string): Error {
  const error = caught as MsalFailure | null | undefined;
  const code: string = error?.errorCode || '';
  const message: string = error?.errorMessage || error?.message || '';
  if (code === 'invalid_grant' || code === 'interaction_required' || code === 'consent_required') {
    return new ReauthorizeError(message || code);
  }
  if (code === 'invalid_client' || CLIENT_SECRET_CODES.some((c) => message.includes(c))) {
    return new ProviderClientError('Microsoft client secret is invalid or expired');
  }
  if (/network|fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|endpoints_resolution/i.test(`${code} ${message}`)) {
    return new ProviderUnavailableError(`Cannot reach Microsoft (${what}: ${code || message})`);
  }
  // token_parsing_error: the answer was not JSON (an HTML 5xx page from a gateway), so not a verdict on the grant.
  if (/temporarily_unavailable|server_error|token_parsing_error/.test(code)) {
    return new ProviderUnavailableError(`Microsoft is unavailable (${what}: ${code})`);
  }
  return new Error(`Microsoft ${what} failed: ${message || code || 'unknown error'}`);
}

/** Turns a Graph client failure (GraphError) into the plugin's error kinds. */
export function mapGraphError(caught: unknown, what: string): Error {
  const error = caught as GraphFailure | null | undefined;
  const status: number | undefined = error?.statusCode;
  if (DAILY_LIMIT_CODES.includes(error?.code as string)) return new DailyLimitError(`Microsoft Graph ${what} refused: ${error?.message || error!.code}`);
  if (status === 401) return new TokenRejectedError(`Microsoft Graph refused the access token (${what})`);
  // A stale delta or skip token (SyncStateNotFound): the engine lists everything again.
  if (status === 410 || error?.code === 'SyncStateNotFound') return new CursorExpiredError(`The Outlook delta token expired (${what})`);
  if (!status || status === -1 || status >= 500 || status === 429) {
    const retryAfter = retryAfterSeconds(error?.headers?.get?.('retry-after') ?? error?.headers?.['retry-after']);
    return new ProviderUnavailableError(`Cannot reach Microsoft Graph (${what}: ${status || error?.code || error?.message})`, status, retryAfter);
  }
  const failure: Error & { status?: number; code?: string } = new Error(`Microsoft Graph ${what} failed: ${error?.message || error?.code || status}`);
  failure.status = status;
  failure.code = error?.code;
  return failure;
}

/**
 * A `$batch` part that is no verdict on what it asked for: throttled (429, e.g. the mailbox's 4
 * concurrent requests, which Graph applies to every part), or failed on Graph's side (5xx). Only
 * a real answer (200, 404 ErrorItemNotFound…) is read; these are sent again (batch-parts.ts).
 */
export function isTemporaryGraphPart(answer: PartAnswer) {
  return !answer.status || answer.status === 429 || answer.status >= 500;
}

/** The plugin's error for a `$batch` part's failure (401 → TokenRejectedError, so the token is refreshed). */
export function graphPartError(answer: PartAnswer, what: string): Error {
  const error = (answer.body as { error?: { code?: string; message?: string } } | null | undefined)?.error;
  return mapGraphError({ statusCode: answer.status, code: error?.code, message: error?.message, headers: answer.headers }, what);
}
