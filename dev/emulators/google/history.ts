/**
 * users.history.list: the changes after `startHistoryId`, oldest first, each record with the
 * message as it was after the change. As on Gmail: no `history` key at all when nothing changed,
 * the answer's historyId is the mailbox's current one, and a start id older than the kept history
 * (see `historyRetention` and `expireHistory()`) is answered 404 notFound — the client must then
 * do a full sync.
 */
import type { Router } from '../shared/http';
import { GMAIL_PREFIX, maxResultsOf, sendBadRequest, sendGmail, sendNotFound } from './api';
import type { HistoryRecord } from './mailbox';
import { gmailCall } from './quota';
import type { GoogleState } from './state';

const TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

export function historyRoutes(router: Router, state: GoogleState) {
  router.get(`${GMAIL_PREFIX}/history`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'history.list');
    if (!found) return;
    const { mailbox } = found;
    const startText = ctx.query.get('startHistoryId');
    if (!startText) return sendBadRequest(ctx, 'Missing required parameter: startHistoryId');
    if (!/^\d+$/.test(startText)) return sendBadRequest(ctx, `Invalid value at 'start_history_id' (TYPE_UINT64), "${startText}"`);
    const start = Number(startText);
    if (start < mailbox.historyFloor) return sendNotFound(ctx);
    const types = ctx.query.getAll('historyTypes');
    const unknown = types.find((t) => !TYPES.includes(t));
    if (unknown) return sendBadRequest(ctx, `Invalid value at 'history_types', "${unknown}"`);
    const labelId = ctx.query.get('labelId');
    const token = ctx.query.get('pageToken');
    if (token && !/^\d+$/.test(token)) return sendBadRequest(ctx, 'Invalid pageToken');
    const after = token ? Math.max(start, Number(token)) : start;
    const records = mailbox.historySince(after).filter((r) => matches(r, types, labelId));
    const size = maxResultsOf(ctx);
    const page = records.slice(0, size);
    sendGmail(ctx, {
      ...(page.length ? { history: page.map((r) => render(r, types)) } : {}),
      ...(records.length > size ? { nextPageToken: String(page[page.length - 1].id) } : {}),
      historyId: String(mailbox.historyId),
    });
  });
}

function kindsOf(r: HistoryRecord) {
  return [r.added && 'messageAdded', r.deleted && 'messageDeleted', r.labelsAdded && 'labelAdded', r.labelsRemoved && 'labelRemoved'].filter(Boolean) as string[];
}

function matches(r: HistoryRecord, types: string[], labelId: string | null) {
  if (types.length && !kindsOf(r).some((k) => types.includes(k))) return false;
  if (labelId && !r.message.labelIds.includes(labelId) && !r.labelsAdded?.includes(labelId) && !r.labelsRemoved?.includes(labelId)) return false;
  return true;
}

function render(r: HistoryRecord, types: string[]) {
  const wanted = (kind: string) => !types.length || types.includes(kind);
  const message = { id: r.message.id, threadId: r.message.threadId, labelIds: r.message.labelIds };
  return {
    id: String(r.id),
    messages: [{ id: r.message.id, threadId: r.message.threadId }],
    ...(r.added && wanted('messageAdded') ? { messagesAdded: [{ message }] } : {}),
    ...(r.deleted && wanted('messageDeleted') ? { messagesDeleted: [{ message }] } : {}),
    ...(r.labelsAdded && wanted('labelAdded') ? { labelsAdded: [{ message, labelIds: r.labelsAdded }] } : {}),
    ...(r.labelsRemoved && wanted('labelRemoved') ? { labelsRemoved: [{ message, labelIds: r.labelsRemoved }] } : {}),
  };
}
