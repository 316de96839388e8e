/**
 * The mail center's thread list query (S-CENTER-3/4) read from request parameters, checked,
 * and turned into the same filter tree as the Email table block's Data scope (tree.ts), so
 * compile.ts writes one SQL form for both. The list applies it to a mail and to the newer mails
 * of its conversation, one account at a time: the tree is compiled once per alias and account.
 */
import { UserError } from '../../errors';
import { SCHEDULED_BOX_STATUSES } from '../../../shared/compose-api';
import { BoxFilter, THREAD_PAGE_SIZES } from '../../../shared/mail-center-api';
import type { ParticipantRole } from '../participant-index';
import { and, date, flag, FilterNode, list, or, TRUE } from './tree';

const BOXES: BoxFilter[] = ['inbox', 'sent', 'drafts', 'scheduled', 'archive', 'trash', 'spam', 'starred', 'all'];
/** Search words used at most; more add nothing but cost. */
const MAX_SEARCH_WORDS = 8;
/** The longest q, from or to: a LIKE pattern costs in proportion to it on every row read. */
const MAX_TEXT_PARAM = 200;

export interface ThreadFilter {
  userId: number;
  accountIds: number[];
  box: BoxFilter;
  folderId?: string;
  labelId?: number;
  todo: boolean;
  unread: boolean;
  hasAttachments: boolean;
  from?: string;
  to?: string;
  after?: Date;
  before?: Date;
  words: string[];
  page: number;
  pageSize: number;
}

const truthy = (value: unknown) => value === true || value === 'true' || value === '1' || value === 1;

function text(params: Record<string, unknown>, name: string) {
  const value = params[name];
  if (value == null || value === '') return undefined;
  const s = String(value).trim().toLowerCase();
  if (s.length > MAX_TEXT_PARAM) throw new UserError('{{field}} is too long', 400, name, { field: name });
  return s || undefined;
}

function dateParam(params: Record<string, unknown>, name: string) {
  const value = params[name];
  if (value == null || value === '') return undefined;
  const parsed = new Date(String(value));
  if (Number.isNaN(parsed.getTime())) throw new UserError('Invalid date: {{value}}', 400, name, { value: String(value) });
  return parsed;
}

/**
 * Checks the parameters against what the user owns: an account or label of another user is
 * "not found", exactly like one that does not exist.
 */
export function readThreadFilter(params: Record<string, unknown>, userId: number, ownAccountIds: number[], ownLabelIds: number[]): ThreadFilter {
  const box = (params.box || 'inbox') as BoxFilter;
  if (!BOXES.includes(box)) throw new UserError('Unknown box: {{value}}', 400, 'box', { value: String(box) });
  let accountIds = ownAccountIds;
  if (params.accountId != null && params.accountId !== '') {
    const id = Number(params.accountId);
    if (!ownAccountIds.includes(id)) throw new UserError('Mail account not found', 404, 'accountId');
    accountIds = [id];
  }
  const folderId = params.folderId ? String(params.folderId) : undefined;
  if (folderId && accountIds.length !== 1) throw new UserError('Choose an account to open one of its folders', 400, 'folderId');
  let labelId: number | undefined;
  if (params.labelId != null && params.labelId !== '') {
    labelId = Number(params.labelId);
    if (!ownLabelIds.includes(labelId)) throw new UserError('Label not found', 404, 'labelId');
  }
  const page = params.page == null ? 1 : Number(params.page);
  if (!Number.isInteger(page) || page < 1) throw new UserError('Invalid page: {{value}}', 400, 'page', { value: String(params.page) });
  const pageSize = params.pageSize == null ? THREAD_PAGE_SIZES[0] : Number(params.pageSize);
  if (!(THREAD_PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new UserError('Page size must be one of {{sizes}}', 400, 'pageSize', { sizes: THREAD_PAGE_SIZES.join(', ') });
  }
  const q = text(params, 'q');
  return {
    userId,
    accountIds,
    box,
    folderId,
    labelId,
    todo: truthy(params.todo),
    unread: truthy(params.unread),
    hasAttachments: truthy(params.hasAttachments),
    from: text(params, 'from'),
    to: text(params, 'to'),
    after: dateParam(params, 'after'),
    before: dateParam(params, 'before'),
    words: q ? q.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS) : [],
    page,
    pageSize,
  };
}

/**
 * The thread list's filter as a filter tree over its mails (compiled by compile.ts like the
 * Email table block's), limited to `accountIds` (the list walks one account at a time).
 * From and To look at the participants index: some From (To, Cc or Bcc) participant whose
 * address or display name contains the text, as the old match over the JSON columns did.
 */
export function threadFilterTree(f: ThreadFilter, accountIds = f.accountIds): FilterNode {
  return and([
    list('accountId', accountIds),
    boxTree(f),
    f.labelId != null ? { kind: 'labels', ids: [f.labelId], negate: false } : TRUE,
    f.todo ? { kind: 'todo' } : TRUE,
    f.unread ? flag('read', false) : TRUE,
    f.hasAttachments ? flag('hasAttachments', true) : TRUE,
    f.from ? participantContains(['from'], f.from) : TRUE,
    f.to ? participantContains(['to', 'cc', 'bcc'], f.to) : TRUE,
    f.after ? date('>=', f.after) : TRUE,
    f.before ? date('<', f.before) : TRUE,
    f.words.length ? { kind: 'search', words: f.words } : TRUE,
  ]);
}

/** A folder replaces the box; Starred and All leave out Trash and Spam. */
function boxTree(f: ThreadFilter): FilterNode {
  const notTrashOrSpam = list('box', ['trash', 'spam'], true);
  const waitingToSend = (negate: boolean) => list('scheduleStatus', [...SCHEDULED_BOX_STATUSES], negate);
  if (f.folderId) return { kind: 'folder', id: f.folderId };
  switch (f.box) {
    case 'starred':
      return and([flag('starred', true), notTrashOrSpam]);
    case 'all':
      return notTrashOrSpam;
    case 'scheduled':
      // Ours wait as drafts with a send time; Gmail's own scheduled mail has its own box.
      return or([and([flag('draft', true), waitingToSend(false)]), list('box', ['scheduled'])]);
    case 'drafts':
      // A draft waiting for its send time is in Scheduled, not in Drafts (S-SCHED-1/2). One
      // only in a custom folder (box NULL) has never been listed here: `strict` keeps it out.
      return and([flag('draft', true), list('box', ['trash'], true, true), waitingToSend(true)]);
    default:
      return list('box', [f.box]);
  }
}

/** `text` is already lower-cased and at most MAX_TEXT_PARAM long. */
const participantContains = (roles: ParticipantRole[], text: string): FilterNode => ({
  kind: 'participant',
  roles,
  match: { column: 'address', contains: [text], names: true },
  negate: false,
});
