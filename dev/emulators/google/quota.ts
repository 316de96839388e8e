/**
 * Gmail's per-user quota: 15,000 quota units per user per minute, each method costing its
 * documented units (Gmail API "Usage limits"), over a sliding one-minute window, scaled by
 * `quotaScale`. A request over the limit is refused with 429 rateLimitExceeded (or 403
 * userRateLimitExceeded, see `quotaError`) and a Retry-After in seconds; inside a batch only that
 * part is refused. Every accepted call is counted per user for tests and benches.
 */
import { limitScale, SlidingWindow, sleep } from '../shared/limits';
import type { Context } from '../shared/http';
import { sendApiError } from './errors';
import { authenticate } from './api';
import type { GoogleState } from './state';

export const GMAIL_UNITS_PER_MINUTE = 15_000;

/** Quota units per method (developers.google.com/gmail/api/reference/quota). */
export const GMAIL_COSTS: Record<string, number> = {
  'drafts.create': 10,
  'drafts.delete': 10,
  'drafts.get': 5,
  'drafts.list': 5,
  'drafts.send': 100,
  'drafts.update': 15,
  'users.getProfile': 1,
  'history.list': 2,
  'labels.create': 5,
  'labels.delete': 5,
  'labels.get': 1,
  'labels.list': 1,
  'labels.patch': 5,
  'labels.update': 5,
  'messages.attachments.get': 5,
  'messages.batchDelete': 50,
  'messages.batchModify': 50,
  'messages.delete': 10,
  'messages.get': 5,
  'messages.import': 25,
  'messages.insert': 25,
  'messages.list': 5,
  'messages.modify': 5,
  'messages.send': 100,
  'messages.trash': 5,
  'messages.untrash': 5,
  'settings.sendAs.get': 1,
  'settings.sendAs.list': 1,
  'threads.get': 10,
  'threads.list': 10,
};

/** The counter a method is reported under in `usage().requests`. */
function kindOf(method: string) {
  if (method === 'messages.list') return 'list';
  if (method === 'messages.get') return 'get';
  if (method === 'messages.attachments.get') return 'attachment';
  if (method === 'history.list') return 'history';
  if (method === 'messages.send' || method === 'drafts.send') return 'send';
  if (/^messages\.(modify|batchModify|trash|untrash|delete|batchDelete|import|insert)$/.test(method)) return 'modify';
  return method.split('.')[0]; // labels, threads, drafts, users, settings
}

/**
 * `authenticate`, then the quota: the user and mailbox, or undefined after answering 401/403/429.
 * Waits `latencyMs` before returning, as a real call takes time.
 */
export async function gmailCall(ctx: Context, state: GoogleState, method: string) {
  const found = authenticate(ctx, state);
  if (!found) return undefined;
  const email = found.user.email;
  const usage = state.usage.count(email, kindOf(method), method, Boolean(ctx.inBatch));
  const cost = GMAIL_COSTS[method] ?? 5;
  const scale = limitScale(state.options);
  if (scale > 0) {
    let window = state.quotas.get(email);
    if (!window) state.quotas.set(email, (window = new SlidingWindow(Math.max(1, Math.round(GMAIL_UNITS_PER_MINUTE * scale)), 60_000)));
    const waitMs = window.take(cost);
    if (waitMs > 0) {
      usage.throttled += 1;
      sendRateLimited(ctx, state, waitMs);
      return undefined;
    }
  }
  usage.units += cost;
  if (state.options.latencyMs) await sleep(state.options.latencyMs);
  return found;
}

function sendRateLimited(ctx: Context, state: GoogleState, waitMs: number) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const until = new Date(Date.now() + seconds * 1000).toISOString();
  const mode = state.options.quotaError ?? 429;
  const status = mode === 'mixed' ? (state.random() < 0.5 ? 429 : 403) : mode;
  const headers = { 'retry-after': String(seconds) };
  if (status === 403) {
    sendApiError(ctx, 403, `User-rate limit exceeded.  Retry after ${until}`, { reason: 'userRateLimitExceeded', domain: 'usageLimits', status: 'PERMISSION_DENIED' }, headers);
  } else {
    sendApiError(ctx, 429, `User-rate limit exceeded.  Retry after ${until}`, { reason: 'rateLimitExceeded', domain: 'usageLimits', status: 'RESOURCE_EXHAUSTED' }, headers);
  }
}
