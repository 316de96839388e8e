/**
 * The Email table and Email details blocks (S-BLOCK-1…5, S-ACL-3…6): API contract and limits,
 * shared by the server actions and the client blocks. Errors come back as
 * `{ errors: [{ message, field? }] }`, translated by the X-Locale header: 400 bad input (the field
 * says which: `filter`, `filter.<field>`, `sort`, `page`, `pageSize`, `scope`), 404 a mail that
 * does not exist or that the caller may not see. Anonymous requests 401; a role without the
 * `email-manager` snippet 403.
 *
 * GET mailMessages:blockList  BlockListQuery          → { data: BlockRow[], meta: BlockListMeta }
 *                             (like NocoBase's own `list`; the filter runs in SQL on the indexed
 *                             participants table, the count is exact)
 * GET mailMessages:blockGet   ?filterByTk=<message>   → { data: BlockMessage }
 *                             (never marks the mail read: opening is the client's call to
 *                             mailMessages:setRead, which works on the caller's own mail only)
 *
 * Both accept their parameters as GET query parameters (`filter` as a JSON string, as NocoBase's
 * APIClient sends it) or as a POST body.
 *
 * Who sees what (blockList by its `scope`; blockGet always by the 'all' rules):
 * - `scope: 'mine'` (default): mail of the caller's own accounts; `readOnly: false`.
 * - `scope: 'all'` (S-ACL-4): every user's mail if one of the caller's roles may `view` (or
 *   `list`) `mailMessages` in NocoBase's ACL (root always, admin by default through its
 *   "all collections" strategy, member not); that role's data scope on `mailMessages` then
 *   applies. Without the permission it silently falls back to 'mine' (`meta.scope` says which
 *   scope was applied).
 * - S-ACL-6: with scope 'all', while the settings' `viewByDepartment` is on, a department owner
 *   also sees the mail of the users of the departments they own and of their sub-departments
 *   (`meta.scope` is then 'all' even without the view permission).
 * - Other users' mail is read-only (S-ACL-5): `readOnly: true`; the mail-center changes
 *   (setRead, archive, trash, setLabels…) answer 404 on it; viewing it changes nothing. Its
 *   attachments are listed, but mailAttachments:download / :inline serve the owner only.
 *
 * Toolbar actions of the block reuse the mail center's (src/shared/mail-center-api.ts):
 * Mark as read/unread → mailMessages:setRead with `scope: 'message'`; Archive, Move to trash
 * likewise; Send email, Reply, Reply all, Forward → the compose API (src/shared/send-api.ts).
 */
import type { Address, AttachmentView, BoxFilter, LabelView } from './mail-center-api';

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const BLOCK_ACTIONS = {
  list: 'mailMessages:blockList',
  get: 'mailMessages:blockGet',
} as const;

/** Page size when none is given, and the largest one accepted (a larger one is a 400). */
export const BLOCK_DEFAULT_PAGE_SIZE = 20;
export const BLOCK_MAX_PAGE_SIZE = 200;
/**
 * Limits that keep one block request cheap (each over-limit filter is a 400 naming the limit):
 * at most this many values in one condition (after splitting strings on , and ;): a record's
 * addresses fit; every value is a bound parameter and an index probe.
 */
export const BLOCK_MAX_FILTER_VALUES = 50;
/** At most this many conditions in a whole filter, and this deep a nesting of $and/$or. */
export const BLOCK_MAX_FILTER_CONDITIONS = 20;
export const BLOCK_MAX_FILTER_DEPTH = 6;
/** A value's length in characters: an address is at most 254 (RFC 5321), with room for a name. */
export const BLOCK_MAX_FILTER_VALUE_LENGTH = 320;
/**
 * "Contains" ($includes / $notIncludes on addresses, domain and subject) is a LIKE '%x%' that no
 * index serves: every mail or participant row in scope is read once per text. At most this many
 * texts in a whole filter.
 */
export const BLOCK_MAX_FILTER_SUBSTRINGS = 5;

export type BlockScope = 'mine' | 'all';

/** Sort keys; a leading '-' means descending. Ties are broken by id in the same direction. */
export const BLOCK_SORTS = ['-date', 'date', 'subject', '-subject', 'from', '-from'] as const;
export type BlockSort = (typeof BLOCK_SORTS)[number];

/**
 * Address fields: `from`, `to`, `cc`, `bcc`, `replyTo`; `participants` is any of those roles.
 * `domain` is the domain of any participant.
 */
export const BLOCK_ADDRESS_FIELDS = ['from', 'to', 'cc', 'bcc', 'replyTo', 'participants'] as const;
export type BlockAddressField = (typeof BLOCK_ADDRESS_FIELDS)[number];

/**
 * Operators per field. A bare value is `$eq` (`{ from: 'a@x.com' }`).
 *
 * Address fields and `domain`, always ignoring case:
 * - `$eq` / `$in`: some participant in that role has one of the values. `$in` takes an array, or
 *   a string holding several values split on `,` and `;` (as a record's "emails" text field
 *   often does); `$eq` with an array or such a string behaves like `$in`. `$anyOf` is `$in`.
 * - `$ne` / `$notIn`: no participant in that role has any of the values.
 * - `$includes` / `$notIncludes`: some / no participant in that role contains the text
 *   (substring; not indexed, so slower on large mailboxes).
 * - Values are trimmed; an address may be written "Name <a@x.com>". For `domain` a value may be
 *   a JSON array (the record's domains field, e.g. `["acme.com","@beta.io"]`) or its JSON text;
 *   a leading "@" is ignored; a subdomain matches only if listed itself (S-BLOCK-4).
 *
 * EMPTY VALUES MATCH NOTHING: a condition whose value is undefined, null, '', only spaces, [] or
 * a list of only empty items (a popup record without an email) is false, whatever its operator
 * ($ne and $notIn included). Inside `$or` the other branches still count; inside `$and` (or at
 * the top level) the whole filter then matches no mail. This way a customer popup with no email
 * shows no mail rather than all of it.
 *
 * Other fields:
 * - `subject`: `$includes`, `$notIncludes`, `$eq`, `$ne` (ignoring case). Empty values match
 *   nothing here too.
 * - `date`: `$eq` / `$dateOn`, `$gt` / `$dateAfter`, `$gte` / `$dateNotBefore`, `$lt` /
 *   `$dateBefore`, `$lte` / `$dateNotAfter`, `$dateBetween: [from, to]` (inclusive). Values are
 *   ISO 8601 timestamps, or whole days "YYYY-MM-DD" (optionally "+08:00": that day in that zone,
 *   else UTC): `$dateOn` a day is that day, `$dateAfter` a day starts the next day, and so on.
 *   (NocoBase's request parsing rewrites `$dateBetween` to [from, to, "[]", zone]; accepted.)
 *   A bad date is a 400.
 * - `read`, `draft`, `hasAttachments`: `$eq` true/false, `$isTruly`, `$isFalsy`.
 * - `box`: `$eq`, `$ne`, `$in`, `$notIn` of BoxValue.
 * - `accountId`: `$eq`, `$ne`, `$in`, `$notIn` (numbers).
 * - `labels`: `$anyOf` / `$in` / `$eq` (label ids): the mail carries one of the caller's own
 *   labels with those ids; `$noneOf` / `$notIn`: none of them. Other users' labels are never seen.
 *
 * An unknown field or operator, or a value of the wrong type, is a 400 naming it.
 */
export const BLOCK_FILTER_FIELDS = [
  ...BLOCK_ADDRESS_FIELDS,
  'domain',
  'subject',
  'date',
  'read',
  'draft',
  'hasAttachments',
  'box',
  'accountId',
  'labels',
] as const;
export type BlockFilterField = (typeof BLOCK_FILTER_FIELDS)[number];

export type BlockFilterValue = string | number | boolean | null | (string | number)[];
export type BlockCondition = BlockFilterValue | { [operator: string]: BlockFilterValue };
/** NocoBase filter JSON: `{ $and: [...] }`, `{ $or: [...] }`, or fields with conditions (an implicit $and). */
export type BlockFilter =
  | { $and: BlockFilter[] }
  | { $or: BlockFilter[] }
  | Partial<Record<BlockFilterField, BlockCondition>>;

export interface BlockListQuery {
  /** Default 'mine'. */
  scope?: BlockScope;
  /** Object or its JSON text; absent or {} means every mail of the scope. */
  filter?: BlockFilter | string;
  /** 1-based, default 1. */
  page?: number;
  /** 1..BLOCK_MAX_PAGE_SIZE, default BLOCK_DEFAULT_PAGE_SIZE. */
  pageSize?: number;
  /** Default '-date'. An array (NocoBase style) uses its first key. */
  sort?: BlockSort | BlockSort[];
}

/** Where the mail is; 'scheduled' mails are drafts waiting for their send time. */
export type BoxValue = Exclude<BoxFilter, 'starred' | 'all'> | string;

export interface BlockListMeta {
  count: number;
  page: number;
  pageSize: number;
  totalPage: number;
  /** The scope applied: 'mine' when 'all' was asked without the permission. */
  scope: BlockScope;
}

export interface BlockAttachment {
  id: number;
  filename: string;
  mimeType: string;
  size: number;
}

/** The mail this one answers (In-Reply-To), when it is stored in the same account. */
export interface RepliedMessage {
  id: number;
  subject: string;
}

/** One row of the Email table: the fields of S-BLOCK-1. */
export interface BlockRow {
  id: number;
  threadId: string;
  accountId: number;
  /** Field "Account": the account's address. */
  account: string;
  subject: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  /** Bcc is known for mail the account sent; [] otherwise. */
  bcc: Address[];
  /** ISO 8601. */
  date: string;
  /** Field "Content" in the table: the snippet (plain text, about 200 characters). */
  content: string;
  box: BoxValue | null;
  read: boolean;
  draft: boolean;
  /** The caller's own personal labels on this mail ([] on other users' mail). */
  labels: LabelView[];
  hasAttachments: boolean;
  /** Regular (not inline) attachments; Outlook lists them only after the mail was first opened. */
  attachments: BlockAttachment[];
  repliedMessage: RepliedMessage | null;
  /** Another user's mail (scope 'all' or department view): no changes allowed. */
  readOnly: boolean;
}

/** The Email details block: a row plus what only the details show. */
export interface BlockMessage extends BlockRow {
  replyTo: Address[];
  starred: boolean;
  /** Raw bodies as received: the client sanitises the HTML (DOMPurify) and renders it sandboxed. */
  html: string | null;
  text: string | null;
  /** Every attachment, inline ones included (for cid: images). */
  allAttachments: AttachmentView[];
}
