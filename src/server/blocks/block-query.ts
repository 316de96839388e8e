/**
 * The Email table and Email details blocks' reads (S-BLOCK-1/3/4/5): the visibility predicate
 * (block-scope.ts) AND the Data scope (messages/filter/block-filter.ts), counted and paged in SQL, then the page's
 * rows completed with their account, the caller's labels, attachments and replied mail in a
 * few queries of the page's size. Nothing is written: viewing never marks mail read (S-ACL-5).
 */
import type { Context } from '@nocobase/actions';
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { type AccountRow, type AttachmentRow, type MessageRow, rawRows } from '../db-types';
import { UserError } from '../errors';
import type { AttachmentService } from '../messages/attachment-service';
import { SqlNames } from '../messages/sql';
import { addresses, ThreadQuery, truthy } from '../messages/thread-query';
import type { BlockAttachment, BlockListMeta, BlockMessage, BlockRow, BlockSort, RepliedMessage } from '../../shared/block-api';
import { compileBlockFilter } from '../messages/filter/block-filter';
import { readBlockListInput } from './block-input';
import { BlockScopes, Visibility } from './block-scope';
import type { BlockListInput } from './block-input';

export interface PreparedList {
  input: BlockListInput;
  userId: number;
  visibility: Visibility;
  where: string;
  /** See CompiledFilter.participantWhere; null when the mail table must be read. */
  participantWhere: string | null;
  replacements: Record<string, unknown>;
}

/** The columns a table row needs: no bodies. */
const ROW_ATTRIBUTES = ['id', 'accountId', 'threadId', 'subject', 'from', 'to', 'cc', 'bcc', 'date', 'snippet', 'box', 'read', 'draft', 'hasAttachments', 'inReplyTo'];

export class BlockQuery {
  private readonly sql: SqlNames;
  private readonly scopes: BlockScopes;

  constructor(
    private readonly app: Application,
    private readonly attachments: AttachmentService,
    private readonly threads: ThreadQuery,
  ) {
    this.sql = new SqlNames(app.db);
    this.scopes = new BlockScopes(app);
  }

  private get messages() {
    return this.app.db.getCollection(COLLECTIONS.messages).model;
  }

  async list(ctx: Context, rawInput: Record<string, unknown>): Promise<{ rows: BlockRow[]; meta: BlockListMeta }> {
    const query = await this.prepare(ctx, rawInput);
    const [ids, count] = await Promise.all([this.pageIds(query), this.count(query)]);
    const rows = await this.rows(query.userId, ids, query.visibility.ownAccountIds);
    const { page, pageSize } = query.input;
    return { rows, meta: { count, page, pageSize, totalPage: Math.ceil(count / pageSize), scope: query.visibility.scope } };
  }

  /** The checked input, who may be seen, and the WHERE clause with its values. */
  async prepare(ctx: Context, rawInput: Record<string, unknown>): Promise<PreparedList> {
    const input = readBlockListInput(rawInput);
    const userId = Number(ctx.state.currentUser.id);
    const replacements: Record<string, unknown> = {};
    const visibility = await this.scopes.visibility(ctx, input.scope, this.sql, replacements);
    const filter = compileBlockFilter(input.filter, { sql: this.sql, userId, accountIds: visibility.accountIds, replacements });
    // The participants table alone answers when the filter is one participant test already
    // narrowed to the visible accounts (the index is kept in step with the mail) and nothing
    // else decides what is visible (other users' drafts are left out by the mail's own columns).
    const participantWhere = visibility.accountsOnly && input.sort.endsWith('date') ? filter.participantWhere : null;
    return { input, userId, visibility, where: `${visibility.predicate} AND ${filter.sql}`, participantWhere, replacements };
  }

  /** The page's mail ids, in the requested order. */
  async pageIds(query: PreparedList): Promise<number[]> {
    const { input, where, replacements } = query;
    const paging = { ...replacements, limit: input.pageSize, offset: (input.page - 1) * input.pageSize };
    if (query.participantWhere) {
      // Every participant row of a mail carries the mail's date: grouping them is the mail list.
      const p = (f: string) => this.sql.column(COLLECTIONS.participants, f, 'p');
      const direction = input.sort.startsWith('-') ? 'DESC' : 'ASC';
      const rows = await this.sql.select(
        `SELECT ${p('messageId')} AS id, MAX(${p('date')}) AS d FROM ${this.sql.table(COLLECTIONS.participants)} p WHERE ${query.participantWhere} ` +
          `GROUP BY ${p('messageId')} ORDER BY d ${direction}, id ${direction} LIMIT :limit OFFSET :offset`,
        paging,
      );
      return rows.map((r) => Number(r.id));
    }
    const rows = await this.sql.select(
      `SELECT ${this.m('id')} AS id FROM ${this.sql.table(COLLECTIONS.messages)} m WHERE ${where} ORDER BY ${this.order(input.sort)} LIMIT :limit OFFSET :offset`,
      paging,
    );
    return rows.map((r) => Number(r.id));
  }

  /** Every matching mail, counted exactly. */
  async count(query: PreparedList): Promise<number> {
    const p = (f: string) => this.sql.column(COLLECTIONS.participants, f, 'p');
    const rows = query.participantWhere
      ? await this.sql.select(`SELECT COUNT(DISTINCT ${p('messageId')}) AS n FROM ${this.sql.table(COLLECTIONS.participants)} p WHERE ${query.participantWhere}`, query.replacements)
      : await this.sql.select(`SELECT COUNT(*) AS n FROM ${this.sql.table(COLLECTIONS.messages)} m WHERE ${query.where}`, query.replacements);
    return Number(rows[0]?.n || 0);
  }

  /** One mail with its bodies, if the caller may see it under the 'all' rules; else 404. */
  async get(ctx: Context, key: unknown): Promise<BlockMessage> {
    const id = Number(key);
    if (!Number.isInteger(id) || id <= 0) throw new UserError('This email no longer exists', 404);
    const userId = Number(ctx.state.currentUser.id);
    const replacements: Record<string, unknown> = { id };
    const visibility = await this.scopes.visibility(ctx, 'all', this.sql, replacements);
    const found = await this.sql.select(
      `SELECT ${this.m('id')} AS id FROM ${this.sql.table(COLLECTIONS.messages)} m WHERE ${this.m('id')} = :id AND ${visibility.predicate}`,
      replacements,
    );
    if (!found.length) throw new UserError('This email no longer exists', 404);
    const [row] = await this.rows(userId, [id], visibility.ownAccountIds);
    const model = (await this.messages.findByPk(id))!;
    const all = (await this.attachments.ofMessages([model])).get(id) || [];
    return {
      ...row,
      replyTo: addresses(model.get('replyTo')),
      starred: truthy(model.get('starred')),
      html: model.get('html') ?? null,
      text: model.get('text') ?? null,
      attachments: all.filter((a) => !a.inline).map(({ id: aid, filename, mimeType, size }) => ({ id: aid, filename, mimeType, size })),
      allAttachments: all,
    };
  }

  private m(field: string) {
    return this.sql.column(COLLECTIONS.messages, field, 'm');
  }

  private order(sort: BlockSort) {
    const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
    const key = sort.replace(/^-/, '');
    let first: string;
    if (key === 'date') first = this.m('date');
    else if (key === 'subject') first = `LOWER(COALESCE(${this.m('subject')}, ''))`;
    else {
      // The first From address, from the participants index (From holds one address).
      const p = (f: string) => this.sql.column(COLLECTIONS.participants, f, 'p');
      first = `(SELECT MIN(${p('address')}) FROM ${this.sql.table(COLLECTIONS.participants)} p WHERE ${p('messageId')} = ${this.m('id')} AND ${p('role')} = 'from')`;
    }
    return `${first} ${direction}, ${this.m('id')} ${direction}`;
  }

  /** Table rows for these ids, in this order. */
  private async rows(userId: number, ids: number[], own: Set<number>): Promise<BlockRow[]> {
    if (!ids.length) return [];
    const found = rawRows<MessageRow>(await this.messages.findAll({ attributes: ROW_ATTRIBUTES, where: { id: ids }, raw: true }));
    const byId = new Map(found.map((r) => [Number(r.id), r]));
    const mails = ids.map((id) => byId.get(id)).filter((r): r is MessageRow => Boolean(r));
    const [accounts, labels, attachments, replied] = await Promise.all([
      this.accountAddresses(mails),
      this.threads.labelsOf(userId, ids),
      this.attachmentsOf(ids),
      this.repliedMessages(mails),
    ]);
    return mails.map((r) => ({
      id: Number(r.id),
      threadId: r.threadId,
      accountId: Number(r.accountId),
      account: accounts.get(Number(r.accountId)) || '',
      subject: r.subject || '',
      from: addresses(r.from),
      to: addresses(r.to),
      cc: addresses(r.cc),
      // Bcc is the sender's business: it is shown to the owner of the mail only.
      bcc: own.has(Number(r.accountId)) ? addresses(r.bcc) : [],
      date: r.date ? new Date(r.date).toISOString() : '',
      content: r.snippet || '',
      box: r.box ?? null,
      read: truthy(r.read),
      draft: truthy(r.draft),
      labels: labels.get(Number(r.id)) || [],
      hasAttachments: truthy(r.hasAttachments),
      attachments: attachments.get(Number(r.id)) || [],
      repliedMessage: replied.get(Number(r.id)) || null,
      readOnly: !own.has(Number(r.accountId)),
    }));
  }

  private async accountAddresses(mails: MessageRow[]) {
    const ids = [...new Set(mails.map((r) => Number(r.accountId)))];
    const rows = rawRows<AccountRow>(await this.app.db.getCollection(COLLECTIONS.accounts).model.findAll({ attributes: ['id', 'email'], where: { id: ids }, raw: true }));
    return new Map(rows.map((a) => [Number(a.id), String(a.email || '')]));
  }

  /** Stored (not inline) attachments; Outlook's appear once the mail was first opened. */
  private async attachmentsOf(ids: number[]) {
    const rows = rawRows<AttachmentRow>(await this.app.db.getCollection(COLLECTIONS.attachments).model.findAll({
      attributes: ['id', 'messageId', 'filename', 'mimeType', 'size', 'inline'],
      where: { messageId: ids },
      order: [['id', 'ASC']],
      raw: true,
    }));
    const out = new Map<number, BlockAttachment[]>();
    for (const a of rows) {
      if (truthy(a.inline)) continue;
      const view = { id: Number(a.id), filename: a.filename || '', mimeType: a.mimeType || 'application/octet-stream', size: Number(a.size) || 0 };
      out.set(Number(a.messageId), [...(out.get(Number(a.messageId)) || []), view]);
    }
    return out;
  }

  /**
   * The mail each one answers (In-Reply-To), looked up in its own conversation: that walks the
   * (accountId, threadId, date) index instead of the unindexed Message-ID text.
   */
  private async repliedMessages(mails: MessageRow[]) {
    const out = new Map<number, RepliedMessage>();
    const wanted = mails.map((r) => ({ row: r, ref: firstMessageId(r.inReplyTo) })).filter((w) => w.ref && w.row.threadId);
    if (!wanted.length) return out;
    const accountIds = [...new Set(wanted.map((w) => Number(w.row.accountId)))];
    const threadIds = [...new Set(wanted.map((w) => String(w.row.threadId)))];
    const candidates = rawRows<MessageRow>(await this.messages.findAll({
      attributes: ['id', 'accountId', 'threadId', 'messageId', 'subject'],
      where: { accountId: accountIds, threadId: threadIds },
      raw: true,
    }));
    const byRef = new Map<string, MessageRow>();
    for (const c of candidates) {
      const ref = firstMessageId(c.messageId);
      if (ref) byRef.set(`${c.accountId}|${ref}`, c);
    }
    for (const { row, ref } of wanted) {
      const hit = byRef.get(`${row.accountId}|${ref}`);
      if (hit && Number(hit.id) !== Number(row.id)) out.set(Number(row.id), { id: Number(hit.id), subject: hit.subject || '' });
    }
    return out;
  }
}

/** The first "<id>" of a Message-ID / In-Reply-To header, compared without brackets or case. */
function firstMessageId(header: unknown) {
  if (typeof header !== 'string' || !header.trim()) return null;
  const bracketed = /<([^<>]+)>/.exec(header);
  return (bracketed ? bracketed[1] : header.trim().split(/\s+/)[0]).toLowerCase();
}
