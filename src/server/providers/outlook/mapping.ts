/** Graph mail folders and messages → the plugin's message shape (S-SYNC-4, S-SYNC-5). */
import { htmlSnippetText, MailAddress, makeSnippet } from '../../mime/parse';
import type { Box, MessageState, RemoteMessage } from '../types';

/** Well-known folder names (stable across languages, unlike display names) and their boxes. */
export const BOX_BY_WELL_KNOWN: Record<string, Box> = {
  inbox: 'inbox',
  sentitems: 'sent',
  drafts: 'drafts',
  junkemail: 'spam',
  deleteditems: 'trash',
  archive: 'archive',
};
/** Folders that hold no mail of the user's: skipped by the sync. */
export const SKIPPED_WELL_KNOWN = ['conversationhistory', 'syncissues', 'outbox'];

/** The message fields the sync reads; delta pages carry them, so no second request is needed. */
export const MESSAGE_SELECT = [
  'id',
  'conversationId',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'body',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'receivedDateTime',
  'sentDateTime',
  'isRead',
  'isDraft',
  'flag',
  'parentFolderId',
  'hasAttachments',
];

export interface GraphRecipient {
  emailAddress?: { name?: string; address?: string };
}

export interface GraphMessage {
  id: string;
  conversationId?: string;
  internetMessageId?: string;
  subject?: string;
  bodyPreview?: string;
  body?: { contentType?: string; content?: string };
  from?: GraphRecipient;
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  bccRecipients?: GraphRecipient[];
  replyTo?: GraphRecipient[];
  receivedDateTime?: string;
  sentDateTime?: string;
  isRead?: boolean;
  isDraft?: boolean;
  flag?: { flagStatus?: string };
  parentFolderId?: string;
  hasAttachments?: boolean;
  '@removed'?: { reason?: string };
}

function address(recipient: GraphRecipient | undefined): MailAddress | null {
  const value = recipient?.emailAddress?.address?.trim().toLowerCase();
  if (!value) return null;
  const name = recipient?.emailAddress?.name?.trim();
  return name && name.toLowerCase() !== value ? { address: value, name } : { address: value };
}

function addresses(list: GraphRecipient[] | undefined): MailAddress[] {
  return (list || []).map(address).filter((a): a is MailAddress => Boolean(a));
}

export function stateOf(message: GraphMessage, boxOfFolder: (folderId: string) => Box | null): MessageState {
  const folderId = message.parentFolderId || '';
  return {
    providerMessageId: message.id,
    threadId: message.conversationId || null,
    folderIds: folderId ? [folderId] : [],
    box: boxOfFolder(folderId),
    read: Boolean(message.isRead),
    starred: message.flag?.flagStatus === 'flagged',
    draft: Boolean(message.isDraft),
  };
}

export function fromGraphMessage(message: GraphMessage, boxOfFolder: (folderId: string) => Box | null): RemoteMessage {
  const isHtml = message.body?.contentType?.toLowerCase() === 'html';
  const content = message.body?.content || '';
  const text = isHtml ? '' : content;
  const html = isHtml ? content : '';
  const date = new Date(message.receivedDateTime || message.sentDateTime || 0);
  return {
    ...stateOf(message, boxOfFolder),
    messageId: message.internetMessageId || null,
    // Graph keeps threading headers out of delta pages; conversationId threads the mail.
    inReplyTo: null,
    references: null,
    subject: (message.subject || '').trim(),
    date: Number.isNaN(date.getTime()) ? new Date(0) : date,
    // Drafts have no from.
    from: address(message.from),
    to: addresses(message.toRecipients),
    cc: addresses(message.ccRecipients),
    bcc: addresses(message.bccRecipients),
    replyTo: addresses(message.replyTo),
    deliveredTo: null,
    text,
    html,
    snippet: makeSnippet(message.bodyPreview || (isHtml ? htmlSnippetText(html) : text)),
    size: null,
    // False when only inline images are attached: those are found from the HTML's cid: links.
    hasAttachments: Boolean(message.hasAttachments),
    attachments: null,
  };
}
