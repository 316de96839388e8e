/**
 * The thread list's query (S-CENTER-3/4) read from request parameters, checked, and turned into
 * one SQL condition on a mailMessages alias. The same condition is applied twice by the list (to
 * a mail, and to the newer mails of its conversation), so it is built as a function of the alias.
 */
import { COLLECTIONS } from '../constants';
import { UserError } from '../errors';
import { BoxFilter, THREAD_PAGE_SIZES } from '../../shared/mail-center-api';
import { containsPattern, LIKE_ESCAPE, SqlNames } from './sql';

const BOXES: BoxFilter[] = ['inbox', 'sent', 'drafts', 'scheduled', 'archive', 'trash', 'spam', 'starred', 'all'];
/** A draft waiting for its send time is in Scheduled, not in Drafts (S-SCHED-1/2). */
const SCHEDULED = "('scheduled', 'sending', 'failed')";
/** Search words used at most; more add nothing but cost. */
const MAX_SEARCH_WORDS = 8;
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

function text(params: Record<string, any>, name: string) {
  const value = params[name];
  if (value == null || value === '') return undefined;
  const s = String(value).trim().toLowerCase();
  if (s.length > MAX_TEXT_PARAM) throw new UserError('{{field}} is too long', 400, name, { field: name });
  return s || undefined;
}

function date(params: Record<string, any>, name: string) {
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
export function readThreadFilter(params: Record<string, any>, userId: number, ownAccountIds: number[], ownLabelIds: number[]): ThreadFilter {
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
    after: date(params, 'after'),
    before: date(params, 'before'),
    words: q ? q.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS) : [],
    page,
    pageSize,
  };
}

/** Replacements shared by every use of the condition. */
export function filterReplacements(f: ThreadFilter): Record<string, unknown> {
  const values: Record<string, unknown> = { accountIds: f.accountIds.length ? f.accountIds : [0], yes: true, no: false, userId: f.userId };
  if (f.folderId) values.folderLike = containsPattern(JSON.stringify(f.folderId));
  if (f.labelId != null) values.labelId = f.labelId;
  if (f.from) values.fromLike = containsPattern(f.from);
  if (f.to) values.toLike = containsPattern(f.to);
  if (f.after) values.after = f.after;
  if (f.before) values.before = f.before;
  f.words.forEach((w, i) => (values[`word${i}`] = containsPattern(w)));
  return values;
}

/**
 * The condition on the mailMessages alias `a`, with named replacements from filterReplacements.
 * `accounts` tests the account column: the user's accounts by default, or one (`= :account0`).
 */
export function filterCondition(sql: SqlNames, f: ThreadFilter, a: string, accounts = 'IN (:accountIds)'): string {
  const M = COLLECTIONS.messages;
  const col = (field: string) => sql.column(M, field, a);
  const like = (expression: string, name: string) => `${expression} LIKE :${name} ESCAPE '${LIKE_ESCAPE}'`;
  const lowerJson = (field: string) => `LOWER(${sql.jsonText(col(field))})`;
  const notTrashOrSpam = `(${col('box')} IS NULL OR ${col('box')} NOT IN ('trash', 'spam'))`;
  const parts = [`${col('accountId')} ${accounts}`];

  if (f.folderId) parts.push(like(sql.jsonText(col('labelIds')), 'folderLike'));
  else if (f.box === 'starred') parts.push(`${col('starred')} = :yes`, notTrashOrSpam);
  else if (f.box === 'all') parts.push(notTrashOrSpam);
  else if (f.box === 'scheduled') {
    // Ours wait as drafts with a send time; Gmail's own scheduled mail has its own box.
    parts.push(`((${col('draft')} = :yes AND ${col('scheduleStatus')} IN ${SCHEDULED}) OR ${col('box')} = 'scheduled')`);
  }
  else if (f.box === 'drafts') {
    parts.push(`${col('draft')} = :yes`, `${col('box')} <> 'trash'`, `(${col('scheduleStatus')} IS NULL OR ${col('scheduleStatus')} NOT IN ${SCHEDULED})`);
  }
  else parts.push(`${col('box')} = '${f.box}'`);

  if (f.labelId != null) {
    const L = COLLECTIONS.labelLinks;
    parts.push(
      `EXISTS (SELECT 1 FROM ${sql.table(L)} l WHERE ${sql.column(L, 'messageId', 'l')} = ${col('id')} AND ${sql.column(L, 'labelId', 'l')} = :labelId)`,
    );
  }
  if (f.todo) {
    const N = COLLECTIONS.notes;
    const note = (field: string) => sql.column(N, field, 't');
    parts.push(
      `EXISTS (SELECT 1 FROM ${sql.table(N)} t WHERE ${note('userId')} = :userId AND ${note('todo')} = :yes AND ${note('accountId')} = ${col('accountId')} AND ${note('threadId')} = ${col('threadId')})`,
    );
  }
  if (f.unread) parts.push(`${col('read')} = :no`);
  if (f.hasAttachments) parts.push(`${col('hasAttachments')} = :yes`);
  if (f.from) parts.push(like(lowerJson('from'), 'fromLike'));
  if (f.to) parts.push(`(${['to', 'cc', 'bcc'].map((field) => like(lowerJson(field), 'toLike')).join(' OR ')})`);
  if (f.after) parts.push(`${col('date')} >= :after`);
  if (f.before) parts.push(`${col('date')} < :before`);
  f.words.forEach((_, i) => {
    const word = `word${i}`;
    const fields = [`LOWER(${col('subject')})`, col('participantNames'), `LOWER(${col('snippet')})`, `LOWER(${col('text')})`];
    parts.push(`(${fields.map((field) => like(field, word)).join(' OR ')})`);
  });
  return parts.join(' AND ');
}
