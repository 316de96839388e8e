/**
 * What every Gmail handler shares: the path prefix, `authenticate` (bearer token → user →
 * mailbox, with Google's answers for each way it can fail) and Gmail-shaped answers. A leaf
 * module on purpose: the route files import it, and it imports none of them.
 */
import type { EmulatedUser } from '../shared/directory';
import { bearerOf, jsonOf, sendJson, type Context } from '../shared/http';
import { sendApiError, sendUnauthenticated } from './errors';
import type { GmailMailbox, GoogleState } from './state';

export const GMAIL_PREFIX = '/gmail/v1/users/:userId';

/** Scopes that let a token call the Gmail API at all. */
const GMAIL_SCOPE = /^(https:\/\/mail\.google\.com\/|https:\/\/www\.googleapis\.com\/auth\/gmail\.[a-z.]+)$/;

/**
 * The user and mailbox a Gmail request acts on, or undefined after answering the error:
 * 401 for a missing/unknown/expired/revoked token, 403 for a token without a Gmail scope or a
 * userId other than `me` / the token's own address, 400 failedPrecondition without a mailbox.
 */
export function authenticate(ctx: Context, state: GoogleState): { user: EmulatedUser<GmailMailbox>; mailbox: GmailMailbox } | undefined {
  const checked = state.grants.checkAccessToken(bearerOf(ctx));
  if ('problem' in checked) {
    sendUnauthenticated(ctx, checked.problem === 'missing');
    return undefined;
  }
  const { grant } = checked.access;
  const user = state.directory.user(grant.email);
  if (!user) {
    // The user was removed from the emulator after the token was issued.
    sendUnauthenticated(ctx, false);
    return undefined;
  }
  ctx.entry.user = user.email;
  if (!grant.scopes.some((s) => GMAIL_SCOPE.test(s))) {
    sendApiError(ctx, 403, 'Request had insufficient authentication scopes.', { reason: 'insufficientPermissions', status: 'PERMISSION_DENIED' });
    return undefined;
  }
  const userId = ctx.params.userId;
  if (userId !== 'me' && userId.toLowerCase() !== user.email) {
    sendApiError(ctx, 403, `Delegation denied for ${user.email}`, { reason: 'forbidden', status: 'PERMISSION_DENIED' });
    return undefined;
  }
  if (!user.mailbox) {
    sendApiError(ctx, 400, 'Mail service not enabled', { reason: 'failedPrecondition', status: 'FAILED_PRECONDITION' });
    return undefined;
  }
  return { user, mailbox: user.mailbox };
}

export function sendGmail(ctx: Context, body: unknown, status = 200) {
  sendJson(ctx.res, status, body, { vary: 'Origin, X-Origin, Referer' });
}

/** 204 with no body, as Gmail answers deletes and batchModify. */
export function sendNoContent(ctx: Context) {
  ctx.res.writeHead(204, { vary: 'Origin, X-Origin, Referer' });
  ctx.res.end();
}

/** The JSON body, or undefined after answering 400 for one that does not parse. */
export function bodyOf(ctx: Context): Record<string, any> | undefined {
  try {
    return jsonOf(ctx) ?? {};
  } catch (error) {
    sendApiError(ctx, 400, `Invalid JSON payload received. ${(error as Error).message}`, { reason: 'parseError', status: 'INVALID_ARGUMENT' });
    return undefined;
  }
}

export function sendNotFound(ctx: Context) {
  sendApiError(ctx, 404, 'Requested entity was not found.', { reason: 'notFound', status: 'NOT_FOUND' });
}

export function sendBadRequest(ctx: Context, message: string) {
  sendApiError(ctx, 400, message, { reason: 'invalidArgument', status: 'INVALID_ARGUMENT' });
}

/** maxResults as Gmail reads it: default, capped at the method's maximum. */
export function maxResultsOf(ctx: Context, fallback = 100, max = 500) {
  const value = Number(ctx.query.get('maxResults'));
  return Number.isFinite(value) && value > 0 ? Math.min(Math.floor(value), max) : fallback;
}
