/**
 * The outgoing half of the provider seam (types.ts): a mail to send or keep as a draft, and what
 * the provider answers. Split from types.ts only to keep each file readable; import from either.
 */
import type { AddressedMail } from '../mime/parse';

/** A file of an outgoing mail. The content is read on demand: a provider may already hold it (an Outlook draft). */
export interface OutgoingAttachment {
  filename: string;
  mimeType: string;
  size: number;
  /** Set for an image the HTML shows in place (`<img src="cid:…">`), without angle brackets. */
  contentId?: string;
  inline: boolean;
  content(): Promise<Buffer>;
}

/** What a reply, reply-all or forward answers: providers that thread by their own call (Graph createReply) need it. */
export interface OutgoingOriginal {
  providerMessageId: string;
  threadId: string | null;
  mode: 'reply' | 'replyAll' | 'forward';
}

/**
 * A mail to send or to keep as a draft, built by the send pipeline. Gmail sends the MIME as it is;
 * Graph builds its copy from the fields (or a MIME without attachments) and takes the attachments
 * one by one, so both forms are offered.
 */
export interface OutgoingMessage extends AddressedMail {
  attachments: OutgoingAttachment[];
  /** The Internet Message-ID the MIME carries (with angle brackets). */
  messageId: string;
  inReplyTo: string | null;
  references: string | null;
  original: OutgoingOriginal | null;
  /** The RFC 5322 message, Bcc kept; `attachments: false` leaves the files (inline images too) out. */
  mime(options?: { attachments?: boolean }): Promise<Buffer>;
}

/** Where a sent mail or saved draft is at the provider. */
export interface SentRef {
  providerMessageId: string;
  threadId: string | null;
}

/**
 * A draft at the provider. `draftRef` is the provider's handle for it (Gmail's draft id, which
 * outlives the message id a draft update replaces; Outlook's immutable message id); null for a
 * draft the plugin did not create, which the provider then finds by its message id.
 */
export interface DraftHandle {
  draftRef: string | null;
  providerMessageId: string;
}

export interface SavedDraft extends SentRef {
  draftRef: string;
}

/** Sending and drafts. */
export interface MailboxOutgoing {
  /**
   * Sends a mail (S-SEND-9); a reply or forward stays in the original's conversation. With a
   * draft, the draft is consumed: Outlook sends the draft itself (updated first), Gmail sends the
   * MIME and then deletes the draft. Only throttling is retried: a send that failed otherwise may
   * have gone out, and is left to the user to retry. Throws MessageTooLargeError over the
   * provider's size limit.
   */
  send(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SentRef>;
  /** Creates the draft, or updates `draft` in place (S-DRAFT-1); a draft gone at the provider is created again. */
  saveDraft(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SavedDraft>;
  /** Deletes a draft at the provider; one already gone is not an error. */
  deleteDraft(draft: DraftHandle): Promise<void>;
  /**
   * The mail with this Internet Message-ID in the mailbox's sent mail, or null when it was never
   * sent (bulk send asks before a second attempt at a mail whose first attempt ended unknown).
   * A draft left with that Message-ID by an interrupted send is deleted.
   */
  findSent(internetMessageId: string): Promise<SentRef | null>;
}
