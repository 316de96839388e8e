/**
 * Sending one mail from the editor (S-SEND-9). In order:
 * 1. the mail is checked (send-input.ts) and its files sized (outgoing.ts): nothing is
 *    claimed for input the user must correct;
 * 2. the idempotency key is claimed: the same key twice sends once (send-requests.ts);
 * 3. the provider sends; a saved draft of the compose is consumed (S-DRAFT-1);
 * 4. the key is marked sent at once, so nothing after this point can lead to a second send;
 * 5. the mail is stored in Sent under its provider id (local-copy.ts), the draft row and the
 *    uploads go, the user's open tabs are told.
 * A failure at 3 leaves everything as it was (the draft row and the uploads stay) and answers a
 * message the editor shows.
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import type { MessageRow } from '../db-types';
import { notifyUser } from '../messages/notify';
import type { MessagesAddedEvent } from '../constants';
import type { DraftHandle, OutgoingAttachment } from '../providers/types';
import type { SendInputReader } from './send-input';
import type { LocalCopy } from './local-copy';
import type { OutgoingBuilder } from './outgoing';
import { callProvider, providerFailure } from './provider-call';
import { idempotencyKeyOf, SendRequests, SendResult } from './send-requests';
import type { UploadStore } from './uploads';

export interface SendServices {
  accounts: AccountService;
  reader: SendInputReader;
  builder: OutgoingBuilder;
  local: LocalCopy;
  uploads: UploadStore;
}

export interface SendOptions {
  files?: OutgoingAttachment[];
  stack?: MessagesAddedEvent['stack'];
}

/** The provider's handle of a stored draft row. */
export function draftHandleOf(row: Pick<MessageRow, 'providerDraftId' | 'providerMessageId'>): DraftHandle {
  return { draftRef: row.providerDraftId || null, providerMessageId: row.providerMessageId };
}

export class SendService {
  private readonly requests: SendRequests;

  constructor(
    private readonly app: Application,
    private readonly s: SendServices,
  ) {
    this.requests = new SendRequests(app);
  }

  /**
   * `options.files`: files that are neither uploads nor stored mail (a workflow's file field);
   * `options.stack`: the workflow executions sending it (MessagesAddedEvent.stack).
   */
  async send(userId: number, values: Record<string, unknown>, options: SendOptions = {}): Promise<SendResult> {
    const key = idempotencyKeyOf(values);
    const compose = await this.s.reader.read(userId, values, true);
    const files = await this.s.builder.files(userId, compose, options.files);
    const { account, draft } = compose;
    const accountId = Number(account.get('id'));
    const claim = await this.requests.claim(userId, key, accountId);
    if ('result' in claim) return claim.result;

    const outgoing = this.s.builder.message(compose, files);
    // A draft of another account (the user changed From) is removed there once this one is sent.
    const ownDraft = draft && Number(draft.accountId) === accountId ? draft : null;
    let sent;
    try {
      sent = await callProvider(this.s.accounts, account, (mailbox) => mailbox.outgoing.send(outgoing, ownDraft ? draftHandleOf(ownDraft) : null));
    } catch (error) {
      await this.requests.failed(claim.claimId, error);
      throw providerFailure(error, account.get('email'), 'send');
    }
    await this.requests.sent(claim.claimId, sent);

    // The mail is out. What follows tidies up; a failure here is logged, never answered as a failed send.
    let id: number | null = null;
    try {
      id = await this.s.local.keep(account, sent, outgoing, 'sent', ownDraft ? Number(ownDraft.id) : null, undefined, options.stack);
      await this.requests.stored(claim.claimId, id);
      if (draft && draft !== ownDraft) await this.dropForeignDraft(userId, draft);
      await this.s.uploads.remove(userId, compose.uploads.map((u) => u.id));
    } catch (error) {
      this.app.log.warn(`email-manager: mail ${sent.providerMessageId} was sent, but storing it failed: ${(error as Error).message}`, { module: 'email-manager' });
    }
    notifyUser(this.app, userId, [accountId]);
    return { id, providerMessageId: sent.providerMessageId, threadId: sent.threadId };
  }

  /** The draft lived in another of the user's accounts: deleted there, and here. */
  private async dropForeignDraft(userId: number, draft: MessageRow) {
    const account = await this.s.accounts.owned(userId, draft.accountId);
    await callProvider(this.s.accounts, account, (mailbox) => mailbox.outgoing.deleteDraft(draftHandleOf(draft)));
    await this.s.local.remove(Number(draft.accountId), [draft.providerMessageId]);
  }
}
