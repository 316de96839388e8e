/**
 * Sending and drafts on Outlook (S-SEND-9, S-DRAFT-1). Every mail is a draft first, then sent
 * with POST /messages/{id}/send: ids are immutable (Prefer: IdType), so the draft's id is the sent
 * mail's id in Sent Items, and the sync later finds it under that id.
 * - New mail: POST /me/messages with the MIME (base64, Content-Type text/plain) without its files.
 * - Reply, reply-all, forward: createReply / createReplyAll / createForward on the original, so
 *   the mail stays in its conversation, then a PATCH with our subject, body and recipients.
 * - Then the files (draft-attachments.ts), then send. A draft made here for a send that then
 *   fails is deleted again, so a retry does not leave copies in Drafts.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { MailAddress } from '../../mime/parse';
import { isThrottled } from '../rate-limits';
import type { DraftHandle, OutgoingMessage, SavedDraft, SentRef } from '../types';
import { DraftAttachments, type OutlookCall } from './draft-attachments';

const PREFER = 'IdType="ImmutableId"';
const CREATE_ACTION = { reply: 'createReply', replyAll: 'createReplyAll', forward: 'createForward' } as const;

interface DraftEntity {
  id: string;
  conversationId?: string;
}

export class OutlookOutgoing {
  private readonly files: DraftAttachments;

  constructor(
    private readonly client: Client,
    private readonly call: OutlookCall,
  ) {
    this.files = new DraftAttachments(client, call);
  }

  async send(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SentRef> {
    let created: string | null = null;
    try {
      const saved = await this.upsert(message, draft, (id) => (created = id));
      // Sent once only: after a 5xx or a reset the mail may have gone out.
      await this.call('send', () => this.client.api(`/me/messages/${encodeURIComponent(saved.draftRef)}/send`).header('Prefer', PREFER).post({}), isThrottled);
      return { providerMessageId: saved.providerMessageId, threadId: saved.threadId };
    } catch (error) {
      if (created) await this.deleteDraft({ draftRef: created, providerMessageId: created }).catch(() => undefined);
      throw error;
    }
  }

  async saveDraft(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SavedDraft> {
    let created: string | null = null;
    try {
      return await this.upsert(message, draft, (id) => (created = id));
    } catch (error) {
      // A half-made new draft (say, a file refused) is not left behind; an existing one is kept.
      if (created) await this.deleteDraft({ draftRef: created, providerMessageId: created }).catch(() => undefined);
      throw error;
    }
  }

  async deleteDraft(draft: DraftHandle): Promise<void> {
    const id = draft.draftRef ?? draft.providerMessageId;
    try {
      await this.call('draft delete', () => this.client.api(`/me/messages/${encodeURIComponent(id)}`).delete());
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /**
   * Graph filters messages by internetMessageId across folders. The draft of a send cut off before
   * its /send keeps our Message-ID: it is deleted, so the next attempt leaves no copy in Drafts.
   */
  async findSent(internetMessageId: string): Promise<SentRef | null> {
    const filter = `internetMessageId eq '${internetMessageId.replace(/'/g, "''")}'`;
    const data: { value?: { id: string; isDraft?: boolean; conversationId?: string }[] } = await this.call('find sent', () =>
      this.client.api('/me/messages').header('Prefer', PREFER).filter(filter).select(['id', 'isDraft', 'conversationId']).top(10).get(),
    );
    let sent: SentRef | null = null;
    for (const message of data.value || []) {
      if (!message.isDraft) sent ??= { providerMessageId: message.id, threadId: message.conversationId || null };
      else await this.deleteDraft({ draftRef: message.id, providerMessageId: message.id }).catch(() => undefined);
    }
    return sent;
  }

  /** The draft with this content and these files: updated in place when it exists, else created. */
  private async upsert(message: OutgoingMessage, draft: DraftHandle | null | undefined, onCreate: (id: string) => void): Promise<SavedDraft> {
    let entity: DraftEntity | null = null;
    let empty = false;
    const existing = draft ? (draft.draftRef ?? draft.providerMessageId) : null;
    if (existing) entity = await this.patch(existing, message).catch((error) => (statusOf(error) === 404 ? null : Promise.reject(error)));
    if (!entity) {
      const made = await this.create(message, onCreate);
      entity = made.entity;
      empty = made.empty;
    }
    await this.files.sync(entity.id, message.attachments, empty);
    return { draftRef: entity.id, providerMessageId: entity.id, threadId: entity.conversationId || null };
  }

  /** A new draft; `onCreate` hears of it at once, so a later failure can remove it. */
  private async create(message: OutgoingMessage, onCreate: (id: string) => void): Promise<{ entity: DraftEntity; empty: boolean }> {
    if (message.original) {
      const action = CREATE_ACTION[message.original.mode];
      const url = `/me/messages/${encodeURIComponent(message.original.providerMessageId)}/${action}`;
      // Created once only: a repeat after a lost answer would leave a second draft.
      const reply: DraftEntity | null = await this.call(action, () => this.client.api(url).header('Prefer', PREFER).post({}), isThrottled).catch((error) =>
        // The original is gone: the mail still goes out, threaded by its In-Reply-To/References.
        statusOf(error) === 404 ? null : Promise.reject(error),
      );
      if (reply) {
        onCreate(reply.id);
        return { entity: await this.patch(reply.id, message), empty: false };
      }
    }
    const mime = (await message.mime({ attachments: false })).toString('base64');
    const entity: DraftEntity = await this.call(
      'draft create',
      () => this.client.api('/me/messages').header('Prefer', PREFER).header('Content-Type', 'text/plain').post(mime),
      isThrottled,
    );
    onCreate(entity.id);
    return { entity, empty: true };
  }

  private patch(id: string, message: OutgoingMessage): Promise<DraftEntity> {
    const body = {
      subject: message.subject,
      body: { contentType: 'HTML', content: message.html },
      toRecipients: recipients(message.to),
      ccRecipients: recipients(message.cc),
      bccRecipients: recipients(message.bcc),
    };
    return this.call('draft update', () => this.client.api(`/me/messages/${encodeURIComponent(id)}`).header('Prefer', PREFER).patch(body));
  }
}

function recipients(list: MailAddress[]) {
  return list.map((a) => ({ emailAddress: a.name ? { address: a.address, name: a.name } : { address: a.address } }));
}

const statusOf = (error: unknown) => (error as { status?: number } | undefined)?.status;
