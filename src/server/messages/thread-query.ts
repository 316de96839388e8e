/**
 * Reading the mail center (S-CENTER-1…4, S-CENTER-6): the conversation list, one conversation,
 * and the unread counts. Conversations are grouped by provider thread id (SPEC §12.1). A row is
 * the newest mail of its conversation among those that match the filter, found with an index
 * walk in date order plus a "no newer matching mail in this thread" test, so a page costs
 * about its own size whatever the mailbox holds.
 */
import type Application from '@nocobase/server';
import { SCHEDULED_BOX_STATUSES } from '../../shared/compose-api';
import { COLLECTIONS } from '../constants';
import { type LabelLinkRow, type LabelRow, type MessageRow, type NoteRow, rawRows } from '../db-types';
import type { Address, LabelView, MailCounts, ThreadListMeta, ThreadPageMeta, ThreadRow } from '../../shared/mail-center-api';
import { compileFilter } from './filter/compile';
import { threadFilterTree, ThreadFilter } from './filter/thread-filter';
import { SqlNames } from './sql';

/** The columns a list row needs: never the bodies. */
const ROW_FIELDS = ['id', 'accountId', 'threadId', 'subject', 'snippet', 'from', 'to', 'date', 'read', 'starred', 'draft', 'box', 'hasAttachments', 'scheduledAt', 'scheduleStatus'];

export class ThreadQuery {
  private readonly sql: SqlNames;

  constructor(private readonly app: Application) {
    this.sql = new SqlNames(app.db);
  }

  private get messages() {
    return this.app.db.getCollection(COLLECTIONS.messages).model;
  }

  private col(field: string, alias: string) {
    return this.sql.column(COLLECTIONS.messages, field, alias);
  }

  /**
   * One page of conversations, newest first, and whether more follow. Each account is walked on
   * its own index in date order and stops after the rows it can contribute; the branches are
   * merged. The total is a separate call (threadCount): it must read every matching mail, so
   * the list does not wait for it.
   */
  async threads(filter: ThreadFilter): Promise<{ rows: ThreadRow[] } & ThreadListMeta> {
    const T = this.sql.table(COLLECTIONS.messages);
    const m = (field: string) => this.col(field, 'm');
    const n = (field: string) => this.col(field, 'n');
    const offset = (filter.page - 1) * filter.pageSize;
    const replacements: Record<string, unknown> = { limit: filter.pageSize + 1, offset, branch: offset + filter.pageSize + 1 };
    const newer = `${n('date')} > ${m('date')} OR (${n('date')} = ${m('date')} AND ${n('id')} > ${m('id')})`;
    const branches = filter.accountIds.map((accountId, i) => {
      const condition = (alias: string) => this.condition(filter, [accountId], alias, replacements);
      return `SELECT id, d FROM (SELECT ${m('id')} AS id, ${m('date')} AS d FROM ${T} m WHERE ${condition('m')}
        AND NOT EXISTS (SELECT 1 FROM ${T} n WHERE ${n('accountId')} = ${m('accountId')} AND ${n('threadId')} = ${m('threadId')}
          AND (${newer}) AND ${condition('n')})
        ORDER BY ${m('date')} DESC, ${m('id')} DESC LIMIT :branch) b${i}`;
    });
    const page = branches.length
      ? await this.sql.select<{ id: number }>(`${branches.join(' UNION ALL ')} ORDER BY d DESC, id DESC LIMIT :limit OFFSET :offset`, replacements)
      : [];
    const ids = page.slice(0, filter.pageSize).map((r) => Number(r.id));
    return { rows: await this.rowsFor(filter, ids), page: filter.page, pageSize: filter.pageSize, hasMore: page.length > filter.pageSize };
  }

  /** How many conversations match (the list's total). */
  async threadCount(filter: ThreadFilter): Promise<ThreadPageMeta> {
    const T = this.sql.table(COLLECTIONS.messages);
    const m = (field: string) => this.col(field, 'm');
    const replacements: Record<string, unknown> = {};
    const [{ count }] = await this.sql.select<{ count: number }>(
      `SELECT COUNT(*) AS count FROM (SELECT ${m('threadId')} AS t FROM ${T} m WHERE ${this.condition(filter, filter.accountIds, 'm', replacements)}
       GROUP BY ${m('accountId')}, ${m('threadId')}) threads`,
      replacements,
    );
    const total = Number(count);
    return { count: total, page: filter.page, pageSize: filter.pageSize, totalPage: Math.ceil(total / filter.pageSize) };
  }

  /**
   * The filter as SQL over `alias` within `accountIds` (one, for a branch of the list), its
   * values added to `replacements`. Participant subqueries are narrowed to the same accounts.
   */
  private condition(filter: ThreadFilter, accountIds: number[], alias: string, replacements: Record<string, unknown>) {
    return compileFilter(threadFilterTree(filter, accountIds), { sql: this.sql, userId: filter.userId, accountIds, replacements, alias }).sql;
  }

  /** The list rows of these mails, with what their conversations add (count, unread, labels, to-do). */
  private async rowsFor(filter: ThreadFilter, ids: number[]): Promise<ThreadRow[]> {
    if (!ids.length) return [];
    const found = rawRows<MessageRow>(await this.messages.findAll({ attributes: ROW_FIELDS, where: { id: ids }, raw: true }));
    const byId = new Map(found.map((r) => [Number(r.id), r]));
    const heads = ids.map((id) => byId.get(id)).filter((r): r is MessageRow => Boolean(r));
    const inTrash = filter.box === 'trash';
    const members = rawRows<MessageRow>(await this.messages.findAll({
      attributes: ['id', 'accountId', 'threadId', 'read', 'hasAttachments', 'box'],
      where: { accountId: [...new Set(heads.map((h) => h.accountId))], threadId: [...new Set(heads.map((h) => h.threadId))] },
      raw: true,
    }));
    const key = (r: Pick<MessageRow, 'accountId' | 'threadId'>) => `${r.accountId}\u0000${r.threadId}`;
    const threads = new Map<string, MessageRow[]>();
    for (const r of members) {
      if ((r.box === 'trash') !== inTrash) continue;
      threads.set(key(r), [...(threads.get(key(r)) || []), r]);
    }
    const labels = await this.labelsOf(filter.userId, members.map((r) => Number(r.id)));
    const notes = await this.notesOf(filter.userId, heads);
    return heads.map((head) => {
      const thread = threads.get(key(head)) || [head];
      const outgoing = ['sent', 'drafts', 'scheduled'].includes(head.box!) || truthy(head.draft);
      const threadLabels = new Map<number, LabelView>();
      for (const r of thread) for (const l of labels.get(Number(r.id)) || []) threadLabels.set(l.id, l);
      const note = notes.get(key(head));
      return {
        id: Number(head.id),
        accountId: Number(head.accountId),
        threadId: head.threadId,
        subject: head.subject || '',
        snippet: head.snippet || '',
        correspondents: outgoing ? addresses(head.to) : addresses(head.from),
        date: new Date(head.date).toISOString(),
        messageCount: thread.length,
        unread: thread.some((r) => !truthy(r.read)),
        starred: truthy(head.starred),
        hasAttachments: thread.some((r) => truthy(r.hasAttachments)),
        box: head.box ?? null,
        draft: truthy(head.draft),
        ...scheduleOf(head),
        labels: [...threadLabels.values()],
        todo: Boolean(note?.todo),
        hasNote: Boolean(note?.note),
      };
    });
  }

  /** Personal labels of the user on these mails. */
  async labelsOf(userId: number, messageIds: number[]): Promise<Map<number, LabelView[]>> {
    const out = new Map<number, LabelView[]>();
    if (!messageIds.length) return out;
    const links = rawRows<LabelLinkRow>(await this.app.db.getCollection(COLLECTIONS.labelLinks).model.findAll({ where: { messageId: messageIds }, raw: true }));
    if (!links.length) return out;
    const labels = rawRows<LabelRow>(await this.app.db
      .getCollection(COLLECTIONS.labels)
      .model.findAll({ where: { userId, id: [...new Set(links.map((l) => l.labelId))] }, raw: true }));
    const byId = new Map(labels.map((l) => [Number(l.id), { id: Number(l.id), name: l.name, color: l.color || 'blue' }]));
    for (const link of links) {
      const label = byId.get(Number(link.labelId));
      if (label) out.set(Number(link.messageId), [...(out.get(Number(link.messageId)) || []), label]);
    }
    return out;
  }

  private async notesOf(userId: number, heads: MessageRow[]) {
    const rows = rawRows<NoteRow>(await this.app.db.getCollection(COLLECTIONS.notes).model.findAll({
      where: { userId, accountId: [...new Set(heads.map((h) => h.accountId))], threadId: [...new Set(heads.map((h) => h.threadId))] },
      raw: true,
    }));
    return new Map(rows.map((r) => [`${r.accountId}\u0000${r.threadId}`, r]));
  }

  /** The badge alone (S-CENTER-1): unread Inbox mail of the user's accounts. */
  async unreadInbox(accountIds: number[]): Promise<number> {
    if (!accountIds.length) return 0;
    return this.messages.count({ where: { accountId: accountIds, box: 'inbox', read: false } });
  }

  /** Unread counts for the sidebar. */
  async counts(userId: number, accountIds: number[]): Promise<MailCounts> {
    const out: MailCounts = { unread: 0, boxes: {}, accounts: {}, labels: {}, todo: 0 };
    if (!accountIds.length) return out;
    const T = this.sql.table(COLLECTIONS.messages);
    const m = (field: string) => this.col(field, 'm');
    const replacements = { accountIds, no: false, yes: true, userId };
    const byBox = await this.sql.select<{ accountId: number; box: string | null; count: number }>(
      `SELECT ${m('accountId')} AS "accountId", ${m('box')} AS box, COUNT(*) AS count FROM ${T} m
       WHERE ${m('accountId')} IN (:accountIds) AND ${m('read')} = :no GROUP BY ${m('accountId')}, ${m('box')}`,
      replacements,
    );
    const starred = await this.sql.select<{ accountId: number; count: number }>(
      `SELECT ${m('accountId')} AS "accountId", COUNT(*) AS count FROM ${T} m WHERE ${m('accountId')} IN (:accountIds) AND ${m('read')} = :no
       AND ${m('starred')} = :yes AND (${m('box')} IS NULL OR ${m('box')} NOT IN ('trash', 'spam')) GROUP BY ${m('accountId')}`,
      replacements,
    );
    for (const id of accountIds) out.accounts[id] = {};
    const add = (accountId: number, box: string, count: number) => {
      const perAccount = (out.accounts[accountId] ??= {}) as Record<string, number>;
      perAccount[box] = (perAccount[box] || 0) + count;
      (out.boxes as Record<string, number>)[box] = ((out.boxes as Record<string, number>)[box] || 0) + count;
    };
    for (const r of byBox) {
      add(Number(r.accountId), r.box || 'all', Number(r.count));
      if (r.box !== 'trash' && r.box !== 'spam' && r.box) add(Number(r.accountId), 'all', Number(r.count));
    }
    for (const r of starred) add(Number(r.accountId), 'starred', Number(r.count));
    out.unread = out.boxes.inbox || 0;

    const L = COLLECTIONS.labelLinks;
    const labelRows = await this.sql.select<{ labelId: number; count: number }>(
      `SELECT ${this.sql.column(L, 'labelId', 'l')} AS "labelId", COUNT(*) AS count FROM ${this.sql.table(L)} l
       JOIN ${T} m ON ${m('id')} = ${this.sql.column(L, 'messageId', 'l')}
       JOIN ${this.sql.table(COLLECTIONS.labels)} lb ON ${this.sql.column(COLLECTIONS.labels, 'id', 'lb')} = ${this.sql.column(L, 'labelId', 'l')}
       WHERE ${this.sql.column(COLLECTIONS.labels, 'userId', 'lb')} = :userId AND ${m('read')} = :no AND ${m('accountId')} IN (:accountIds)
       GROUP BY ${this.sql.column(L, 'labelId', 'l')}`,
      replacements,
    );
    for (const r of labelRows) out.labels[Number(r.labelId)] = Number(r.count);
    out.todo = await this.app.db.getCollection(COLLECTIONS.notes).model.count({ where: { userId, accountId: accountIds, todo: true } });
    return out;
  }
}

export const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 't';

export function addresses(value: unknown): Address[] {
  const parsed = typeof value === 'string' ? safeJson(value) : value;
  const list = Array.isArray(parsed) ? parsed : parsed ? [parsed] : [];
  return list
    .filter((a): a is Address => Boolean(a) && typeof (a as Partial<Address>).address === 'string')
    .map((a) => (a.name ? { name: a.name, address: a.address } : { address: a.address }));
}

function safeJson(text: string) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Only mail still waiting for (or failing at) its send time carries its schedule to the list. */
function scheduleOf(head: MessageRow): Pick<ThreadRow, 'scheduledAt' | 'scheduleStatus'> {
  const waiting = truthy(head.draft) && head.scheduledAt && head.scheduleStatus && SCHEDULED_BOX_STATUSES.includes(head.scheduleStatus);
  return waiting
    ? { scheduledAt: new Date(head.scheduledAt!).toISOString(), scheduleStatus: head.scheduleStatus }
    : { scheduledAt: null, scheduleStatus: null };
}
