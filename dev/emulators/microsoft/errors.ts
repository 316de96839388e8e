/**
 * Microsoft's error shapes. The identity platform answers
 * `{error, error_description: "AADSTS…: … Trace ID … Correlation ID … Timestamp …", error_codes,
 * timestamp, trace_id, correlation_id, error_uri}` from its endpoints, and a "Sorry, but we're
 * having trouble signing you in" page from the authorize UI. Graph answers
 * `{error: {code, message, innerError: {date, request-id, client-request-id}}}`.
 */
import crypto from 'node:crypto';
import { renderErrorPage } from '../shared/consent-page';
import { sendHtml, sendJson, type Context } from '../shared/http';

export function aadErrorBody(error: string, code: number, message: string, correlationId?: string) {
  const now = new Date();
  const timestamp = now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const traceId = crypto.randomUUID();
  const correlation = correlationId || crypto.randomUUID();
  return {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

/** The request's correlation id: msal sends it as client-request-id (header and query). */
export function correlationOf(ctx: Context) {
  return ctx.query.get('client-request-id') || String(ctx.req.headers['client-request-id'] || '') || undefined;
}

export function sendAadError(ctx: Context, status: number, error: string, code: number, message: string) {
  const body = aadErrorBody(error, code, message, correlationOf(ctx));
  sendJson(ctx.res, status, body, { 'cache-control': 'no-store, no-cache', 'x-ms-request-id': body.trace_id, 'client-request-id': body.correlation_id });
}

export function sendAadErrorPage(ctx: Context, status: number, code: number, message: string) {
  sendHtml(
    ctx.res,
    status,
    renderErrorPage('Sign in to your account', "Sorry, but we're having trouble signing you in.", [`AADSTS${code}: ${message}`]),
  );
}

export function graphErrorBody(code: string, message: string, clientRequestId?: string) {
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': crypto.randomUUID(), 'client-request-id': clientRequestId || crypto.randomUUID() },
    },
  };
}

export function sendGraphError(ctx: Context, status: number, code: string, message: string, headers = {}) {
  const body = graphErrorBody(code, message, correlationOf(ctx));
  sendJson(ctx.res, status, body, {
    'request-id': body.error.innerError['request-id'],
    'client-request-id': body.error.innerError['client-request-id'],
    ...headers,
  });
}

/** Graph's error code for a bare HTTP status, used for injected faults without a body. */
export function graphCodeOf(status: number) {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'InvalidAuthenticationToken',
    403: 'ErrorAccessDenied',
    404: 'ErrorItemNotFound',
    410: 'SyncStateNotFound',
    429: 'ApplicationThrottled',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return codes[status] || 'UnknownError';
}
