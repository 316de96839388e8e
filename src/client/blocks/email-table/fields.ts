/**
 * What an Email table can show and do (S-BLOCK-1, S-BLOCK-5): field keys are stored in the
 * block's settings, so keep them stable. Titles are English translation keys.
 */
import { BLOCK_DEFAULT_PAGE_SIZE } from '../../../shared/block-api';

export const EMAIL_FIELDS = [
  'subject',
  'from',
  'to',
  'cc',
  'bcc',
  'date',
  'content',
  'box',
  'read',
  'draft',
  'labels',
  'attachments',
  'account',
  'repliedMessage',
] as const;
export type EmailField = (typeof EMAIL_FIELDS)[number];

export const EMAIL_FIELD_TITLES: Record<EmailField, string> = {
  subject: 'Subject',
  from: 'From',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  date: 'Date',
  content: 'Content',
  box: 'Box',
  read: 'Read',
  draft: 'Draft',
  labels: 'Labels',
  attachments: 'Attachments',
  account: 'Account',
  repliedMessage: 'Replied message',
};

/** Columns of a new block. */
export const DEFAULT_EMAIL_COLUMNS: EmailField[] = ['subject', 'from', 'to', 'date', 'read'];

/** Columns the server sorts by (block-api BLOCK_SORTS). */
export const SORTABLE_FIELDS: Partial<Record<EmailField, 'date' | 'subject' | 'from'>> = { date: 'date', subject: 'subject', from: 'from' };

/** The bottom buttons of the details drawer (S-BLOCK-5). */
export const DETAIL_BUTTONS = ['reply', 'replyAll', 'forward', 'markUnread', 'archive', 'trash'] as const;
export type DetailButton = (typeof DETAIL_BUTTONS)[number];
export const DETAIL_BUTTON_TITLES: Record<DetailButton, string> = {
  reply: 'Reply',
  replyAll: 'Reply all',
  forward: 'Forward',
  markUnread: 'Mark as unread',
  archive: 'Archive',
  trash: 'Move to trash',
};
/** Buttons that change the mail: never shown on another user's (read-only) mail (S-ACL-5). */
export const MUTATING_BUTTONS: DetailButton[] = ['reply', 'replyAll', 'forward', 'markUnread', 'archive', 'trash'];

export const EMAIL_PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_EMAIL_PAGE_SIZE = BLOCK_DEFAULT_PAGE_SIZE;

/** Keeps only known keys, in the order given, without duplicates; the defaults when nothing is left. */
export function normalizeColumns(value: unknown, fallback: EmailField[] = DEFAULT_EMAIL_COLUMNS): EmailField[] {
  if (!Array.isArray(value)) return fallback;
  const seen = new Set<EmailField>();
  for (const item of value) if ((EMAIL_FIELDS as readonly string[]).includes(item)) seen.add(item as EmailField);
  return seen.size ? [...seen] : fallback;
}

export function normalizeButtons(value: unknown): DetailButton[] {
  if (!Array.isArray(value)) return [...DETAIL_BUTTONS];
  return DETAIL_BUTTONS.filter((b) => value.includes(b));
}
