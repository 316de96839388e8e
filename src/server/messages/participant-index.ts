/**
 * Keeps mailMessageParticipants in step with mailMessages: one row per (mail, role, address),
 * rebuilt from the mail's stored addresses whenever the mail is written, dropped when it goes.
 * Every writer of mail rows calls in here inside its own transaction (the sync's MessageStore,
 * which the sent copy and draft saves also go through; account removal), so the index the
 * Email table block and the mail center's From/To filters read never disagrees with the mail.
 */
import type Database from '@nocobase/database';
import { Op } from '@nocobase/database';
import { COLLECTIONS } from '../constants';
import { type IdRow, type MessageRow, rawRows, type Transaction } from '../db-types';
import { rowsByProviderIds } from './sql';
import { addresses } from './thread-query';

/** The address roles kept, in the order the block names them. */
export const PARTICIPANT_ROLES = ['from', 'to', 'cc', 'bcc', 'replyTo'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Mails per read/delete round: every dialect's parameter limit is far above this. */
const ID_CHUNK = 500;
/** Participant rows per INSERT. */
const INSERT_CHUNK = 500;
/** The address column's length (collections/mailMessageParticipants.ts). */
const ADDRESS_MAX = 255;

/**
 * The canonical form used both when indexing and when filtering: trimmed, lower-cased, the
 * address alone when written as "Name <a@x.com>". '' when nothing is left.
 */
export function normalizeAddress(value: string) {
  const text = value.trim();
  const angle = /<([^<>]*)>\s*$/.exec(text);
  return (angle ? angle[1] : text).trim().toLowerCase().slice(0, ADDRESS_MAX);
}

/**
 * A display name as the index keeps it, for the mail center's From/To "contains" filters:
 * trimmed and lower-cased (in JS, so non-ASCII letters fold on every dialect); null when none.
 */
export function normalizeName(value: unknown) {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return text || null;
}

/** A domain as the index keeps it: lower-case, without a leading "@". */
export function normalizeDomain(value: string) {
  return value.trim().replace(/^@+/, '').toLowerCase().slice(0, ADDRESS_MAX);
}

export function domainOf(address: string) {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1) : '';
}

export class ParticipantIndex {
  constructor(private readonly db: Database) {}

  private get participants() {
    return this.db.getCollection(COLLECTIONS.participants).model;
  }

  private get messages() {
    return this.db.getCollection(COLLECTIONS.messages).model;
  }

  /** After an upsert keyed by provider ids: rebuilds those mails' rows. */
  async refreshProviderIds(accountId: number, providerIds: string[], transaction?: Transaction) {
    const rows = await rowsByProviderIds(this.messages, accountId, providerIds, ['id'], transaction);
    await this.refresh(rows.map((r) => Number(r.id)), transaction);
  }

  /** Rebuilds the rows of these mails from their stored from/to/cc/bcc/replyTo and date. */
  async refresh(messageIds: number[], transaction?: Transaction) {
    for (let i = 0; i < messageIds.length; i += ID_CHUNK) {
      const ids = messageIds.slice(i, i + ID_CHUNK);
      const mails = rawRows<MessageRow>(await this.messages.findAll({
        attributes: ['id', 'accountId', 'date', ...PARTICIPANT_ROLES],
        where: { id: { [Op.in]: ids } },
        raw: true,
        transaction,
      }));
      await this.participants.destroy({ where: { messageId: { [Op.in]: ids } }, transaction });
      await this.insert(mails.flatMap(participantRows), transaction);
    }
  }

  /** Before mails are deleted. */
  async forget(messageIds: number[], transaction?: Transaction) {
    for (let i = 0; i < messageIds.length; i += ID_CHUNK) {
      await this.participants.destroy({ where: { messageId: { [Op.in]: messageIds.slice(i, i + ID_CHUNK) } }, transaction });
    }
  }

  /**
   * Indexes every stored mail, in id order and batches (the back-fill migration, and benches
   * that write mail rows directly). Safe to run again: each batch replaces its mails' rows.
   */
  async rebuildAll(batchSize = 1000) {
    let after = 0;
    for (;;) {
      const batch = rawRows<IdRow>(await this.messages.findAll({
        attributes: ['id'],
        where: { id: { [Op.gt]: after } },
        order: [['id', 'ASC']],
        limit: batchSize,
        raw: true,
      }));
      if (!batch.length) return;
      const ids = batch.map((r) => Number(r.id));
      await this.db.sequelize.transaction((transaction) => this.refresh(ids, transaction));
      after = ids[ids.length - 1];
    }
  }

  private async insert(rows: Record<string, unknown>[], transaction?: Transaction) {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.participants.bulkCreate(rows.slice(i, i + INSERT_CHUNK), { transaction, hooks: false });
    }
  }
}

/** A mail's participant rows; the same address twice in one role counts once. */
function participantRows(mail: Pick<MessageRow, 'id' | 'accountId' | 'date' | ParticipantRole>) {
  const rows: Record<string, unknown>[] = [];
  for (const role of PARTICIPANT_ROLES) {
    const seen = new Set<string>();
    for (const { address, name } of addresses(mail[role])) {
      const normal = normalizeAddress(address);
      if (!normal || seen.has(normal)) continue;
      seen.add(normal);
      rows.push({
        messageId: mail.id,
        accountId: mail.accountId,
        role,
        address: normal,
        domain: domainOf(normal),
        name: normalizeName(name),
        date: mail.date,
      });
    }
  }
  return rows;
}
