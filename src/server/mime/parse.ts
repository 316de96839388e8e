import type { Address, Attachment, Email, PostalMimeOptions } from 'postal-mime';
import { htmlToPlainText } from './html-text';

/** One mailbox as stored: lower-cased address, decoded display name. */
export interface MailAddress {
  address: string;
  name?: string;
}

/** Who a mail is from and to, and what it says: what every outgoing form of a mail carries. */
export interface AddressedMail {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  html: string;
}

/** The AddressedMail fields of a larger object (a copy, without its other fields). */
export const addressedMail = ({ from, to, cc, bcc, subject, html }: AddressedMail): AddressedMail => ({ from, to, cc, bcc, subject, html });

export interface ParsedAttachment {
  filename: string;
  mimeType: string;
  size: number;
  /** Content-ID without angle brackets, when the part has one. */
  contentId?: string;
  /** Shown inside the HTML body (a `cid:` image) rather than in the attachment list. */
  inline: boolean;
  content: Uint8Array;
}

/** What the sync stores of a message's MIME (S-SYNC-5), independent of the provider. */
export interface ParsedMessage {
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  subject: string;
  date: Date | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  deliveredTo: string | null;
  text: string;
  html: string;
  snippet: string;
  attachments: ParsedAttachment[];
  /** Set when the MIME could not be parsed; the message is still stored, with what was readable. */
  parseError?: string;
}

/** Long enough for a list row, short enough to keep rows small. */
export const SNIPPET_LENGTH = 200;
/**
 * HTML read for a snippet. The visible text of a mail starts after its <head> and leading
 * <style> blocks, which in newsletters run to 30–60 KB; 100 KB covers them, and nothing past it
 * can reach the first 200 characters of text. A 5 MB HTML-only mail then costs a 100 KB walk.
 */
export const SNIPPET_HTML_MAX_CHARS = 100_000;
/** Text taken from the HTML for a snippet: room for SNIPPET_LENGTH after white space folds. */
const SNIPPET_TEXT_MAX_CHARS = SNIPPET_LENGTH * 4;
/**
 * postal-mime keeps each line of a part as a chunk and joins them through a Blob, which costs
 * Node 5–10 µs per line: linear, but a 5 MB mail of empty lines (5 million of them) would take
 * most of a minute. Real mail has long lines (base64 76 bytes, text about 70): a 25 MB attachment
 * is 340,000 lines of 78 bytes. A message with more than MAX_SHORT_LINES lines that average under
 * SHORT_LINE_BYTES is written by no person or mail program; it keeps its headers and a note.
 */
export const MAX_SHORT_LINES = 100_000;
const SHORT_LINE_BYTES = 32;

/** Counts line ends only as far as the verdict needs: at most about 160,000 for 5 MB. */
function tooManyShortLines(raw: Buffer | Uint8Array | string): boolean {
  const limit = Math.max(MAX_SHORT_LINES, Math.floor(raw.length / SHORT_LINE_BYTES));
  const bytes = typeof raw === 'string' ? null : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let lines = 0;
  for (let at = 0; lines <= limit; lines++) {
    const next = bytes ? bytes.indexOf(10, at) : (raw as string).indexOf('\n', at);
    if (next < 0) return false;
    at = next + 1;
  }
  return true;
}

/** A message nested deeper than this is pathological; postal-mime rejects it rather than recursing. */
const MAX_NESTING_DEPTH = 64;

// postal-mime ships an ESM and a CJS build; the server is CommonJS and takes the CJS one, whose
// export is the class itself (its typings differ by resolution mode, hence the explicit shape).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PostalMime: { parse(raw: Buffer | Uint8Array | string, options?: PostalMimeOptions): Promise<Email> } = require('postal-mime');

/**
 * Parses raw RFC 5322 bytes. Never throws: a message the parser refuses keeps its headers (read
 * leniently) and an explanation, so malformed mail is listed and readable rather than lost.
 */
export async function parseMime(raw: Buffer | Uint8Array | string): Promise<ParsedMessage> {
  if (tooManyShortLines(raw)) {
    return fromHeadersOnly(raw, `it has more than ${MAX_SHORT_LINES.toLocaleString('en-US')} lines, nearly all of them empty or short; the whole message stays at the provider`);
  }
  try {
    const email = await PostalMime.parse(raw, { maxNestingDepth: MAX_NESTING_DEPTH, attachmentEncoding: 'arraybuffer' });
    return fromEmail(email);
  } catch (error) {
    return fromHeadersOnly(raw, error instanceof Error ? error.message : String(error));
  }
}

function fromEmail(email: Email): ParsedMessage {
  const text = email.text || '';
  const html = email.html || '';
  return {
    messageId: cleanId(email.messageId),
    inReplyTo: cleanId(email.inReplyTo),
    references: email.references?.trim() || null,
    subject: (email.subject || '').trim(),
    date: parseDate(email.date),
    from: email.from ? flatten([email.from])[0] || null : null,
    to: flatten(email.to),
    cc: flatten(email.cc),
    bcc: flatten(email.bcc),
    replyTo: flatten(email.replyTo),
    deliveredTo: email.deliveredTo?.toLowerCase() || null,
    text,
    html,
    snippet: makeSnippet(text || htmlSnippetText(html)),
    attachments: email.attachments.map(toAttachment),
  };
}

function toAttachment(part: Attachment): ParsedAttachment {
  const content = part.content instanceof Uint8Array ? part.content : new Uint8Array(part.content as ArrayBuffer);
  const contentId = part.contentId ? part.contentId.replace(/^<|>$/g, '').trim() || undefined : undefined;
  return {
    filename: part.filename || defaultName(part.mimeType),
    mimeType: part.mimeType || 'application/octet-stream',
    size: content.byteLength,
    contentId,
    inline: Boolean(part.related) || (part.disposition === 'inline' && Boolean(contentId)),
    content,
  };
}

/** A domain is a dot-atom or a [literal] (RFC 5322 3.4.1); specials or space in it mean header debris, not a mailbox. */
function brokenDomain(address: string) {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1);
  return at >= 0 && !/^\[[^\]]*\]$/.test(domain) && /[\s()<>[\]:;,\\"]/.test(domain);
}

/**
 * Address groups are unwrapped; entries without an address (bare group names) are dropped, and so
 * are "addresses" whose domain cannot be one (`<Undisclosed-Recipient:@host;>`): nobody to reply to.
 */
export function flatten(list: Address[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list || []) {
    const members = entry.group ? entry.group : [entry];
    for (const member of members) {
      const address = (member.address || '').trim().toLowerCase();
      if (!address || brokenDomain(address)) continue;
      out.push(member.name ? { address, name: member.name } : { address });
    }
  }
  return out;
}

export function makeSnippet(text: string) {
  // Only the start can reach the snippet; the same bound as for HTML keeps a 5 MB body cheap.
  return text.slice(0, SNIPPET_HTML_MAX_CHARS).replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH);
}

/** The start of an HTML body's text, for a snippet (the reader renders the real HTML). */
export function htmlSnippetText(html: string) {
  return htmlToPlainText(html.slice(0, SNIPPET_HTML_MAX_CHARS), { maxOutputChars: SNIPPET_TEXT_MAX_CHARS });
}

function cleanId(value: string | undefined) {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function parseDate(value: string | undefined) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function defaultName(mimeType: string) {
  const subtype = (mimeType || '').split('/')[1]?.replace(/[^a-z0-9.+-]/gi, '') || 'bin';
  return `attachment.${subtype === 'rfc822' ? 'eml' : subtype}`;
}

/** The fallback: unfolded top-level headers only, decoded as latin1 so no byte is rejected. */
function fromHeadersOnly(raw: Buffer | Uint8Array | string, reason: string): ParsedMessage {
  const source = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const head = source.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() || '';
  const addresses = (name: string) =>
    // Tokens between separators with an inner `@` (a `[^…]+@[^…]+` regex retries from every
    // character of a long token without one: quadratic on a 1 MB header).
    header(name)
      .split(/[\s<>,;"]+/)
      .filter((token) => token.slice(1, -1).includes('@'))
      .map((address) => ({ address: address.toLowerCase() }));
  const text = `This message could not be read completely (${reason}).`;
  return {
    messageId: header('Message-ID') || null,
    inReplyTo: header('In-Reply-To') || null,
    references: header('References') || null,
    subject: header('Subject'),
    date: parseDate(header('Date') || undefined),
    from: addresses('From')[0] || null,
    to: addresses('To'),
    cc: addresses('Cc'),
    bcc: addresses('Bcc'),
    replyTo: addresses('Reply-To'),
    deliveredTo: header('Delivered-To').toLowerCase() || null,
    text,
    html: '',
    snippet: makeSnippet(text),
    attachments: [],
    parseError: reason,
  };
}
