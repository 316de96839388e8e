/**
 * The mail center's API contract (S-CENTER-*), shared by the server actions and the client.
 * Every action is owner-scoped: a user reaches only the mail of their own accounts; another
 * user's message id answers 404 as if it did not exist. Errors come back as
 * `{ errors: [{ message, field? }] }` with status 400 (bad input), 404 (not found / not yours),
 * 409 (account needs reauthorization), 502/503 (provider failed; nothing changed).
 *
 * GET  mailMessages:threads     ThreadQuery            → { data: ThreadRow[], meta: { page, pageSize, hasMore } }
 * GET  mailMessages:threadCount ThreadQuery            → { data: ThreadPageMeta }   (the total: call it beside `threads`,
 *                                                         it reads every matching mail and may take longer)
 * GET  mailMessages:thread      ?filterByTk=<message>  → { data: ThreadView }
 * GET  mailMessages:counts                             → { data: MailCounts }
 * GET  mailMessages:unreadCount                        → { data: { unread: number } }   (the badge alone: cheap)
 * POST mailMessages:setRead      ChangeInput & { read }     → { data: ChangeResult }
 * POST mailMessages:setStarred   ChangeInput & { starred }  → { data: ChangeResult }
 * POST mailMessages:archive      ChangeInput                → { data: ChangeResult }
 * POST mailMessages:trash        ChangeInput                → { data: ChangeResult }
 * POST mailMessages:restore      ChangeInput                → { data: ChangeResult }   (to the Inbox from Trash, Archive or Spam)
 * POST mailMessages:destroyForever ChangeInput              → { data: ChangeResult }   (only mail in Trash)
 * POST mailMessages:setLabels    ChangeInput & { add?: number[]; remove?: number[] } → { data: ChangeResult }
 * GET  mailMessageLabels:listOwn                        → { data: LabelView[] }
 * POST mailMessageLabels:save    { id?, name, color }   → { data: LabelView }      (create, or rename/recolour)
 * POST mailMessageLabels:remove  ?filterByTk=<label>    → { data: { id } }
 * POST mailMessageNotes:save     { messageId, note?, todo? } → { data: NoteView }   (note '' or null clears it; with no note
 *                                and no to-do left the row is deleted and the answer has note null, todo false)
 * GET  mailAttachments:listOwn   ?messageId=<message>   → { data: AttachmentView[] }
 * GET  mailAttachments:download  ?filterByTk=<attachment>[&preview=1] → the bytes
 * GET  mailAttachments:inline    ?messageId=<message>&cid=<content id> → the image bytes (cid: images)
 *
 * After a sync run or a change that alters a user's mail, the server sends that user the
 * WebSocket message `{ type: MAIL_CHANGED_MESSAGE, payload: { accountIds } }`; the client
 * sees it as the app event `ws:message:<type>` and refreshes the badge and lists.
 */

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const MAIL_CENTER_ACTIONS = {
  threads: 'mailMessages:threads',
  threadCount: 'mailMessages:threadCount',
  thread: 'mailMessages:thread',
  counts: 'mailMessages:counts',
  unreadCount: 'mailMessages:unreadCount',
  setRead: 'mailMessages:setRead',
  setStarred: 'mailMessages:setStarred',
  archive: 'mailMessages:archive',
  trash: 'mailMessages:trash',
  restore: 'mailMessages:restore',
  destroyForever: 'mailMessages:destroyForever',
  setLabels: 'mailMessages:setLabels',
  labels: 'mailMessageLabels:listOwn',
  saveLabel: 'mailMessageLabels:save',
  removeLabel: 'mailMessageLabels:remove',
  saveNote: 'mailMessageNotes:save',
  attachments: 'mailAttachments:listOwn',
  download: 'mailAttachments:download',
  inline: 'mailAttachments:inline',
} as const;

export const MAIL_CHANGED_MESSAGE = 'email-manager:mail-changed';

/** Page sizes of the thread list (S-CENTER-3). */
export const THREAD_PAGE_SIZES = [20, 50, 100] as const;
/** A note holds at most this many characters (S-CENTER-9). */
export const NOTE_MAX_LENGTH = 10_000;
/** Label names: 1..LABEL_NAME_MAX characters, unique per user (case-insensitive). */
export const LABEL_NAME_MAX = 64;

/** The boxes of the sidebar; `starred` and `all` are views across boxes, `scheduled` the drafts waiting for their send time. */
export type BoxFilter = 'inbox' | 'sent' | 'drafts' | 'scheduled' | 'archive' | 'trash' | 'spam' | 'starred' | 'all';

export interface ThreadQuery {
  /** One account of the user; all the user's accounts when absent. */
  accountId?: number;
  /** Default `inbox`. `all` is every box except Trash and Spam. */
  box?: BoxFilter;
  /** A provider folder (Outlook) or Gmail label id of `accountId`, as listed in AccountView.folders. */
  folderId?: string;
  /** A personal label id. */
  labelId?: number;
  /** Only conversations the user marked as to-do. */
  todo?: boolean;
  unread?: boolean;
  hasAttachments?: boolean;
  /** Address (or part of one) on From / on To, Cc or Bcc; case-insensitive. */
  from?: string;
  to?: string;
  /** ISO dates; `after` inclusive, `before` exclusive. */
  after?: string;
  before?: string;
  /** Case-insensitive search in subject, names, addresses, snippet and body text. */
  q?: string;
  /** 1-based. */
  page?: number;
  /** 20, 50 or 100 (default 20). */
  pageSize?: number;
}

export interface Address {
  name?: string;
  address: string;
}

export interface LabelView {
  id: number;
  name: string;
  /** A CSS colour or an antd preset name ("blue", "magenta", …). */
  color: string;
}

/** One conversation row: the newest mail of the thread that matches the query (S-CENTER-3). */
export interface ThreadRow {
  /** Id of that newest matching mail; pass it to `thread` and to change actions. */
  id: number;
  accountId: number;
  threadId: string;
  subject: string;
  snippet: string;
  /** From, or To when the row's mail is in Sent or Drafts. */
  correspondents: Address[];
  date: string;
  /** Mails in the conversation (all boxes except Trash, unless viewing Trash). */
  messageCount: number;
  /** Some mail of the conversation is unread. */
  unread: boolean;
  starred: boolean;
  hasAttachments: boolean;
  /** Box of the matching mail (shown as a tag when it differs from the box being viewed). */
  box: string | null;
  draft: boolean;
  /** A mail waiting in the Scheduled box: when it goes out (ISO), else null (S-SCHED-1). */
  scheduledAt: string | null;
  /** Where that scheduled mail stands ('scheduled', 'sending', 'failed'), else null. */
  scheduleStatus: string | null;
  /** Personal labels of all the conversation's mails. */
  labels: LabelView[];
  todo: boolean;
  hasNote: boolean;
}

export interface ThreadPageMeta {
  count: number;
  page: number;
  pageSize: number;
  totalPage: number;
}

export interface AttachmentView {
  id: number;
  messageId: number;
  filename: string;
  mimeType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
}

export interface MessageView {
  id: number;
  accountId: number;
  threadId: string;
  messageId: string | null;
  from: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  subject: string;
  snippet: string;
  /** Raw bodies as received: the client sanitises HTML (DOMPurify) and renders it sandboxed. */
  text: string | null;
  html: string | null;
  date: string;
  read: boolean;
  starred: boolean;
  draft: boolean;
  sent: boolean;
  box: string | null;
  /** Provider folders/labels the mail is in. */
  folderIds: string[];
  hasAttachments: boolean;
  attachments: AttachmentView[];
  labels: LabelView[];
}

export interface NoteView {
  messageId: number;
  note: string | null;
  todo: boolean;
  authorId: number;
  authorName: string;
  updatedAt: string;
}

export interface ThreadView {
  accountId: number;
  threadId: string;
  subject: string;
  /** Oldest first; Trash mails are included only when the opened mail is in Trash. */
  messages: MessageView[];
  /** Union of the messages' personal labels. */
  labels: LabelView[];
  /** Notes and to-do live on the conversation's first mail (`noteMessageId`). */
  noteMessageId: number;
  /** The user's own note and to-do; null when none. */
  note: NoteView | null;
  /** The account can be changed by this user (own mail): false for read-only views. */
  editable: boolean;
}

export interface MailCounts {
  /** The top-bar badge: unread Inbox mail over all the user's accounts (S-CENTER-1). */
  unread: number;
  /** Unread per box over all accounts, and per account and box. */
  boxes: Partial<Record<BoxFilter, number>>;
  accounts: Record<number, Partial<Record<BoxFilter, number>> & { folders?: Record<string, number> }>;
  /** Unread per personal label. */
  labels: Record<number, number>;
  /** Open to-dos. */
  todo: number;
}

export interface ChangeInput {
  /** Message ids (e.g. ThreadRow.id). */
  ids: number[];
  /** `thread` (default) acts on every mail of each id's conversation; `message` on the ids only. */
  scope?: 'thread' | 'message';
}

export interface ChangeResult {
  /** Mails changed. */
  changed: number;
}

/** The `meta` of `threads`: pages without a total (that is `threadCount`, which may take longer). */
export interface ThreadListMeta {
  page: number;
  pageSize: number;
  hasMore: boolean;
}

/** What `mailMessageLabels:save` takes: with `id` a rename or recolour of that label. */
export interface LabelInput {
  id?: number;
  name: string;
  color: string;
}

/** What `mailMessageNotes:save` takes: fields left out keep their values. */
export interface NoteInput {
  messageId: number;
  note?: string | null;
  todo?: boolean;
}
