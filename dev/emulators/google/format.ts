/**
 * Gmail's message resource in its four formats. Reproduced on purpose, because the plugin must
 * survive them:
 * - `full`: text parts come back as UTF-8 while the part's Content-Type header still names the
 *   original charset; an attachment whose name was sent as RFC 2231 continuations
 *   (`filename*0*=…; filename*1*=…`) comes back with an empty `filename`; attachments carry an
 *   `attachmentId` that is different on every fetch (all of them keep working).
 * - `metadata`: headers only, no body or parts. `minimal`: no payload. `raw`: base64url bytes.
 * - the snippet is HTML-escaped (`&#39;`, `&quot;`), as Gmail's is.
 */
import { decodeBody, decodeWords, textOf, type MimePart } from '../shared/mime';
import { filenameOf, plainTextOf, preview } from '../shared/message-summary';
import { randomToken } from '../shared/random';
import type { GmailMailbox, GmailMessage } from './mailbox';

export type Format = 'full' | 'metadata' | 'minimal' | 'raw';

export const FORMATS: Format[] = ['full', 'metadata', 'minimal', 'raw'];

export function messageResource(mailbox: GmailMailbox, m: GmailMessage, format: Format, metadataHeaders: string[] = []) {
  const head = { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds], snippet: snippetOf(mailbox, m) };
  const tail = { historyId: String(m.historyId), internalDate: String(m.internalDate) };
  if (format === 'minimal') return { ...head, sizeEstimate: m.raw.length, ...tail };
  if (format === 'raw') return { ...head, sizeEstimate: m.raw.length, raw: padded(m.raw), ...tail };
  const root = mailbox.summaryOf(m).root;
  if (format === 'metadata') {
    const wanted = new Set(metadataHeaders.map((h) => h.toLowerCase()));
    const headers = headersOf(root).filter((h) => !wanted.size || wanted.has(h.name.toLowerCase()));
    return { ...head, payload: { partId: '', mimeType: root.type, filename: '', headers }, sizeEstimate: m.raw.length, ...tail };
  }
  return { ...head, payload: partResource(mailbox, m, root, ''), sizeEstimate: m.raw.length, ...tail };
}

function partResource(mailbox: GmailMailbox, m: GmailMessage, part: MimePart, partId: string): Record<string, unknown> {
  const base = { partId, mimeType: part.type, filename: gmailFilename(part), headers: headersOf(part) };
  if (part.parts.length) {
    const parts = part.parts.map((child, i) => partResource(mailbox, m, child, partId === '' ? String(i) : `${partId}.${i}`));
    return { ...base, body: { size: 0 }, parts };
  }
  const attachment = filenameOf(part) !== '' || part.disposition === 'attachment' || !part.type.startsWith('text/');
  if (attachment) {
    const attachmentId = `ANGjdJ${randomToken(mailbox.random, 150)}`;
    mailbox.attachmentIds.set(attachmentId, { messageId: m.id, partId });
    return { ...base, body: { attachmentId, size: decodeBody(part).length } };
  }
  // Re-encoded as UTF-8; the Content-Type header above keeps the charset the sender named.
  const text = Buffer.from(textOf(part), 'utf8');
  return { ...base, body: { size: text.length, ...(text.length ? { data: padded(text) } : {}) } };
}

/** Gmail drops names sent as RFC 2231 continuations (seen with long non-ASCII names). */
function gmailFilename(part: MimePart) {
  if (part.continued.has('filename')) return '';
  return filenameOf(part);
}

function headersOf(part: MimePart) {
  return part.headers.map((h) => ({ name: h.name, value: decodeWords(h.value) }));
}

/** Finds the part an attachment id (any issued one) points at. */
export function attachmentPart(mailbox: GmailMailbox, m: GmailMessage, attachmentId: string): MimePart | undefined {
  const target = mailbox.attachmentIds.get(attachmentId);
  if (!target || target.messageId !== m.id) return undefined;
  let part: MimePart | undefined = mailbox.summaryOf(m).root;
  for (const index of target.partId === '' ? [] : target.partId.split('.')) part = part?.parts[Number(index)];
  return part;
}

export function snippetOf(mailbox: GmailMailbox, m: GmailMessage) {
  const text = preview(plainTextOf(mailbox.summaryOf(m)), 200);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** base64url with '=' padding, as Gmail writes `raw` and `body.data`. */
export function padded(bytes: Buffer) {
  const text = bytes.toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
}

/** base64url without padding, as Gmail answers attachments.get. */
export function unpadded(bytes: Buffer) {
  return bytes.toString('base64url');
}

/** Gmail accepts `raw` as base64url or base64, padded or not. */
export function decodeRaw(raw: unknown): Buffer | undefined {
  if (typeof raw !== 'string' || !raw) return undefined;
  return Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}
