/**
 * What every Graph handler shares, in a leaf module (route files import it, it imports none of
 * them): `authenticate` (bearer token → user → mailbox, with Graph's answer for each way it can
 * fail), Graph-shaped answers, the `Prefer` header, and `graphCall` — authentication plus the
 * Outlook limits: 10,000 requests per 10 minutes per mailbox (scaled by `quotaScale`) and at most
 * 4 requests in flight per mailbox, both answered 429 ApplicationThrottled with Retry-After and
 * no innerError, as Outlook does; inside $batch per part.
 */
import crypto from 'node:crypto';
import type { EmulatedUser } from '../shared/directory';
import { bearerOf, jsonOf, sendJson, type Context } from '../shared/http';
import { InFlight, limitScale, SlidingWindow, sleep } from '../shared/limits';
import { correlationOf, sendGraphError } from './errors';
import type { MicrosoftState, OutlookMailbox } from './state';

/** Delegated scopes that allow reading mail folders. */
const MAIL_SCOPE = /^(https:\/\/graph\.microsoft\.com\/)?mail\.(read|readwrite|readbasic)(\.shared)?$/i;

export const GRAPH_REQUESTS_PER_10_MINUTES = 10_000;
export const MAILBOX_CONCURRENCY = 4;

export interface Prefer {
  /** `IdType="ImmutableId"`: ids that survive moves, in answers and accepted in URLs. */
  immutable: boolean;
  /** `odata.maxpagesize=N`. */
  maxPageSize?: number;
  /** `outlook.body-content-type="text"`. */
  textBody: boolean;
}

export interface GraphCall {
  user: EmulatedUser<OutlookMailbox>;
  mailbox: OutlookMailbox;
  prefer: Prefer;
}

export function preferOf(ctx: Context): Prefer {
  const raw = ctx.req.headers.prefer;
  const text = (Array.isArray(raw) ? raw.join(',') : raw || '').toLowerCase();
  const size = /odata\.maxpagesize\s*=\s*(\d+)/.exec(text)?.[1];
  return {
    immutable: /idtype\s*=\s*"?immutableid"?/.test(text),
    maxPageSize: size ? Number(size) : undefined,
    textBody: /outlook\.body-content-type\s*=\s*"?text"?/.test(text),
  };
}

/** Authentication with the mail scope, usage counters, then the mailbox limits and the simulated latency. */
export async function graphCall(ctx: Context, state: MicrosoftState, method: string, kind: string): Promise<GraphCall | undefined> {
  const user = authenticate(ctx, state, { mail: true });
  if (!user?.mailbox) return undefined;
  const email = user.email;
  const usage = state.usage.count(email, kind, method, Boolean(ctx.inBatch));
  const scale = limitScale(state.options);
  const flight = inFlightOf(state, email);
  // In-flight requests are tracked even without limits, so benches can read peakConcurrency.
  if (!flight.enter(scale > 0)) {
    usage.throttled += 1;
    sendThrottled(ctx, 'MailboxConcurrency', 1);
    return undefined;
  }
  const inFlight = flight;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    inFlight.leave();
  };
  ctx.res.once('finish', leave);
  ctx.res.once('close', leave);
  usage.peakConcurrency = Math.max(usage.peakConcurrency, inFlight.current);
  if (scale > 0) {
    let window = state.windows.get(email);
    if (!window) state.windows.set(email, (window = new SlidingWindow(Math.max(1, Math.round(GRAPH_REQUESTS_PER_10_MINUTES * scale)), 600_000)));
    const waitMs = window.take(1);
    if (waitMs > 0) {
      usage.throttled += 1;
      sendThrottled(ctx, 'MailboxRequests', Math.max(1, Math.ceil(waitMs / 1000)));
      return undefined;
    }
  }
  usage.units += 1;
  if (state.options.latencyMs) await sleep(state.options.latencyMs);
  return { user, mailbox: user.mailbox, prefer: preferOf(ctx) };
}

/** The mailbox's requests in flight (batch parts included: Graph counts each). */
export function inFlightOf(state: MicrosoftState, email: string): InFlight {
  const key = email.toLowerCase();
  let flight = state.inFlight.get(key);
  if (!flight) state.inFlight.set(key, (flight = new InFlight(state.options.concurrency ?? MAILBOX_CONCURRENCY)));
  return flight;
}

/** Outlook's throttling answer: no innerError, unlike every other Graph error. */
function sendThrottled(ctx: Context, limit: string, seconds: number) {
  sendJson(ctx.res, 429, { error: { code: 'ApplicationThrottled', message: `Application is over its ${limit} limit.` } }, {
    'retry-after': String(seconds),
    'request-id': crypto.randomUUID(),
    'client-request-id': correlationOf(ctx) || crypto.randomUUID(),
  });
}

/**
 * The user a Graph request acts for, or undefined after answering the error: 401
 * InvalidAuthenticationToken for a missing, unknown or expired token; with `mail`, 403 without a
 * Mail scope and 404 MailboxNotEnabledForRESTAPI for an account without an Exchange mailbox.
 */
export function authenticate(ctx: Context, state: MicrosoftState, needs: { mail?: boolean } = {}): EmulatedUser<OutlookMailbox> | undefined {
  const checked = state.grants.checkAccessToken(bearerOf(ctx));
  if ('problem' in checked) {
    const message = {
      missing: 'Access token is empty.',
      unknown: 'CompactToken parsing failed with error code: 80049217',
      expired: 'Lifetime validation failed, the token is expired.',
      revoked: 'Access token has been revoked.',
    }[checked.problem];
    sendGraphError(ctx, 401, 'InvalidAuthenticationToken', message, {
      'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
    return undefined;
  }
  const { grant } = checked.access;
  const user = state.directory.user(grant.email);
  if (!user) {
    sendGraphError(ctx, 401, 'InvalidAuthenticationToken', 'The user account does not exist.');
    return undefined;
  }
  ctx.entry.user = user.email;
  if (needs.mail) {
    if (!grant.scopes.some((s) => MAIL_SCOPE.test(s))) {
      sendGraphError(ctx, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return undefined;
    }
    if (!user.mailbox) {
      sendGraphError(ctx, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
      return undefined;
    }
  }
  return user;
}

/** An entity with its @odata.context, reduced to the `$select`ed properties when there is a $select. */
export function sendEntity(ctx: Context, state: MicrosoftState, entitySet: string, entity: Record<string, unknown>) {
  const select = (ctx.query.get('$select') || '').split(',').map((s) => s.trim()).filter(Boolean);
  const lower = new Map(Object.keys(entity).map((k) => [k.toLowerCase(), k]));
  const chosen = select.map((s) => lower.get(s.toLowerCase())).filter((k): k is string => Boolean(k));
  const body: Record<string, unknown> = {
    '@odata.context': `${state.graphUrl}/v1.0/$metadata#${entitySet}${chosen.length ? `(${chosen.join(',')})` : ''}/$entity`,
  };
  for (const key of chosen.length ? chosen : Object.keys(entity)) body[key] = entity[key];
  sendGraph(ctx, 200, body);
}

export function sendGraph(ctx: Context, status: number, body: unknown, headers: Record<string, string> = {}) {
  sendJson(ctx.res, status, body, {
    'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'request-id': crypto.randomUUID(),
    'client-request-id': correlationOf(ctx) || crypto.randomUUID(),
    'odata-version': '4.0',
    ...headers,
  });
}

/** 202/204 with no body and no content type (the Graph client would try to parse one). */
export function sendEmpty(ctx: Context, status: 202 | 204) {
  ctx.res.writeHead(status, { 'request-id': crypto.randomUUID(), 'client-request-id': correlationOf(ctx) || crypto.randomUUID(), 'content-length': 0 });
  ctx.res.end();
}

/** The JSON body, or undefined after answering 400. */
export function graphBody(ctx: Context): Record<string, any> | undefined {
  try {
    const body = jsonOf(ctx);
    if (body && typeof body === 'object') return body;
    if (body === undefined) return {};
  } catch {
    // answered below
  }
  sendGraphError(ctx, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  return undefined;
}

export function sendNotFound(ctx: Context) {
  sendGraphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}
