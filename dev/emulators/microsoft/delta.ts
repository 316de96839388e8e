/**
 * GET /me/mailFolders/{id}/messages/delta. A first call lists the folder (newest first, limited
 * by a `receivedDateTime ge|gt` $filter, shaped by $select), page by page with an
 * `@odata.nextLink` carrying an opaque $skiptoken; the last page has an `@odata.deltaLink` with a
 * $deltatoken. Calling the deltaLink returns what changed since: new or changed messages in full
 * (same $select, same filter) and messages that left the folder as
 * `{"@odata.type": "#microsoft.graph.message", id, "@removed": {reason}}` — 'deleted' for a
 * delete, 'changed' for a move out. As on Graph, pages are often smaller than the page size asked
 * for (`Prefer: odata.maxpagesize`, or $top; default 10, capped at 1000), here a seeded quarter
 * of them; an unknown or expired token answers 410 SyncStateNotFound (and every request does while
 * the mailbox `rejectsSyncState`, see `rejectSyncState()`).
 */
import type { Context, Router } from '../shared/http';
import { randomInt } from '../shared/random';
import { graphCall, sendGraph, sendNotFound, type Prefer } from './api';
import { sendGraphError } from './errors';
import type { DeltaState, OutlookMailbox, Tombstone } from './mailbox';
import { messageJson, selectOf } from './message-json';
import type { MicrosoftState } from './state';

export const DELTA_DEFAULT_PAGE_SIZE = 10;
export const DELTA_MAX_PAGE_SIZE = 1000;

export function deltaRoute(router: Router, state: MicrosoftState) {
  router.get('/v1.0/me/mailFolders/:folder/messages/delta', async (ctx) => {
    const call = await graphCall(ctx, state, 'messages.delta', 'delta');
    if (!call) return;
    const { mailbox, prefer } = call;
    const folder = mailbox.folder(ctx.params.folder);
    if (!folder) return sendNotFound(ctx);
    if (mailbox.rejectsSyncState) return sendSyncStateNotFound(ctx);
    const token = ctx.query.get('$skiptoken') ?? ctx.query.get('$deltatoken');
    let round: DeltaState;
    if (token !== null) {
      const saved = mailbox.deltaTokens.get(token);
      if (!saved || saved.folderId !== folder.id) return sendSyncStateNotFound(ctx);
      round = ctx.query.has('$skiptoken') ? saved : changesSince(mailbox, saved, prefer);
    } else {
      const filter = sinceOf(ctx.query.get('$filter'));
      if (filter === null) return sendGraphError(ctx, 400, 'BadRequest', 'The query filter contains one or more invalid nodes.');
      const top = Number(ctx.query.get('$top')) || undefined;
      const items = mailbox
        .messagesIn(folder.id)
        .filter((m) => filter === undefined || m.receivedDateTime >= filter)
        .map((m) => ({ immutableId: m.immutableId }));
      round = { folderId: folder.id, select: selectOf(ctx.query.get('$select')), since: filter, syncSeq: mailbox.seq, items, offset: 0, pageSize: top };
    }
    sendPage(ctx, state, mailbox, round, prefer);
  });
}

function sendSyncStateNotFound(ctx: Context) {
  sendGraphError(ctx, 410, 'SyncStateNotFound', 'The sync state generation is not found. The client should start a new sync cycle.');
}

/** A new round from a deltaLink: changes after its sequence number, oldest change first. */
function changesSince(mailbox: OutlookMailbox, from: DeltaState, prefer: Prefer): DeltaState {
  const changed = [...mailbox.messages.values()].filter(
    (m) => m.folderId === from.folderId && m.seq > from.syncSeq && (from.since === undefined || m.receivedDateTime >= from.since),
  );
  const here = new Map(changed.map((m) => [m.immutableId, m]));
  // With immutable ids, a message that left and came back is simply "changed": no removal for it.
  const removed = mailbox.tombstones.filter((t) => t.folderId === from.folderId && t.seq > from.syncSeq && !(prefer.immutable && (here.get(t.immutableId)?.seq ?? 0) > t.seq));
  const items: { seq: number; immutableId?: string; tombstone?: Tombstone }[] = [
    ...changed.map((m) => ({ seq: m.seq, immutableId: m.immutableId })),
    ...removed.map((t) => ({ seq: t.seq, tombstone: t })),
  ].sort((a, b) => a.seq - b.seq);
  return { ...from, syncSeq: mailbox.seq, items: items.map(({ immutableId, tombstone }) => ({ immutableId, tombstone })), offset: 0 };
}

function sendPage(ctx: Context, state: MicrosoftState, mailbox: OutlookMailbox, round: DeltaState, prefer: Prefer) {
  const items = round.items || [];
  let size = Math.min(DELTA_MAX_PAGE_SIZE, prefer.maxPageSize ?? round.pageSize ?? DELTA_DEFAULT_PAGE_SIZE);
  // Graph often answers with fewer items than the page size; a seeded share of pages does here.
  if (size > 1 && mailbox.random() < (state.options.shortPageRatio ?? 0.25)) size = randomInt(mailbox.random, 1, size - 1);
  const start = round.offset || 0;
  const value: Record<string, unknown>[] = [];
  let at = start;
  for (; at < items.length && at < start + size; at++) {
    const item = items[at];
    if (item.tombstone) {
      const t = item.tombstone;
      value.push({ '@odata.type': '#microsoft.graph.message', id: prefer.immutable ? t.immutableId : t.restId, '@removed': { reason: t.reason } });
      continue;
    }
    const message = mailbox.messages.get(item.immutableId!);
    // Gone or moved away since the round began: the next round reports it.
    if (!message || message.folderId !== round.folderId) continue;
    value.push(messageJson(mailbox, message, prefer, round.select));
  }
  const link = `${state.graphUrl}/v1.0/me/mailFolders/${encodeURIComponent(ctx.params.folder)}/messages/delta`;
  const token = mailbox.newToken();
  const body: Record<string, unknown> = { '@odata.context': `${state.graphUrl}/v1.0/$metadata#Collection(message)`, value };
  if (at < items.length) {
    mailbox.deltaTokens.set(token, { ...round, offset: at, pageSize: round.pageSize });
    body['@odata.nextLink'] = `${link}?$skiptoken=${token}`;
  } else {
    mailbox.deltaTokens.set(token, { folderId: round.folderId, select: round.select, since: round.since, syncSeq: round.syncSeq, pageSize: round.pageSize });
    body['@odata.deltaLink'] = `${link}?$deltatoken=${token}`;
  }
  const applied = [prefer.maxPageSize ? `odata.maxpagesize=${Math.min(prefer.maxPageSize, DELTA_MAX_PAGE_SIZE)}` : '', prefer.immutable ? 'IdType="ImmutableId"' : ''].filter(Boolean);
  sendGraph(ctx, 200, body, applied.length ? { 'preference-applied': applied.join(', ') } : {});
}

/** `receivedDateTime ge|gt <ISO>` → ms; undefined without a filter; null for one Graph refuses here. */
function sinceOf(filter: string | null): number | undefined | null {
  if (!filter) return undefined;
  const m = /^\s*receivedDateTime\s+(ge|gt)\s+'?([0-9][0-9T:.+\-Z]*)'?\s*$/i.exec(filter);
  if (!m) return null;
  const at = Date.parse(m[2]);
  if (Number.isNaN(at)) return null;
  return m[1].toLowerCase() === 'gt' ? at + 1 : at;
}
