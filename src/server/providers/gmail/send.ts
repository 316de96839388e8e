/**
 * Sending and drafts on Gmail (S-SEND-9, S-DRAFT-1). The MIME goes up as a media upload
 * (multipart/related: the JSON metadata, then the message): Gmail refuses a JSON `raw` field of
 * more than a few MB, while its upload endpoint takes messages up to 35 MB. A reply carries the
 * original's threadId (with matching References and subject, Gmail then keeps it in the thread).
 * googleapis builds upload URLs from the per-call `rootUrl` only, never from the client's, so each
 * upload names the endpoint again.
 */
import { Readable } from 'node:stream';
import type { gmail_v1 } from 'googleapis';
import { googleEndpoints } from '../endpoints';
import { isThrottled } from '../rate-limits';
import type { DraftHandle, OutgoingMessage, ProviderUnavailableError, SavedDraft, SentRef } from '../types';
import { MessageTooLargeError } from '../types';
import type { GMAIL_QUOTA } from './mailbox';

export const GMAIL_SEND_LIMITS = {
  /** The largest message Gmail's upload endpoint takes (maxSize of messages.send and drafts.*: 35 MB). */
  maxMessageBytes: 36_700_160,
  /** Drafts per page when a draft has to be found by its message id. */
  draftsPageSize: 500,
};

type Retryable = (error: unknown) => error is ProviderUnavailableError;
export type GmailCall = <T>(cost: keyof typeof GMAIL_QUOTA.cost, what: string, run: () => Promise<T>, retryable?: Retryable) => Promise<T>;

/** Gmail's answer to a request over its size limit (400 "Request payload size exceeds the limit", or 413). */
const TOO_LARGE = /payload size exceeds|too large/i;

export class GmailOutgoing {
  constructor(
    private readonly api: gmail_v1.Gmail,
    private readonly call: GmailCall,
  ) {}

  async send(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SentRef> {
    const raw = await this.raw(message);
    // A send is not repeated after a 5xx or a reset: the mail may have gone out.
    const { data } = await this.sized(raw, () =>
      this.call('send', 'send', () => this.api.users.messages.send({ userId: 'me', requestBody: this.meta(message), media: media(raw) }, uploadRoot()), isThrottled),
    );
    // The mail went out; a draft left behind would only be clutter, never a reason to report failure.
    if (draft) await this.deleteDraft(draft).catch(() => undefined);
    return { providerMessageId: data.id!, threadId: data.threadId || null };
  }

  async saveDraft(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SavedDraft> {
    const raw = await this.raw(message);
    const id = draft ? (draft.draftRef ?? (await this.findDraftId(draft.providerMessageId))) : null;
    let saved: gmail_v1.Schema$Draft | null = null;
    if (id) {
      // An update replaces the draft's message: the draft id stays, the message id changes.
      saved = await this.sized(raw, () =>
        this.call('draftUpdate', 'draft update', () =>
          this.api.users.drafts.update({ userId: 'me', id, requestBody: { id, message: this.meta(message) }, media: media(raw) }, uploadRoot()),
        ),
      ).then(
        (r) => r.data,
        (error) => (statusOf(error) === 404 ? null : Promise.reject(error)),
      );
    }
    if (!saved) {
      // Created once only: a repeat after a lost answer would leave a second draft.
      const created = await this.sized(raw, () =>
        this.call('draftCreate', 'draft create', () =>
          this.api.users.drafts.create({ userId: 'me', requestBody: { message: this.meta(message) }, media: media(raw) }, uploadRoot()), isThrottled),
      );
      saved = created.data;
    }
    return { draftRef: saved.id!, providerMessageId: saved.message!.id!, threadId: saved.message!.threadId || null };
  }

  async deleteDraft(draft: DraftHandle): Promise<void> {
    const id = draft.draftRef ?? (await this.findDraftId(draft.providerMessageId));
    if (!id) return;
    try {
      await this.call('draftDelete', 'draft delete', () => this.api.users.drafts.delete({ userId: 'me', id }));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Gmail's search finds a message by its Message-ID header; only a sent one counts, a draft is removed. */
  async findSent(internetMessageId: string): Promise<SentRef | null> {
    const q = `rfc822msgid:${internetMessageId.replace(/[<>]/g, '')} in:anywhere`;
    const { data } = await this.call('list', 'find sent', () => this.api.users.messages.list({ userId: 'me', q, maxResults: 10 }));
    for (const ref of data.messages || []) {
      const { data: found } = await this.call('get', 'find sent', () => this.api.users.messages.get({ userId: 'me', id: ref.id!, format: 'minimal' }));
      const labels = found.labelIds || [];
      if (labels.includes('SENT') && !labels.includes('DRAFT')) return { providerMessageId: found.id!, threadId: found.threadId || null };
      if (labels.includes('DRAFT')) await this.deleteDraft({ draftRef: null, providerMessageId: found.id! }).catch(() => undefined);
    }
    return null;
  }

  /** A draft made elsewhere (Gmail's web client) is known here only by its message id. */
  private async findDraftId(messageId: string): Promise<string | null> {
    let pageToken: string | undefined;
    do {
      const { data } = await this.call('draftList', 'draft list', () =>
        this.api.users.drafts.list({ userId: 'me', maxResults: GMAIL_SEND_LIMITS.draftsPageSize, pageToken }),
      );
      const found = (data.drafts || []).find((d) => d.message?.id === messageId);
      if (found?.id) return found.id;
      pageToken = data.nextPageToken || undefined;
    } while (pageToken);
    return null;
  }

  private meta(message: OutgoingMessage) {
    return message.original?.threadId ? { threadId: message.original.threadId } : {};
  }

  private async raw(message: OutgoingMessage) {
    const raw = await message.mime();
    if (raw.length > GMAIL_SEND_LIMITS.maxMessageBytes) throw new MessageTooLargeError(raw.length, GMAIL_SEND_LIMITS.maxMessageBytes);
    return raw;
  }

  /** Gmail's own size refusal, as the same error as the check before sending. */
  private async sized<T>(raw: Buffer, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const status = statusOf(error);
      if ((status === 400 || status === 413) && TOO_LARGE.test((error as Error).message)) {
        throw new MessageTooLargeError(raw.length, GMAIL_SEND_LIMITS.maxMessageBytes);
      }
      throw error;
    }
  }
}

const uploadRoot = () => ({ rootUrl: googleEndpoints().gmailRoot });

/** A fresh stream per attempt: a retried request cannot reread a consumed one. */
function media(raw: Buffer) {
  return { mimeType: 'message/rfc822', body: Readable.from([raw]) };
}

const statusOf = (error: unknown) => (error as { status?: number } | undefined)?.status;
