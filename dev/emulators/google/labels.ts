/**
 * users.labels: list, get (with message and thread counts), create, patch/update and delete of
 * user labels. System labels cannot be changed or deleted; names are unique case-insensitively,
 * system names included.
 */
import type { Context, Router } from '../shared/http';
import { sendApiError } from './errors';
import { bodyOf, GMAIL_PREFIX, sendBadRequest, sendGmail, sendNoContent, sendNotFound } from './api';
import type { GmailLabel, GmailMailbox } from './mailbox';
import { gmailCall } from './quota';
import type { GoogleState } from './state';

const P = `${GMAIL_PREFIX}/labels`;

export function labelRoutes(router: Router, state: GoogleState) {
  router.get(P, async (ctx) => {
    const found = await gmailCall(ctx, state, 'labels.list');
    if (found) sendGmail(ctx, { labels: [...found.mailbox.labels.values()].map((l) => ({ ...l })) });
  });

  router.get(`${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'labels.get');
    if (!found) return;
    const label = found.mailbox.labels.get(ctx.params.id);
    if (!label) return sendNotFound(ctx);
    sendGmail(ctx, { ...label, ...countsOf(found.mailbox, label.id) });
  });

  router.post(P, async (ctx) => {
    const found = await gmailCall(ctx, state, 'labels.create');
    const body = found && bodyOf(ctx);
    if (!found || !body) return;
    const name = String(body.name || '').trim();
    if (!name) return sendBadRequest(ctx, 'Invalid label name');
    if (nameTaken(found.mailbox, name)) return sendConflict(ctx);
    sendGmail(ctx, found.mailbox.createLabel(name, body));
  });

  for (const method of ['PATCH', 'PUT'] as const) {
    router.on(method, `${P}/:id`, async (ctx) => {
      const found = await gmailCall(ctx, state, method === 'PATCH' ? 'labels.patch' : 'labels.update');
      const body = found && bodyOf(ctx);
      if (!found || !body) return;
      const label = found.mailbox.labels.get(ctx.params.id);
      if (!label) return sendNotFound(ctx);
      if (label.type === 'system') return sendBadRequest(ctx, 'Invalid update request');
      if (body.name !== undefined) {
        const name = String(body.name).trim();
        if (!name) return sendBadRequest(ctx, 'Invalid label name');
        if (nameTaken(found.mailbox, name, label.id)) return sendConflict(ctx);
        label.name = name;
      }
      for (const key of ['messageListVisibility', 'labelListVisibility', 'color'] as const) if (body[key] !== undefined) (label as any)[key] = body[key];
      sendGmail(ctx, { ...label });
    });
  }

  router.on('DELETE', `${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'labels.delete');
    if (!found) return;
    const label = found.mailbox.labels.get(ctx.params.id);
    if (!label) return sendNotFound(ctx);
    if (label.type === 'system') return sendBadRequest(ctx, 'Invalid delete request');
    found.mailbox.deleteLabel(label);
    sendNoContent(ctx);
  });
}

export function countsOf(mailbox: GmailMailbox, labelId: string) {
  let messagesTotal = 0;
  let messagesUnread = 0;
  const threads = new Set<string>();
  const unreadThreads = new Set<string>();
  for (const m of mailbox.messages.values()) {
    if (!m.labelIds.includes(labelId)) continue;
    messagesTotal += 1;
    threads.add(m.threadId);
    if (m.labelIds.includes('UNREAD')) {
      messagesUnread += 1;
      unreadThreads.add(m.threadId);
    }
  }
  return { messagesTotal, messagesUnread, threadsTotal: threads.size, threadsUnread: unreadThreads.size };
}

function nameTaken(mailbox: GmailMailbox, name: string, except?: string) {
  const lower = name.toLowerCase();
  return [...mailbox.labels.values()].some((l: GmailLabel) => l.id !== except && l.name.toLowerCase() === lower);
}

function sendConflict(ctx: Context) {
  sendApiError(ctx, 409, 'Label name exists or conflicts', { reason: 'aborted', status: 'ABORTED' });
}
