/**
 * Graph's message and attachment JSON, built from the stored MIME and the flags beside it. As on
 * the real service: `hasAttachments` is false when the only attachments are inline images; drafts
 * without a From header have `from`/`sender` null; recipients without a display name show the
 * address as the name; `internetMessageHeaders` and `uniqueBody` come only when selected; the body
 * is the HTML part when there is one (text with `Prefer: outlook.body-content-type="text"`).
 */
import crypto from 'node:crypto';
import { htmlToText, plainTextOf, preview, type MailAttachment } from '../shared/message-summary';
import { decodeWords, headerOf, type MailAddress } from '../shared/mime';
import type { Prefer } from './api';
import type { OutlookMailbox, OutlookMessage } from './mailbox';

/** Properties Graph returns without $select, in Graph's order. */
const DEFAULT_PROPERTIES = [
  'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'receivedDateTime', 'sentDateTime', 'hasAttachments', 'internetMessageId',
  'subject', 'bodyPreview', 'importance', 'parentFolderId', 'conversationId', 'conversationIndex', 'isDeliveryReceiptRequested', 'isReadReceiptRequested',
  'isRead', 'isDraft', 'webLink', 'inferenceClassification', 'body', 'sender', 'from', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'flag',
];
const SELECT_ONLY = ['internetMessageHeaders', 'uniqueBody'];

export function idOf(m: OutlookMessage, prefer: Prefer) {
  return prefer.immutable ? m.immutableId : m.restId;
}

export function isoSeconds(ms: number) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `$select=a,b` → property names as Graph spells them (case-insensitive), unknown ones dropped. */
export function selectOf(value: string | null | undefined, known = [...DEFAULT_PROPERTIES, ...SELECT_ONLY]): string[] {
  const lower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return (value || '')
    .split(',')
    .map((s) => lower.get(s.trim().toLowerCase()))
    .filter((s): s is string => Boolean(s));
}

export function messageJson(mailbox: OutlookMailbox, m: OutlookMessage, prefer: Prefer, select: string[] = []): Record<string, unknown> {
  const wanted = select.length ? select : DEFAULT_PROPERTIES;
  const out: Record<string, unknown> = { '@odata.etag': `W/"${m.changeKey}"`, id: idOf(m, prefer) };
  for (const key of wanted) out[key] = property(mailbox, m, prefer, key);
  return out;
}

function property(mailbox: OutlookMailbox, m: OutlookMessage, prefer: Prefer, key: string): unknown {
  const s = mailbox.summaryOf(m);
  switch (key) {
    case 'createdDateTime':
      return isoSeconds(m.createdDateTime);
    case 'lastModifiedDateTime':
      return isoSeconds(m.lastModifiedDateTime);
    case 'changeKey':
      return m.changeKey;
    case 'categories':
      return [...m.categories];
    case 'receivedDateTime':
      return isoSeconds(m.receivedDateTime);
    case 'sentDateTime':
      return isoSeconds(s.date?.getTime() ?? m.receivedDateTime);
    case 'hasAttachments':
      return s.attachments.some((a) => !a.inline);
    case 'internetMessageId':
      return s.messageId ?? null;
    case 'subject':
      return s.subject;
    case 'bodyPreview':
      return preview(plainTextOf(s), 255);
    case 'importance':
      return importanceOf(headerOf(s.root, 'importance') || headerOf(s.root, 'x-priority') || '');
    case 'parentFolderId':
      return m.folderId;
    case 'conversationId':
      return m.conversationId;
    case 'conversationIndex':
      return crypto.createHash('sha1').update(m.conversationId).digest('base64').slice(0, 30);
    case 'isDeliveryReceiptRequested':
    case 'isReadReceiptRequested':
      return Boolean(headerOf(s.root, key === 'isReadReceiptRequested' ? 'disposition-notification-to' : 'return-receipt-to'));
    case 'isRead':
      return m.isRead;
    case 'isDraft':
      return m.isDraft;
    case 'webLink':
      return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.restId)}&exvsurl=1&viewmodel=ReadMessageItem`;
    case 'inferenceClassification':
      return 'focused';
    case 'body':
    case 'uniqueBody':
      return bodyOf(s.html, s.text, prefer.textBody);
    case 'sender':
      return recipient(s.sender ?? s.from);
    case 'from':
      return recipient(s.from);
    case 'toRecipients':
    case 'ccRecipients':
    case 'bccRecipients':
    case 'replyTo': {
      const list = { toRecipients: s.to, ccRecipients: s.cc, bccRecipients: s.bcc, replyTo: s.replyTo }[key];
      return list.map(recipient);
    }
    case 'flag':
      return { flagStatus: m.flagged ? 'flagged' : 'notFlagged' };
    case 'internetMessageHeaders':
      return s.root.headers.map((h) => ({ name: h.name, value: h.value }));
    default:
      return null;
  }
}

function bodyOf(html: string, text: string, wantText: boolean) {
  if (html && !wantText) return { contentType: 'html', content: html };
  if (html) return { contentType: 'text', content: htmlToText(html).trim() };
  return { contentType: 'text', content: text };
}

function recipient(address: MailAddress | undefined) {
  if (!address) return null;
  return { emailAddress: { name: address.name || address.address, address: address.address } };
}

function importanceOf(value: string) {
  const v = value.toLowerCase();
  if (v.startsWith('high') || /^[12]\b/.test(v)) return 'high';
  if (v.startsWith('low') || /^[45]\b/.test(v)) return 'low';
  return 'normal';
}

/**
 * Attachment ids stay the same while the attachment is on the message, as Exchange's do, even
 * when other attachments are added or removed: they are made of the message's id and what the
 * attachment is (name, type, size, content id, and which copy of identical files).
 */
export function attachmentId(m: OutlookMessage, list: MailAttachment[], index: number) {
  const key = (a: MailAttachment) => `${attachmentName(a)}\u0000${a.mimeType}\u0000${a.size}\u0000${a.contentId || ''}`;
  const own = key(list[index]);
  const copy = list.slice(0, index).filter((a) => key(a) === own).length;
  const digest = crypto.createHash('sha256').update(`${own}\u0000${copy}`).digest('base64url').slice(0, 24);
  return `${m.immutableId.slice(0, 60)}BEgAQA${digest}=`;
}

/** The index in `list` of the attachment with this id, or -1. */
export function attachmentIndex(m: OutlookMessage, list: MailAttachment[], id: string) {
  return list.findIndex((_, i) => attachmentId(m, list, i) === id);
}

export function attachmentName(a: MailAttachment) {
  if (a.filename) return a.filename;
  if (a.mimeType === 'message/rfc822') return decodeWords(/^subject:\s*(.*)$/im.exec(a.content().toString('latin1', 0, 8192))?.[1]?.trim() || '') || 'Untitled message';
  return 'Untitled attachment';
}

export function attachmentJson(m: OutlookMessage, list: MailAttachment[], index: number, select: string[] = []) {
  const a = list[index];
  const item = a.mimeType === 'message/rfc822';
  const full: Record<string, unknown> = {
    '@odata.type': item ? '#microsoft.graph.itemAttachment' : '#microsoft.graph.fileAttachment',
    ...(item ? {} : { '@odata.mediaContentType': a.mimeType }),
    id: attachmentId(m, list, index),
    lastModifiedDateTime: isoSeconds(m.lastModifiedDateTime),
    name: attachmentName(a),
    contentType: a.mimeType,
    size: a.size,
    isInline: a.inline,
    ...(item ? {} : { contentId: a.contentId ?? null, contentLocation: null, contentBytes: a.content().toString('base64') }),
  };
  if (!select.length) return full;
  const out: Record<string, unknown> = { '@odata.type': full['@odata.type'], id: full.id };
  for (const key of select) if (key in full) out[key] = full[key];
  return out;
}
