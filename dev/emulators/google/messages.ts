/**
 * users.messages: list, get (four formats), attachments.get, and the changes (modify,
 * batchModify, trash, untrash, delete, batchDelete), each writing history. Sending, import and
 * insert are in send.ts.
 */
import type { Context, Router } from '../shared/http';
import { attachmentPart, FORMATS, messageResource, unpadded, type Format } from './format';
import { bodyOf, GMAIL_PREFIX, maxResultsOf, sendBadRequest, sendGmail, sendNoContent, sendNotFound } from './api';
import type { GmailMailbox, GmailMessage } from './mailbox';
import { compileQuery } from './query';
import { gmailCall } from './quota';
import { sendRoutes } from './send';
import type { GoogleState } from './state';
import { decodeBody } from '../shared/mime';

const P = `${GMAIL_PREFIX}/messages`;
const HIDDEN = ['SPAM', 'TRASH'];

export function messageRoutes(router: Router, state: GoogleState) {
  router.get(P, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.list');
    if (!found) return;
    const matches = matching(ctx, found.mailbox);
    const page = pageOf(ctx, matches, maxResultsOf(ctx));
    if (!page) return sendBadRequest(ctx, 'Invalid pageToken');
    sendGmail(ctx, {
      // Gmail leaves the key out entirely when nothing matches.
      ...(page.items.length ? { messages: page.items.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
      ...(page.next ? { nextPageToken: page.next } : {}),
      resultSizeEstimate: matches.length,
    });
  });

  router.get(`${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.get');
    if (!found) return;
    const format = formatOf(ctx);
    if (!format) return;
    const message = found.mailbox.messages.get(ctx.params.id);
    if (!message) return sendNotFound(ctx);
    sendGmail(ctx, messageResource(found.mailbox, message, format, ctx.query.getAll('metadataHeaders')));
  });

  router.get(`${P}/:id/attachments/:attachmentId`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.attachments.get');
    if (!found) return;
    const message = found.mailbox.messages.get(ctx.params.id);
    const part = message && attachmentPart(found.mailbox, message, ctx.params.attachmentId);
    if (!part) return sendNotFound(ctx);
    const data = decodeBody(part);
    sendGmail(ctx, { size: data.length, data: unpadded(data) });
  });

  router.post(`${P}/:id/modify`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.modify');
    const body = found && bodyOf(ctx);
    if (!found || !body) return;
    const message = found.mailbox.messages.get(ctx.params.id);
    if (!message) return sendNotFound(ctx);
    const add: string[] = body.addLabelIds || [];
    const remove: string[] = body.removeLabelIds || [];
    if (!checkLabels(ctx, found.mailbox, add, remove)) return;
    found.mailbox.modify(message, add, remove);
    sendGmail(ctx, shortResource(message));
  });

  router.post(`${P}/batchModify`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.batchModify');
    const body = found && bodyOf(ctx);
    if (!found || !body) return;
    const ids: string[] = body.ids || [];
    if (ids.length > 1000) return sendBadRequest(ctx, 'Too many ids (at most 1000)');
    const add: string[] = body.addLabelIds || [];
    const remove: string[] = body.removeLabelIds || [];
    if (!checkLabels(ctx, found.mailbox, add, remove)) return;
    // Unknown ids are skipped silently, as Gmail does.
    for (const id of ids) {
      const message = found.mailbox.messages.get(id);
      if (message) found.mailbox.modify(message, add, remove);
    }
    sendNoContent(ctx);
  });

  // Trash takes the message out of the inbox; untrash does not put it back (as on Gmail).
  for (const [action, add, remove] of [['trash', ['TRASH'], ['INBOX', 'SPAM']], ['untrash', [], ['TRASH']]] as const) {
    router.post(`${P}/:id/${action}`, async (ctx) => {
      const found = await gmailCall(ctx, state, `messages.${action}`);
      if (!found) return;
      const message = found.mailbox.messages.get(ctx.params.id);
      if (!message) return sendNotFound(ctx);
      found.mailbox.modify(message, [...add], [...remove]);
      sendGmail(ctx, shortResource(message));
    });
  }

  router.on('DELETE', `${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.delete');
    if (!found) return;
    const message = found.mailbox.messages.get(ctx.params.id);
    if (!message) return sendNotFound(ctx);
    found.mailbox.delete(message);
    sendNoContent(ctx);
  });

  router.post(`${P}/batchDelete`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'messages.batchDelete');
    const body = found && bodyOf(ctx);
    if (!found || !body) return;
    for (const id of body.ids || []) {
      const message = found.mailbox.messages.get(id);
      if (message) found.mailbox.delete(message);
    }
    sendNoContent(ctx);
  });

  sendRoutes(router, state);
}

/** Messages matching q, labelIds and includeSpamTrash, newest first. */
export function matching(ctx: Context, mailbox: GmailMailbox): GmailMessage[] {
  const labelIds = ctx.query.getAll('labelIds');
  const query = compileQuery(ctx.query.get('q') || '', mailbox);
  const withHidden = ctx.query.get('includeSpamTrash') === 'true' || query.includesSpamTrash || labelIds.some((l) => HIDDEN.includes(l));
  return mailbox.sorted().filter(
    (m) => (withHidden || !m.labelIds.some((l) => HIDDEN.includes(l))) && labelIds.every((l) => m.labelIds.includes(l)) && query.test(m),
  );
}

/**
 * A page of a newest-first list. The token names the last item returned (its date and id), so a
 * message arriving between pages neither repeats nor hides items. Digits only, like Gmail's.
 */
export function pageOf(ctx: Context, items: GmailMessage[], size: number) {
  const token = ctx.query.get('pageToken');
  let start = 0;
  if (token) {
    const m = /^(\d{15})(\d{20})$/.exec(token);
    if (!m) return undefined;
    const date = Number(m[1]);
    const id = BigInt(m[2]).toString(16).padStart(16, '0');
    start = items.findIndex((x) => x.internalDate < date || (x.internalDate === date && x.id < id));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + size);
  const last = page[page.length - 1];
  const next = start + size < items.length && last ? `${String(last.internalDate).padStart(15, '0')}${BigInt(`0x${last.id}`).toString().padStart(20, '0')}` : undefined;
  return { items: page, next };
}

export function formatOf(ctx: Context, allowed: Format[] = FORMATS): Format | undefined {
  const format = (ctx.query.get('format') || 'full').toLowerCase() as Format;
  if (allowed.includes(format)) return format;
  sendBadRequest(ctx, `Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.Format), "${ctx.query.get('format')}"`);
  return undefined;
}

export function shortResource(m: GmailMessage) {
  return { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] };
}

/** Every label must exist; DRAFT cannot be added or removed by hand. */
function checkLabels(ctx: Context, mailbox: GmailMailbox, add: string[], remove: string[]) {
  for (const id of [...add, ...remove]) {
    if (!mailbox.labels.has(id) || id === 'DRAFT') {
      sendBadRequest(ctx, `Invalid label: ${id}`);
      return false;
    }
  }
  return true;
}
