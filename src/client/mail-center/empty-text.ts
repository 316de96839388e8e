/** What the conversation list says when it is empty, by where the user is. */
import type { BoxFilter } from '../../shared/mail-center-api';
import type { MailView } from './types';

const EMPTY_TEXT: Record<BoxFilter, string> = {
  inbox: 'No mail in Inbox',
  starred: 'No mail in Starred',
  sent: 'No mail in Sent',
  drafts: 'No mail in Drafts',
  scheduled: 'No scheduled mail',
  archive: 'No mail in Archive',
  spam: 'No mail in Spam',
  trash: 'No mail in Trash',
  all: 'No mail in All mail',
};

export function emptyText(view: MailView, filtered: boolean): string {
  if (filtered) return 'No mail matches your search';
  if (view.todo) return 'No to-dos';
  if (view.labelId) return 'No mail with this label';
  if (view.folderId) return 'No mail in this folder';
  return EMPTY_TEXT[view.box];
}
