/**
 * Google's error shapes. REST APIs (Gmail) answer `{error: {code, message, errors: [{message,
 * domain, reason}], status}}`; the OAuth token endpoints answer `{error, error_description}`;
 * the accounts pages show "Error 400: redirect_uri_mismatch" style HTML.
 */
import type { Context } from '../shared/http';
import { sendHtml, sendJson } from '../shared/http';
import { renderErrorPage } from '../shared/consent-page';

/** Canonical status names by HTTP status (google.rpc.Code as Google maps them). */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_REASONS: Record<number, [reason: string, message: string]> = {
  400: ['badRequest', 'Bad Request'],
  401: ['authError', 'Invalid Credentials'],
  403: ['forbidden', 'Forbidden'],
  404: ['notFound', 'Requested entity was not found.'],
  429: ['rateLimitExceeded', 'Rate Limit Exceeded'],
  500: ['backendError', 'Backend Error'],
  502: ['backendError', 'Backend Error'],
  503: ['backendError', 'The service is currently unavailable.'],
  504: ['backendError', 'Deadline exceeded'],
};

export interface ApiErrorDetails {
  reason?: string;
  /** 'global' unless given (rate limits say 'usageLimits'). */
  domain?: string;
  status?: string;
  location?: string;
  locationType?: string;
}

export function apiErrorBody(code: number, message?: string, details: ApiErrorDetails = {}) {
  const [defaultReason, defaultMessage] = DEFAULT_REASONS[code] || ['unknown', 'Error'];
  const text = message || defaultMessage;
  const item: Record<string, string> = { message: text, domain: details.domain || 'global', reason: details.reason || defaultReason };
  if (details.location) item.location = details.location;
  if (details.locationType) item.locationType = details.locationType;
  return { error: { code, message: text, errors: [item], status: details.status || STATUS_NAMES[code] || 'UNKNOWN' } };
}

export function sendApiError(ctx: Context, code: number, message?: string, details: ApiErrorDetails = {}, headers = {}) {
  sendJson(ctx.res, code, apiErrorBody(code, message, details), { vary: 'Origin, X-Origin, Referer', ...headers });
}

const AUTH_HINT =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
  'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** 401 for a missing, unknown, expired or revoked bearer token, as the Google APIs answer it. */
export function sendUnauthenticated(ctx: Context, missing: boolean) {
  const [message, item, reason] = missing
    ? [`Request is missing required authentication credential. ${AUTH_HINT}`, 'Login Required.', 'required']
    : [`Request had invalid authentication credentials. ${AUTH_HINT}`, 'Invalid Credentials', 'authError'];
  const body = {
    error: { code: 401, message, errors: [{ message: item, domain: 'global', reason, location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' },
  };
  sendJson(ctx.res, 401, body, {
    'www-authenticate': missing ? 'Bearer realm="https://accounts.google.com/"' : 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
    vary: 'Origin, X-Origin, Referer',
  });
}

/** `{error, error_description}` of oauth2.googleapis.com. */
export function sendOAuthError(ctx: Context, status: number, error: string, description: string) {
  sendJson(ctx.res, status, { error, error_description: description }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
}

/** The accounts.google.com error page: "Error 400: redirect_uri_mismatch" and its details. */
export function sendAuthorizeError(ctx: Context, status: number, error: string, details: string[]) {
  sendHtml(ctx.res, status, renderErrorPage('Sign in with Google', `Error ${status}: ${error}`, details));
}

/** Google's plain 404 page for paths no API serves. */
export function sendNotFoundPage(ctx: Context) {
  sendHtml(
    ctx.res,
    404,
    `<!DOCTYPE html>\n<html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins>` +
      `<p>The requested URL <code>${ctx.path.replace(/[<>&"]/g, '')}</code> was not found on this server. <ins>That’s all we know.</ins>\n`,
  );
}
