/**
 * users.drafts: a draft is `{id, message: {id, threadId, labelIds: ['DRAFT']}}`. Updating a draft
 * replaces its message (a new message id, as on Gmail); sending it turns the message into a sent
 * one (DRAFT → SENT) and the draft is gone.
 */
import type { Router } from '../shared/http';
import { messageResource } from './format';
import { GMAIL_PREFIX, maxResultsOf, sendBadRequest, sendGmail, sendNoContent, sendNotFound, bodyOf } from './api';
import type { GmailMailbox } from './mailbox';
import { formatOf, shortResource } from './messages';
import { gmailCall } from './quota';
import { completeHeaders, incoming } from './send';
import type { GoogleState } from './state';

const P = `${GMAIL_PREFIX}/drafts`;

export function draftRoutes(router: Router, state: GoogleState) {
  for (const prefix of [P, `/upload${P}`]) {
    router.post(prefix, async (ctx) => {
      const found = await gmailCall(ctx, state, 'drafts.create');
      const input = found && incoming(ctx);
      if (!found || !input) return;
      const message = found.mailbox.add(input.raw, { labelIds: ['DRAFT'], internalDate: Date.now(), threadId: input.threadId });
      const id = found.mailbox.newDraftId();
      found.mailbox.drafts.set(id, message.id);
      sendGmail(ctx, { id, message: shortResource(message) });
    });

    router.on('PUT', `${prefix}/:id`, async (ctx) => {
      const found = await gmailCall(ctx, state, 'drafts.update');
      const input = found && incoming(ctx);
      if (!found || !input) return;
      const old = draftMessage(found.mailbox, ctx.params.id);
      if (!old) return sendNotFound(ctx);
      found.mailbox.delete(old);
      const message = found.mailbox.add(input.raw, { labelIds: ['DRAFT'], internalDate: Date.now(), threadId: input.threadId ?? old.threadId });
      found.mailbox.drafts.set(ctx.params.id, message.id);
      sendGmail(ctx, { id: ctx.params.id, message: shortResource(message) });
    });

    router.post(`${prefix}/send`, async (ctx) => {
      const found = await gmailCall(ctx, state, 'drafts.send');
      if (!found) return;
      const json = ctx.path.startsWith('/upload/') ? undefined : bodyOf(ctx);
      if (!json && !ctx.path.startsWith('/upload/')) return;
      const draftId = json?.id;
      if (!draftId) return sendBadRequest(ctx, 'Draft id is required');
      const { mailbox, user } = found;
      let message = draftMessage(mailbox, draftId);
      if (!message) return sendNotFound(ctx);
      if (json?.message?.raw) {
        // Sending with new content: the stored draft is replaced first, as drafts.update would.
        const input = incoming(ctx);
        if (!input) return;
        mailbox.delete(message);
        message = mailbox.add(input.raw, { labelIds: ['DRAFT'], internalDate: Date.now(), threadId: input.threadId ?? message.threadId });
      }
      mailbox.drafts.delete(draftId);
      const completed = completeHeaders(message.raw, user.email, mailbox);
      if (completed !== message.raw) {
        message.raw = completed;
        message.summary = undefined;
      }
      message.internalDate = Date.now();
      mailbox.modify(message, ['SENT'], ['DRAFT']);
      sendGmail(ctx, shortResource(message));
    });
  }

  router.get(P, async (ctx) => {
    const found = await gmailCall(ctx, state, 'drafts.list');
    if (!found) return;
    const all = [...found.mailbox.drafts].map(([id, messageId]) => ({ id, message: found.mailbox.messages.get(messageId)! })).filter((d) => d.message);
    all.sort((a, b) => b.message.internalDate - a.message.internalDate);
    const start = Number(ctx.query.get('pageToken') || 0) || 0;
    const size = maxResultsOf(ctx);
    const page = all.slice(start, start + size);
    sendGmail(ctx, {
      ...(page.length ? { drafts: page.map((d) => ({ id: d.id, message: { id: d.message.id, threadId: d.message.threadId } })) } : {}),
      ...(start + size < all.length ? { nextPageToken: String(start + size) } : {}),
      resultSizeEstimate: all.length,
    });
  });

  router.get(`${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'drafts.get');
    if (!found) return;
    const format = formatOf(ctx);
    if (!format) return;
    const message = draftMessage(found.mailbox, ctx.params.id);
    if (!message) return sendNotFound(ctx);
    sendGmail(ctx, { id: ctx.params.id, message: messageResource(found.mailbox, message, format) });
  });

  router.on('DELETE', `${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'drafts.delete');
    if (!found) return;
    const message = draftMessage(found.mailbox, ctx.params.id);
    if (!message) return sendNotFound(ctx);
    found.mailbox.delete(message);
    sendNoContent(ctx);
  });
}

function draftMessage(mailbox: GmailMailbox, draftId: string) {
  const messageId = mailbox.drafts.get(draftId);
  return messageId ? mailbox.messages.get(messageId) : undefined;
}
