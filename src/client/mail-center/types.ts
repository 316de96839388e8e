/** The mail center's own types: the account as it reads it, what the sidebar selects, and the like. */
import type { AccountView, FolderView } from '../../shared/accounts-api';
import type { BoxFilter, ThreadQuery } from '../../shared/mail-center-api';

/** `mailAccounts:listOwn` rows as the mail center reads them; `folders` may be absent on older servers. */
export type MailAccount = AccountView & { folders?: FolderView[] };

/** What the sidebar selected: one box, or a provider folder, a personal label or To-Do. */
export interface MailView {
  accountId?: number;
  box: BoxFilter;
  folderId?: string;
  labelId?: number;
  todo?: boolean;
}

/** The toolbar's filter popover and search box (S-CENTER-4). */
export type MailFilters = Pick<ThreadQuery, 'q' | 'unread' | 'hasAttachments' | 'from' | 'to' | 'after' | 'before' | 'labelId'>;

export const BOXES: BoxFilter[] = ['inbox', 'starred', 'sent', 'drafts', 'scheduled', 'archive', 'spam', 'trash', 'all'];

/** Box titles; the English text is the translation key. */
export const BOX_TITLE: Record<BoxFilter, string> = {
  inbox: 'Inbox',
  starred: 'Starred',
  sent: 'Sent',
  drafts: 'Drafts',
  scheduled: 'Scheduled',
  archive: 'Archive',
  spam: 'Spam',
  trash: 'Trash',
  all: 'All mail',
};

/** Turns the sidebar selection, filters and page into the server's query. */
export function toThreadQuery(view: MailView, filters: MailFilters, page: number, pageSize: number): ThreadQuery {
  const query: ThreadQuery = { box: view.box, page, pageSize };
  if (view.accountId) query.accountId = view.accountId;
  if (view.folderId) query.folderId = view.folderId;
  if (view.todo) query.todo = true;
  // A label picked in the sidebar wins over one picked in the filter popover.
  const labelId = view.labelId ?? filters.labelId;
  if (labelId) query.labelId = labelId;
  for (const key of ['q', 'from', 'to', 'after', 'before'] as const) {
    const value = filters[key]?.trim();
    if (value) query[key] = value;
  }
  if (filters.unread) query.unread = true;
  if (filters.hasAttachments) query.hasAttachments = true;
  return query;
}

/** How many filters of the popover are in use (the search box is counted apart). */
export function activeFilterCount(filters: MailFilters): number {
  const { q: _q, after, before, ...rest } = filters;
  return Object.values(rest).filter((v) => v !== undefined && v !== '' && v !== false).length + (after || before ? 1 : 0);
}
