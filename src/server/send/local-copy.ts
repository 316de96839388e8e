/**
 * The local row of a mail just sent or a draft just saved (S-SEND-9: "stored in Sent at once";
 * S-DRAFT-1: "and locally"). The provider's own copy is read back and written through the same
 * MessageStore upsert the sync uses, keyed by (accountId, providerMessageId): the next sync finds
 * the row under that id and adds no duplicate. When the read fails, the row is made from the MIME
 * we built, under the same id, and the sync completes it later. A sent mail is announced
 * (MESSAGES_ADDED_EVENT) once its row is committed: the sync will find it stored, and a
 * workflow on "Email sent" must still hear of it.
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { MESSAGES_ADDED_EVENT, type MessagesAddedEvent } from '../constants';
import { type IdRow, type MessageRow, type Model, rawRow, type Transaction } from '../db-types';
import { dropCachedFiles } from '../messages/attachment-service';
import { parseMimeOffThread } from '../mime/parse-thread';
import type { OutgoingMessage, RemoteMessage, SentRef } from '../providers/types';
import { MessageStore } from '../sync/message-store';
import { callProvider } from './provider-call';

export type CopyKind = 'sent' | 'draft';

export interface DraftColumns {
  providerDraftId: string;
  compose: Record<string, unknown>;
}

export class LocalCopy {
  private readonly store: MessageStore;

  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {
    this.store = new MessageStore(app);
  }

  /**
   * Writes the row and answers its id. `replaces`: the row of the draft this mail continues; a
   * Gmail draft's message id changes with every save, so that row takes the new id (its id, which
   * the editor holds, stays).
   */
  async keep(
    account: Model,
    ref: SentRef,
    outgoing: OutgoingMessage,
    kind: CopyKind,
    replaces: number | null,
    draft?: DraftColumns,
    /** Workflow executions that sent it (MessagesAddedEvent.stack). */
    stack?: MessagesAddedEvent['stack'],
  ): Promise<number> {
    const accountId = Number(account.get('id'));
    let message = await this.providerCopy(account, ref).catch((error) => {
      this.app.log.warn(`email-manager: reading back ${kind} mail ${ref.providerMessageId} failed: ${(error as Error).message}`, { module: 'email-manager' });
      return undefined;
    });
    message ??= await fromOwnMime(outgoing, ref, kind);
    // Graph moves a sent mail to Sent Items a moment later; until then it is neither draft nor sent.
    if (kind === 'sent' && (message.draft || !message.box || message.box === 'drafts')) message = { ...message, box: 'sent', draft: false, read: true };
    const id = await this.app.db.sequelize.transaction(async (transaction) => {
      if (replaces != null) await this.takeOver(accountId, replaces, ref.providerMessageId, transaction);
      await this.store.upsert(accountId, [message!], Number(account.get('syncMark')) || 0, transaction);
      const row = rawRow<IdRow>(await this.store.messages.findOne({ attributes: ['id'], where: { accountId, providerMessageId: ref.providerMessageId }, raw: true, transaction }))!;
      // A draft keeps its handle and compose; a draft that was sent is a draft no more.
      // composeSavedAt orders drafts by their last save to the millisecond (MariaDB keeps
      // updatedAt to the second), for the draft lookup's "newest wins".
      const columns = draft ? { ...draft, composeSavedAt: Date.now() } : replaces != null ? { providerDraftId: null, compose: null } : null;
      if (columns) await this.store.messages.update(columns, { where: { id: row.id }, transaction });
      return Number(row.id);
    });
    if (kind === 'sent') {
      const event: MessagesAddedEvent = { accountId, providerMessageIds: [ref.providerMessageId], phase: 'new', ...(stack?.length ? { stack } : {}) };
      this.app.emit(MESSAGES_ADDED_EVENT, event);
    }
    return id;
  }

  /** Removes stored rows (a draft sent from another row, or deleted), with what hangs on them. */
  async remove(accountId: number, providerIds: string[]) {
    await this.app.db.sequelize.transaction((transaction) => this.store.remove(accountId, providerIds, transaction));
  }

  private async providerCopy(account: Model, ref: SentRef): Promise<RemoteMessage | undefined> {
    const { messages } = await callProvider(this.accounts, account, (mailbox) => mailbox.fetchMessages([ref.providerMessageId]));
    return messages[0];
  }

  private async takeOver(accountId: number, rowId: number, providerMessageId: string, transaction: Transaction) {
    const old = rawRow<MessageRow>(await this.store.messages.findOne({ where: { id: rowId, accountId }, raw: true, transaction }));
    if (!old || old.providerMessageId === providerMessageId) return;
    const taken = rawRow<IdRow>(await this.store.messages.findOne({ attributes: ['id'], where: { accountId, providerMessageId }, raw: true, transaction }));
    // The sync got there first and stored the new message already: the old row goes.
    if (taken) return this.store.remove(accountId, [old.providerMessageId], transaction);
    // The upsert replaces the attachment rows; their cached bytes belong to the old message.
    await dropCachedFiles(this.app, { messageId: rowId }, transaction);
    await this.store.messages.update({ providerMessageId }, { where: { id: rowId }, transaction, silent: true });
  }
}

/** The row from our own MIME, when the provider's copy could not be read. */
async function fromOwnMime(outgoing: OutgoingMessage, ref: SentRef, kind: CopyKind): Promise<RemoteMessage> {
  const raw = await outgoing.mime();
  const { attachments, date, parseError, ...parsed } = await parseMimeOffThread(raw);
  return {
    ...parsed,
    providerMessageId: ref.providerMessageId,
    threadId: ref.threadId,
    folderIds: [],
    box: kind === 'sent' ? 'sent' : 'drafts',
    read: true,
    starred: false,
    draft: kind === 'draft',
    date: date ?? new Date(),
    size: raw.length,
    hasAttachments: attachments.some((a) => !a.inline),
    // Listed from the provider when first opened.
    attachments: null,
  };
}
