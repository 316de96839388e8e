/**
 * Gmail API v1 (gmail.googleapis.com): for now what connecting an account reads, the profile and
 * the send-as addresses. `authenticate` is the gate every later Gmail handler goes through
 * (bearer token → user → mailbox), with Google's answers for each way it can fail.
 */
import type { EmulatedUser } from '../shared/directory';
import { bearerOf, Router, sendJson, type Context } from '../shared/http';
import { sendApiError, sendUnauthenticated } from './errors';
import type { GmailMailbox, GoogleState } from './state';

export const GMAIL_PREFIX = '/gmail/v1/users/:userId';

/** Scopes that let a token call the Gmail API at all. */
const GMAIL_SCOPE = /^(https:\/\/mail\.google\.com\/|https:\/\/www\.googleapis\.com\/auth\/gmail\.[a-z.]+)$/;

export function gmailRoutes(router: Router, state: GoogleState) {
  router.get(`${GMAIL_PREFIX}/profile`, (ctx) => {
    const found = authenticate(ctx, state);
    if (!found) return;
    const { user, mailbox } = found;
    sendGmail(ctx, { emailAddress: user.email, messagesTotal: 0, threadsTotal: 0, historyId: String(mailbox.historyId) });
  });

  router.get(`${GMAIL_PREFIX}/settings/sendAs`, (ctx) => {
    const found = authenticate(ctx, state);
    if (found) sendGmail(ctx, { sendAs: sendAsList(found.user) });
  });

  router.get(`${GMAIL_PREFIX}/settings/sendAs/:sendAsEmail`, (ctx) => {
    const found = authenticate(ctx, state);
    if (!found) return;
    const entry = sendAsList(found.user).find((s) => s.sendAsEmail === ctx.params.sendAsEmail.toLowerCase());
    if (!entry) return sendApiError(ctx, 404, 'Requested entity was not found.', { reason: 'notFound' });
    sendGmail(ctx, entry);
  });
}

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

/** The primary address first (always there, needs no verification), then the aliases. */
function sendAsList(user: EmulatedUser<GmailMailbox>) {
  const aliasIsDefault = user.aliases.some((a) => a.isDefault && a.verificationStatus === 'accepted');
  return [
    { sendAsEmail: user.email, displayName: user.displayName, signature: '', isPrimary: true, isDefault: !aliasIsDefault },
    ...user.aliases.map((a) => ({
      sendAsEmail: a.email,
      displayName: a.displayName ?? '',
      ...(a.replyTo ? { replyToAddress: a.replyTo } : {}),
      signature: '',
      isPrimary: false,
      isDefault: a.isDefault && a.verificationStatus === 'accepted',
      treatAsAlias: true,
      verificationStatus: a.verificationStatus,
    })),
  ];
}

export function sendGmail(ctx: Context, body: unknown) {
  sendJson(ctx.res, 200, body, { vary: 'Origin, X-Origin, Referer' });
}
