/**
 * What both providers show of a stored message: its identity and threading headers, addresses,
 * the text and HTML bodies and the attachments. The header-only part (`headerInfo`) is cheap and
 * used when a message is stored (threading, dates); the full summary is computed on first use.
 */
import { decodeBody, decodeWords, headerOf, leaves, parseAddresses, parseHeaders, parseMime, textOf, type MailAddress, type MimePart } from './mime';
import { htmlToPlainText } from '../../../src/server/mime/html-text';

export interface HeaderInfo {
  /** `<id@host>` as written, or undefined. */
  messageId?: string;
  inReplyTo?: string;
  /** Message-IDs this message refers to (References, then In-Reply-To). */
  references: string[];
  subject: string;
  /** The Date header, when it parses. */
  date?: Date;
}

export interface MailAttachment {
  part: MimePart;
  /** Gmail-style part id ('1', '1.2'). */
  partId: string;
  /** Decoded filename; '' when the part names none. */
  filename: string;
  mimeType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Content-ID without angle brackets. */
  contentId?: string;
  /** Shown inside the HTML (a cid: image) rather than in the attachment list. */
  inline: boolean;
  content(): Buffer;
}

export interface MailSummary extends HeaderInfo {
  root: MimePart;
  from?: MailAddress;
  sender?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  text: string;
  html: string;
  attachments: MailAttachment[];
}

/** Threading and date headers only: reads the header block, not the body. */
export function headerInfo(raw: Buffer): HeaderInfo {
  const end = headerBlockEnd(raw);
  const holder = { headers: parseHeaders(raw.subarray(0, end)) };
  return infoOf(holder);
}

function headerBlockEnd(raw: Buffer) {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : raw.length;
}

function infoOf(part: Pick<MimePart, 'headers'>): HeaderInfo {
  const ids = (value: string | undefined) => (value || '').match(/<[^<>\s]+>/g) || [];
  const messageId = ids(headerOf(part, 'message-id'))[0];
  const inReplyTo = ids(headerOf(part, 'in-reply-to'))[0];
  const references = [...ids(headerOf(part, 'references')), ...(inReplyTo ? [inReplyTo] : [])];
  const dateText = headerOf(part, 'date');
  const date = dateText ? new Date(dateText.replace(/\s*\([^)]*\)\s*$/, '')) : undefined;
  return {
    messageId,
    inReplyTo,
    references,
    subject: decodeWords(headerOf(part, 'subject') || '').replace(/\s+/g, ' ').trim(),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
  };
}

export function summarize(raw: Buffer): MailSummary {
  const root = parseMime(raw);
  const info = infoOf(root);
  const first = (name: string) => parseAddresses(headerOf(root, name))[0];
  const summary: MailSummary = {
    ...info,
    root,
    from: first('from'),
    sender: first('sender'),
    to: parseAddresses(headerOf(root, 'to')),
    cc: parseAddresses(headerOf(root, 'cc')),
    bcc: parseAddresses(headerOf(root, 'bcc')),
    replyTo: parseAddresses(headerOf(root, 'reply-to')),
    text: '',
    html: '',
    attachments: [],
  };
  let haveText = false;
  let haveHtml = false;
  for (const { part, partId, parent } of leaves(root)) {
    const filename = filenameOf(part);
    const isBody = (part.type === 'text/plain' || part.type === 'text/html') && part.disposition !== 'attachment' && !filename;
    if (isBody && part.type === 'text/plain' && !haveText) {
      summary.text = textOf(part);
      haveText = true;
    } else if (isBody && part.type === 'text/html' && !haveHtml) {
      summary.html = textOf(part);
      haveHtml = true;
    } else if (!isBody && (filename || !part.type.startsWith('text/') || part.disposition === 'attachment')) {
      const contentId = /<?([^<>\s]+)>?/.exec(headerOf(part, 'content-id') || '')?.[1];
      const inline = Boolean(contentId) && (part.disposition === 'inline' || (part.disposition === '' && parent?.type === 'multipart/related'));
      let decoded: Buffer | undefined;
      const content = () => (decoded ??= decodeBody(part));
      summary.attachments.push({ part, partId, filename, mimeType: part.type, size: content().length, contentId, inline, content });
    }
  }
  return summary;
}

/** The part's file name: Content-Disposition filename, else Content-Type name. */
export function filenameOf(part: MimePart) {
  return (part.dispositionParams.filename || part.params.name || '').trim();
}

/** The text a reader sees first: the plain body, else the HTML without tags. */
export function plainTextOf(summary: Pick<MailSummary, 'text' | 'html'>) {
  if (summary.text.trim()) return summary.text;
  return htmlToText(summary.html);
}

/**
 * The HTML's text, in one linear pass (the product's HTML walker): mail is hostile input for the
 * emulators too, and a tag regex here would stall every test that imports such a mail.
 */
export function htmlToText(html: string) {
  // Previews and the emulators' search read the start of a body; a 5 MB one would hold the
  // event loop the benches measure (the emulators run in the same process).
  return htmlToPlainText(html.slice(0, EMULATOR_HTML_TEXT_MAX_CHARS));
}

const EMULATOR_HTML_TEXT_MAX_CHARS = 200_000;

/** Whitespace collapsed and cut to `length` characters. */
export function preview(text: string, length: number) {
  // Only the start can reach the preview (white space folds to one character at most each).
  return text.slice(0, length * 64).replace(/\s+/g, ' ').trim().slice(0, length);
}
