/**
 * Idempotent sending (S-SEND-9): the editor makes one key per compose and sends it with every
 * attempt. A key is claimed by inserting its row (unique per user), so of two attempts racing,
 * one sends and the other is told the mail is on its way; a key already sent answers the first
 * result again; a key whose send failed may be tried again.
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { type IdRow, type Model, rawRow, type SendRequestRow } from '../db-types';
import { UserError } from '../errors';
import type { SentRef } from '../providers/types';
import type { SendResult } from '../../shared/send-api';

/** Letters, digits and `._:-`; long enough not to collide (a UUID is 36). */
const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export const SEND_STATUS = { sending: 'sending', sent: 'sent', failed: 'failed' } as const;

export type { SendResult };

export type Claim = { claimId: number } | { result: SendResult };

export function idempotencyKeyOf(values: Record<string, unknown>): string {
  const key = values.idempotencyKey;
  if (typeof key !== 'string' || !KEY.test(key)) throw new UserError('Each send needs an idempotency key (8 to 128 letters, digits or ._:-)', 400, 'idempotencyKey');
  return key;
}

export class SendRequests {
  constructor(private readonly app: Application) {}

  private get model() {
    return this.app.db.getCollection(COLLECTIONS.sendRequests).model;
  }

  async claim(userId: number, idempotencyKey: string, accountId: number): Promise<Claim> {
    try {
      const row: Model = await this.model.create({ userId, idempotencyKey, accountId, status: SEND_STATUS.sending });
      return { claimId: Number(row.get('id')) };
    } catch (error) {
      if ((error as Error)?.name !== 'SequelizeUniqueConstraintError') throw error;
    }
    const row = rawRow<SendRequestRow>(await this.model.findOne({ where: { userId, idempotencyKey }, raw: true }));
    if (row?.status === SEND_STATUS.sent) return { result: await this.resultOf(row) };
    if (row?.status === SEND_STATUS.failed) {
      // Only one of several retries takes the failed key over.
      const [taken] = await this.model.update({ status: SEND_STATUS.sending, error: null }, { where: { id: row.id, status: SEND_STATUS.failed } });
      if (taken) return { claimId: Number(row.id) };
    }
    throw new UserError('This email is already being sent', 409, 'idempotencyKey');
  }

  /** The provider took the mail: from now on the key answers this result, whatever happens next. */
  async sent(claimId: number, ref: SentRef) {
    await this.model.update({ status: SEND_STATUS.sent, providerMessageId: ref.providerMessageId, threadId: ref.threadId }, { where: { id: claimId } });
  }

  async stored(claimId: number, messageId: number) {
    await this.model.update({ messageId }, { where: { id: claimId } });
  }

  async failed(claimId: number, error: unknown) {
    const reason = String((error as Error)?.message || error).slice(0, 2000);
    await this.model.update({ status: SEND_STATUS.failed, error: reason }, { where: { id: claimId } });
  }

  private async resultOf(row: SendRequestRow): Promise<SendResult> {
    let id = row.messageId == null ? null : Number(row.messageId);
    if (id == null) {
      // Stored later (by the sync, or after a failed local write): found by its provider id.
      const message = rawRow<IdRow>(await this.app.db
        .getCollection(COLLECTIONS.messages)
        .model.findOne({ attributes: ['id'], where: { accountId: row.accountId, providerMessageId: row.providerMessageId }, raw: true }));
      id = message ? Number(message.id) : null;
    }
    // Only a sent request is read back, and it holds the provider's id.
    return { id, providerMessageId: row.providerMessageId!, threadId: row.threadId ?? null };
  }
}
