/**
 * The editor's API contract (S-SEND-*, S-DRAFT-1), shared by the server actions and the client.
 * Everything is owner-scoped: another user's account, mail, draft, attachment or upload answers
 * 404 as if it did not exist; anonymous requests 401. Errors come back as
 * `{ errors: [{ message, field?, …details }] }`, translated by the X-Locale header:
 * 400 bad input (the field says which), 404 not found / not yours, 409 the account cannot send
 * (reauthorize / error / paused) or the same idempotency key is being sent right now,
 * 502/503 the provider failed (nothing was sent, the draft row is kept).
 *
 * POST mailAttachments:upload        multipart/form-data, one file in field `file` → { data: UploadView }
 *                                    (a file over 25 MB: 400 "Attachments exceed 25 MB in total" with `files`)
 * POST mailAttachments:deleteUpload  ?filterByTk=<upload id>                     → { data: { deleted: 1 } }
 * GET  mailMessages:replyDraft       ?filterByTk=<message>&mode=reply|replyAll|forward[&timeZone=<IANA>]
 *                                                                                → { data: ReplyDraft }
 * POST mailMessages:send             SendInput                                   → { data: SendResult }
 * POST mailMessages:saveDraft        DraftInput                                  → { data: SavedDraft }
 * GET  mailMessages:openDraft        ?filterByTk=<draft row>                     → { data: DraftView }
 * POST mailMessages:deleteDraft      ?filterByTk=<draft row>                     → { data: { deleted: 1 } }
 *
 * Files: new files are uploaded first and named by their upload id in `attachmentIds`; files of
 * stored mail (a forwarded original's, a reply's quoted images, a saved draft's own) are named by
 * their attachment id in `forwardAttachmentIds`. Either kind given with a `contentId` is an inline
 * image the HTML shows as `<img src="cid:…">`. All files together, inline ones included, are at
 * most MAX_ATTACHMENTS_BYTES; over it: 400 with `files: [{ filename, size }]`, `total`, `limit`.
 *
 * Drafts: each save answers the draft's files anew (new ids); send those as `forwardAttachmentIds`
 * with the next save or the send, in place of the uploads. Sending with `draftId` consumes the
 * draft at the provider and here; a failed send keeps it.
 */
import type { Address, AttachmentView } from './mail-center-api';

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const SEND_ACTIONS = {
  upload: 'mailAttachments:upload',
  deleteUpload: 'mailAttachments:deleteUpload',
  replyDraft: 'mailMessages:replyDraft',
  send: 'mailMessages:send',
  saveDraft: 'mailMessages:saveDraft',
  openDraft: 'mailMessages:openDraft',
  deleteDraft: 'mailMessages:deleteDraft',
} as const;

/** S-SEND-5: the files of one mail together, inline images included. */
export const MAX_ATTACHMENTS_BYTES = 25 * 1024 * 1024;

export type ComposeMode = 'new' | 'reply' | 'replyAll' | 'forward';

/** A pasted list ("a@x.com; Bob <b@y.org>", split at commas, semicolons, newlines) or tokens. */
export type RecipientsInput = string | (string | Address)[];

export interface ComposeInput {
  /** One of the user's accounts: it sends. */
  accountId: number;
  /** The account's address or one of its verified aliases; the primary address when absent. */
  from?: string;
  to?: RecipientsInput;
  cc?: RecipientsInput;
  bcc?: RecipientsInput;
  subject?: string;
  html?: string;
  /** Upload ids (mailAttachments:upload), or `{ id, contentId }` for an inline image. */
  attachmentIds?: (string | { id: string; contentId?: string })[];
  /** Attachment ids of the user's stored mail, or `{ id, contentId }`; inline ones stay inline under their Content-ID. */
  forwardAttachmentIds?: (number | { id: number; contentId?: string })[];
  /** Default 'new', or 'reply' when `replyToMessageId` is given. */
  mode?: ComposeMode;
  /** The mail replied to or forwarded (mailMessages id). */
  replyToMessageId?: number;
  /** The saved draft this compose continues (its mailMessages id, from SavedDraft.id). */
  draftId?: number;
}

export interface SendInput extends ComposeInput {
  /**
   * One per compose, the same for every attempt (8–128 of letters, digits, `._:-`; a UUID).
   * A key already sent answers the first result and sends nothing.
   */
  idempotencyKey: string;
}

/** A draft may be saved without recipients. */
export type DraftInput = ComposeInput;

export interface SendResult {
  /** The stored mail in box `sent` (null only if storing it failed; the next sync adds it). */
  id: number | null;
  providerMessageId: string;
  threadId: string | null;
}

export interface UploadView {
  /** Name it in `attachmentIds`. Kept until the mail is sent, or for a week. */
  id: string;
  filename: string;
  size: number;
  mimeType: string;
}

/** What Reply, Reply all or Forward opens with (S-SEND-6…8). */
/** A mail as the editor opens it: who from and to, what it says, and its files. */
export interface OpenedMail {
  accountId: number;
  from: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  html: string;
  attachments: AttachmentView[];
}

/**
 * A reply or forward as the server prepares it: `from` is the own address or alias that
 * received the original (S-SEND-8); `html` is the quoted original, the editor puts the user's
 * text and signature (S-SIG-1) above it.
 */
export interface ReplyDraft extends OpenedMail {
  mode: Exclude<ComposeMode, 'new'>;
  replyToMessageId: number;
  inReplyTo: string | null;
  references: string | null;
  threadId: string | null;
  /** Files that come along (every file for a forward; the quote's inline images for a reply): their ids go in `forwardAttachmentIds`. */
  attachments: AttachmentView[];
}

export interface SavedDraft {
  /** The draft's mailMessages row; send it as `draftId` next time. */
  id: number;
  providerMessageId: string;
  threadId: string | null;
  /** The files the saved draft holds: name these ids in `forwardAttachmentIds` from now on. */
  attachments: AttachmentView[];
}

/** A saved draft as the editor reopens it (S-DRAFT-1). */
export interface DraftView extends OpenedMail {
  id: number;
  mode: ComposeMode;
  replyToMessageId: number | null;
}
