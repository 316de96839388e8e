/**
 * Gmail API v1 (gmail.googleapis.com): the profile and send-as addresses here, the mailbox in the
 * files registered below. Every handler goes through `gmailCall` (quota.ts): `authenticate`
 * (api.ts), then the quota and the usage counters.
 */
import type { EmulatedUser } from '../shared/directory';
import type { Router } from '../shared/http';
import { GMAIL_PREFIX, sendGmail } from './api';
import { draftRoutes } from './drafts';
import { sendApiError } from './errors';
import { historyRoutes } from './history';
import { labelRoutes } from './labels';
import { messageRoutes } from './messages';
import { gmailCall } from './quota';
import type { GmailMailbox, GoogleState } from './state';
import { threadRoutes } from './threads';

export function gmailRoutes(router: Router, state: GoogleState) {
  router.get(`${GMAIL_PREFIX}/profile`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'users.getProfile');
    if (!found) return;
    const { user, mailbox } = found;
    const threads = new Set([...mailbox.messages.values()].map((m) => m.threadId));
    sendGmail(ctx, { emailAddress: user.email, messagesTotal: mailbox.messages.size, threadsTotal: threads.size, historyId: String(mailbox.historyId) });
  });

  router.get(`${GMAIL_PREFIX}/settings/sendAs`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'settings.sendAs.list');
    if (found) sendGmail(ctx, { sendAs: sendAsList(found.user) });
  });

  router.get(`${GMAIL_PREFIX}/settings/sendAs/:sendAsEmail`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'settings.sendAs.get');
    if (!found) return;
    const entry = sendAsList(found.user).find((s) => s.sendAsEmail === ctx.params.sendAsEmail.toLowerCase());
    if (!entry) return sendApiError(ctx, 404, 'Requested entity was not found.', { reason: 'notFound' });
    sendGmail(ctx, entry);
  });

  messageRoutes(router, state);
  labelRoutes(router, state);
  threadRoutes(router, state);
  historyRoutes(router, state);
  draftRoutes(router, state);
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
