/**
 * Writes what the change feed says into mailMessages / mailAttachments. Every write is keyed by
 * (accountId, providerMessageId), so replaying a batch after a crash changes nothing.
 */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { type MessageRow, rawRows, type Transaction } from '../db-types';
import type { MailAddress } from '../mime/parse';
import { dropCachedFiles } from '../messages/attachment-service';
import type { MessageState, MovedMessage, RemoteMessage } from '../providers/types';
import { rowsByProviderIds } from '../messages/sql';
import { ParticipantIndex } from '../messages/participant-index';

/** Rows per INSERT … ON CONFLICT statement: big enough to be fast, small enough for every dialect's parameter limit. */
const UPSERT_CHUNK = 100;
/** Ids per IN (…) list. */
const ID_CHUNK = 500;

/** The columns a later sync may change; id, accountId and createdAt stay. */
const UPDATABLE = [
  'threadId', 'messageId', 'inReplyTo', 'references', 'folderIds', 'box', 'from', 'to', 'cc', 'bcc', 'replyTo',
  'deliveredTo', 'participants', 'participantDomains', 'participantNames', 'subject', 'snippet', 'text', 'html', 'date', 'read',
  'starred', 'draft', 'sent', 'trashed', 'archived', 'hasAttachments', 'size', 'attachmentsLoaded', 'syncMark', 'updatedAt',
];

export class MessageStore {
  /** The Email block's address index, rewritten with every mail written or removed here. */
  private readonly participants: ParticipantIndex;

  constructor(private readonly app: Application) {
    this.participants = new ParticipantIndex(app.db);
  }

  /** The mailMessages model, for the writers that go through this store. */
  get messages() {
    return this.app.db.getCollection(COLLECTIONS.messages).model;
  }

  private get attachments() {
    return this.app.db.getCollection(COLLECTIONS.attachments).model;
  }

  /** Which of these provider ids are stored for the account. */
  async knownIds(accountId: number, ids: string[], transaction?: Transaction): Promise<Set<string>> {
    const rows = await rowsByProviderIds(this.messages, accountId, ids, ['providerMessageId'], transaction);
    return new Set(rows.map((row) => row.providerMessageId as string));
  }

  /** Inserts or replaces whole messages, with their attachment metadata. */
  async upsert(accountId: number, messages: RemoteMessage[], syncMark: number, transaction: Transaction) {
    if (!messages.length) return;
    const now = new Date();
    const rows = messages.map((m) => toRow(accountId, m, syncMark, now));
    for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
      await this.messages.bulkCreate(rows.slice(i, i + UPSERT_CHUNK), {
        updateOnDuplicate: UPDATABLE,
        conflictAttributes: ['accountId', 'providerMessageId'],
        transaction,
      });
    }
    await this.participants.refreshProviderIds(accountId, messages.map((m) => m.providerMessageId), transaction);
    const withAttachments = messages.filter((m) => m.attachments !== null);
    if (!withAttachments.length) return;
    const ids = await this.rowIds(accountId, withAttachments.map((m) => m.providerMessageId), transaction);
    const messageIds = [...ids.values()];
    await this.attachments.destroy({ where: { accountId, messageId: { [Op.in]: messageIds } }, transaction });
    const attachmentRows = withAttachments.flatMap((m) =>
      (m.attachments || []).map((a) => ({
        accountId,
        messageId: ids.get(m.providerMessageId),
        providerAttachmentId: a.providerAttachmentId,
        filename: (clean(a.filename) || 'attachment').slice(0, 1000),
        mimeType: a.mimeType,
        size: a.size,
        contentId: a.contentId || null,
        inline: a.inline,
      })),
    );
    for (let i = 0; i < attachmentRows.length; i += UPSERT_CHUNK) {
      await this.attachments.bulkCreate(attachmentRows.slice(i, i + UPSERT_CHUNK), { transaction });
    }
  }

  /** Moves and flag changes of stored messages. */
  async applyStates(accountId: number, states: MessageState[], transaction: Transaction) {
    for (const state of states) {
      await this.messages.update(stateColumns(state), { where: { accountId, providerMessageId: state.providerMessageId }, transaction });
    }
  }

  /** Removes messages gone at the provider, with everything attached to them here. */
  async remove(accountId: number, providerIds: string[], transaction: Transaction) {
    let removed = 0;
    for (let i = 0; i < providerIds.length; i += ID_CHUNK) {
      const ids = [...(await this.rowIds(accountId, providerIds.slice(i, i + ID_CHUNK), transaction)).values()];
      if (!ids.length) continue;
      await dropCachedFiles(this.app, { messageId: { [Op.in]: ids } }, transaction);
      await this.attachments.destroy({ where: { messageId: { [Op.in]: ids } }, transaction });
      await this.app.db.getCollection(COLLECTIONS.labelLinks).model.destroy({ where: { messageId: { [Op.in]: ids } }, transaction });
      await this.participants.forget(ids, transaction);
      removed += await this.messages.destroy({ where: { id: { [Op.in]: ids } }, transaction });
    }
    return removed;
  }

  /**
   * Gives stored messages the ids a move gave them (MailboxChanges.modify's `moved`): the row keeps
   * its id, notes, labels and attachments. A row stored under the new id meanwhile (a sync pushed
   * by the same move got there first) is a second copy and goes. Returns the moves whose row was
   * found under the old id.
   */
  async rekey(accountId: number, moved: MovedMessage[], transaction: Transaction): Promise<MovedMessage[]> {
    const applied: MovedMessage[] = [];
    for (let i = 0; i < moved.length; i += ID_CHUNK) {
      const chunk = moved.slice(i, i + ID_CHUNK);
      const rows = await this.rowIds(accountId, chunk.map((m) => m.from), transaction);
      const found = chunk.filter((m) => rows.has(m.from) && m.from !== m.to);
      await this.remove(accountId, found.map((m) => m.to), transaction);
      for (const m of found) {
        await this.messages.update({ providerMessageId: m.to }, { where: { id: rows.get(m.from) }, transaction, silent: true });
      }
      applied.push(...found);
    }
    return applied;
  }

  /** Stamps stored messages as seen by the current full listing. */
  async markSeen(accountId: number, providerIds: string[], syncMark: number, transaction: Transaction) {
    for (let i = 0; i < providerIds.length; i += ID_CHUNK) {
      await this.messages.update(
        { syncMark },
        { where: { accountId, providerMessageId: { [Op.in]: providerIds.slice(i, i + ID_CHUNK) } }, transaction, silent: true },
      );
    }
  }

  /** After a full listing: what it did not see inside its window is gone from the mailbox. */
  async sweep(accountId: number, syncMark: number, since: Date, transaction: Transaction) {
    const gone = rawRows<Pick<MessageRow, 'providerMessageId'>>(await this.messages.findAll({
      attributes: ['providerMessageId'],
      where: { accountId, syncMark: { [Op.lt]: syncMark }, date: { [Op.gte]: since } },
      raw: true,
      transaction,
    }));
    return this.remove(accountId, gone.map((r) => r.providerMessageId), transaction);
  }

  private async rowIds(accountId: number, providerIds: string[], transaction: Transaction) {
    const rows = rawRows<Pick<MessageRow, 'id' | 'providerMessageId'>>(await this.messages.findAll({
      attributes: ['id', 'providerMessageId'],
      where: { accountId, providerMessageId: { [Op.in]: providerIds } },
      raw: true,
      transaction,
    }));
    return new Map<string, number>(rows.map((r) => [r.providerMessageId, r.id]));
  }
}

function stateColumns(state: MessageState) {
  return {
    // A mail the provider puts in no conversation is a conversation of its own.
    threadId: state.threadId || state.providerMessageId,
    folderIds: state.folderIds,
    box: state.box,
    read: state.read,
    starred: state.starred,
    draft: state.draft,
    sent: state.box === 'sent',
    trashed: state.box === 'trash',
    archived: state.box === 'archive',
  };
}

/** PostgreSQL refuses NUL in text, and real mail has it (see the fixture corpus). */
// eslint-disable-next-line no-control-regex -- NUL is what this removes
const clean = (text: string | null) => (text == null ? null : text.replace(/\u0000/g, ''));
const cleanAddress = (a: MailAddress | null) => (a ? { address: clean(a.address)!, ...(a.name ? { name: clean(a.name)! } : {}) } : null);
const cleanAddresses = (list: MailAddress[]) => list.map((a) => cleanAddress(a)!);

function toRow(accountId: number, message: RemoteMessage, syncMark: number, now: Date) {
  const m = {
    ...message,
    from: cleanAddress(message.from),
    to: cleanAddresses(message.to),
    cc: cleanAddresses(message.cc),
    bcc: cleanAddresses(message.bcc),
    replyTo: cleanAddresses(message.replyTo),
  };
  const everyone = [m.from, ...m.to, ...m.cc, ...m.bcc, ...m.replyTo].filter((a): a is MailAddress => Boolean(a));
  const addresses = [...new Set(everyone.map((a) => a.address))];
  const domains = [...new Set(addresses.map((a) => a.split('@')[1]).filter(Boolean))];
  return {
    accountId,
    providerMessageId: m.providerMessageId,
    ...stateColumns(m),
    messageId: clean(m.messageId),
    inReplyTo: clean(m.inReplyTo),
    references: clean(m.references),
    from: m.from,
    to: m.to,
    cc: m.cc,
    bcc: m.bcc,
    replyTo: m.replyTo,
    deliveredTo: clean(m.deliveredTo)?.slice(0, 255) ?? null,
    participants: addresses.length ? ` ${addresses.join(' ')} ` : '',
    participantDomains: domains.length ? ` ${domains.join(' ')} ` : '',
    participantNames: everyone.map((a) => `${a.name || ''} <${a.address}>`).join(', ').toLowerCase().slice(0, 20_000),
    subject: clean(m.subject),
    snippet: clean(m.snippet),
    text: clean(m.text),
    html: clean(m.html),
    date: m.date,
    hasAttachments: m.hasAttachments,
    size: m.size,
    attachmentsLoaded: m.attachments !== null,
    syncMark,
    createdAt: now,
    updatedAt: now,
  };
}
