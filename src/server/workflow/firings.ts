/**
 * The trigger's durable "fired once" record (collections/mailWorkflowFirings.ts). A firing is
 * claimed by inserting its row: the unique (workflowId, messageKey) index lets exactly one
 * insert through, whichever listener, process or cluster node tries, so the workflow starts at
 * most once per message. The claim comes before the dispatcher is handed the event; an event
 * lost after the claim (the process dies in between) is not retried: never twice wins over
 * always.
 */
import { createHash } from 'node:crypto';
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { isUniqueViolation } from '../compose/text-input';

/** What names a message for the trigger, across a removal and a new store of the same mail. */
export interface MessageIdentity {
  accountId: number;
  box: string | null;
  /** The Message-ID header. */
  messageId: string | null;
  providerMessageId: string;
}

/** Account, box and Message-ID (lower-cased, brackets dropped), or the provider id without one; hashed. */
export function messageKeyOf(m: MessageIdentity) {
  const header = (m.messageId || '').trim().replace(/^<|>$/g, '').toLowerCase();
  const name = header ? `mid:${header}` : `pid:${m.providerMessageId}`;
  return createHash('sha256').update(`${m.accountId}\n${m.box || ''}\n${name}`).digest('hex');
}

export class Firings {
  constructor(private readonly app: Application) {}

  private get model() {
    return this.app.db.getCollection(COLLECTIONS.workflowFirings).model;
  }

  /** True when this call made the claim; false when the workflow already fired for the message. */
  async claim(workflowId: number | string, message: MessageIdentity & { id: number }): Promise<boolean> {
    try {
      await this.model.create({ workflowId, messageKey: messageKeyOf(message), accountId: message.accountId, messageId: message.id });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
