/**
 * How a reply, reply-all or forward starts (S-SEND-6, S-SEND-7, S-SEND-8): recipients, subject,
 * sender identity, threading headers and the quoted original. Pure functions of the stored
 * original and the account's own addresses, so the rules are tested on their own.
 */
import type { MailAddress } from '../mime/parse';
import { dedupeLists, formatAddress } from './addresses';
import { escapeHtml, safeQuotedHtmlOffThread } from './quote-html';

export type ReplyMode = 'reply' | 'replyAll' | 'forward';
export const REPLY_MODES: readonly ReplyMode[] = ['reply', 'replyAll', 'forward'];

/** What the rules read of the original mail (a mailMessages row). */
export interface OriginalMail {
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  deliveredTo: string | null;
  subject: string;
  /** Its Message-ID, with angle brackets. */
  messageId: string | null;
  /** Its References header: Message-IDs separated by white space. */
  references: string | null;
  date: Date | null;
  html: string;
  text: string;
  /** In the user's Sent box. */
  sent: boolean;
}

/** The account's primary address and its verified aliases (Gmail send-as), lower-cased. */
export interface OwnAddresses {
  primary: string;
  aliases: string[];
}

export function ownAddressSet(own: OwnAddresses) {
  return new Set([own.primary, ...own.aliases].map((a) => a.toLowerCase()));
}

/** The user wrote the original: a reply then goes to the original's recipients. */
function isOwnMail(original: OriginalMail, own: Set<string>) {
  return original.sent || Boolean(original.from && own.has(original.from.address.toLowerCase()));
}

/**
 * S-SEND-6. Reply: Reply-To, else From; the user's own sent mail: its To. Reply all adds the
 * original To (to To) and Cc (to Cc). The user's own addresses and aliases are removed and
 * duplicates dropped, ignoring case. A note to self, where nobody else is left, goes back to
 * the user rather than to nobody. Forward starts empty (S-SEND-7).
 */
export function replyRecipients(original: OriginalMail, own: OwnAddresses, mode: ReplyMode): { to: MailAddress[]; cc: MailAddress[] } {
  if (mode === 'forward') return { to: [], cc: [] };
  const mine = ownAddressSet(own);
  const ownMail = isOwnMail(original, mine);
  const sender = original.replyTo.length ? original.replyTo : original.from ? [original.from] : [];
  const primary = ownMail ? original.to : sender;
  const to = mode === 'replyAll' && !ownMail ? [...primary, ...original.to] : primary;
  const cc = mode === 'replyAll' ? original.cc : [];
  const [keptTo, keptCc] = dedupeLists([to, cc], mine);
  if (!keptTo.length && !keptCc.length && primary.length) return { to: dedupeLists([primary.slice(0, 1)])[0], cc: [] };
  return { to: keptTo, cc: keptCc };
}

const REPLY_PREFIX = /^\s*re\s*:/i;
const FORWARD_PREFIX = /^\s*(fwd?|fw)\s*:/i;

/** "Re: " unless the subject already starts with it in any case; "Fwd: " likewise for a forward. */
export function replySubject(subject: string, mode: ReplyMode) {
  const text = (subject || '').trim();
  if (mode === 'forward') return FORWARD_PREFIX.test(text) ? text : `Fwd: ${text}`.trim();
  return REPLY_PREFIX.test(text) ? text : `Re: ${text}`.trim();
}

/**
 * S-SEND-8: the user's own address or alias that received the original, found first in To,
 * then Cc, then Delivered-To; the sender of the user's own mail; else the primary address.
 */
export function replyIdentity(original: OriginalMail, own: OwnAddresses): string {
  const mine = ownAddressSet(own);
  const candidates = [
    ...(original.from && isOwnMail(original, mine) ? [original.from.address] : []),
    ...original.to.map((a) => a.address),
    ...original.cc.map((a) => a.address),
    ...(original.deliveredTo ? [original.deliveredTo] : []),
  ];
  return candidates.map((a) => a.toLowerCase()).find((a) => mine.has(a)) ?? own.primary.toLowerCase();
}

/** In-Reply-To is the original's Message-ID; References its References plus that id. */
export function threadingHeaders(original: Pick<OriginalMail, 'messageId' | 'references'>) {
  const id = original.messageId?.trim() || null;
  const ids = (original.references || '').match(/<[^<>\s]+>/g) || [];
  const references = [...new Set([...ids, ...(id ? [id] : [])])];
  return { inReplyTo: id, references: references.length ? references.join(' ') : null };
}

export interface QuoteOptions {
  /** IANA time zone of the reader, for the date line (default UTC). */
  timeZone?: string;
}

/**
 * The original below the new text: "On <date>, <from> wrote:" and a blockquote for a reply;
 * the usual forwarded-message header for a forward. The original HTML is reduced to safe markup.
 */
export async function quoteOriginal(original: OriginalMail, mode: ReplyMode, options: QuoteOptions = {}) {
  const body = await safeQuotedHtmlOffThread(original.html, original.text);
  const date = original.date ? formatDate(original.date, options.timeZone) : '';
  const from = original.from ? escapeHtml(formatAddress(original.from)) : '';
  if (mode === 'forward') {
    const lines = [
      '---------- Forwarded message ---------',
      from && `From: ${from}`,
      date && `Date: ${escapeHtml(date)}`,
      `Subject: ${escapeHtml(original.subject || '')}`,
      original.to.length ? `To: ${escapeHtml(original.to.map(formatAddress).join(', '))}` : '',
      original.cc.length ? `Cc: ${escapeHtml(original.cc.map(formatAddress).join(', '))}` : '',
    ].filter(Boolean);
    return `<div class="email-manager-quote email-manager-forward"><div>${lines.join('<br>')}</div><br>${body}</div>`;
  }
  const said = [date && `On ${escapeHtml(date)}`, from].filter(Boolean).join(', ');
  return (
    `<div class="email-manager-quote"><div>${said || 'The original message'} wrote:</div>` +
    `<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">${body}</blockquote></div>`
  );
}

export function formatDate(date: Date, timeZone = 'UTC') {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short', timeZone };
  try {
    return new Intl.DateTimeFormat('en-US', options).format(date);
  } catch {
    // An unknown time zone from the client: UTC rather than no date.
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' }).format(date);
  }
}
