/**
 * Recipients as tokens (S-SEND-3): what the user types or pastes is split at commas, semicolons
 * and newlines (but not inside a quoted name or <…>), each piece read as "Name <address>" or a
 * bare address, checked, and merged ignoring case. Pure, so it is unit-tested; the server
 * checks everything again (src/server/send/addresses.ts), this only gives early feedback.
 */
import type { Address } from '../../shared/mail-center-api';

/** The longest address SMTP carries (RFC 5321). */
const MAX_ADDRESS_LENGTH = 254;
/** The same rule as the server's isEmail: what the providers accept and people type. */
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/;

export function isEmail(value: string): boolean {
  return value.length <= MAX_ADDRESS_LENGTH && EMAIL.test(value) && !value.startsWith('.') && !value.includes('..') && !/\.@/.test(value);
}

/** One token of a recipient field; `valid` false keeps what the user wrote so it can be fixed. */
export interface Recipient extends Address {
  valid: boolean;
}

/** Splits a pasted list at , ; and newlines outside "quotes" and <angle brackets>. */
export function splitRecipientText(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const ch of text) {
    if (ch === '"' && !angle) quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if (!quoted && !angle && (ch === ',' || ch === ';' || ch === '\n' || ch === '\r')) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * "Name <address>" split by index: the address is between the last `<` and a final `>`, with no
 * `>` inside. (As a regex, `<\s*([^<>]*?)\s*>` is cubic on a long run of spaces after `<`.)
 */
function angledParts(text: string): [string, string, string] | null {
  if (!text.endsWith('>')) return null;
  const open = text.lastIndexOf('<');
  if (open < 0 || text.indexOf('>', open) !== text.length - 1) return null;
  return [text, text.slice(0, open), text.slice(open + 1, -1).trim()];
}

/** "Ann Lee <ann@x.com>", "<ann@x.com>", "ann@x.com" or "mailto:ann@x.com" as one recipient. */
export function parseRecipient(token: string): Recipient {
  const text = token.trim();
  const angled = angledParts(text);
  const name = angled ? angled[1].trim().replace(/^"(.*)"$/, '$1').replace(/\\"/g, '"').trim() : '';
  const address = (angled ? angled[2] : text).replace(/^mailto:/i, '').trim();
  const valid = isEmail(address);
  return name && name.toLowerCase() !== address.toLowerCase() ? { name, address, valid } : { address, valid };
}

/** Tokens and pasted text in, recipients out: split, read, duplicates (any case) merged, first one kept. */
export function normalizeRecipients(items: (string | Address)[]): Recipient[] {
  const out: Recipient[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const pieces = typeof item === 'string' ? splitRecipientText(item).map(parseRecipient) : [toRecipient(item)];
    for (const r of pieces) {
      const key = r.address.toLowerCase();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

export function toRecipient(a: Address): Recipient {
  const address = a.address.trim();
  return a.name?.trim() ? { name: a.name.trim(), address, valid: isEmail(address) } : { address, valid: isEmail(address) };
}

/** How a token is written in the field and sent to the server. */
export function recipientText(r: Address): string {
  if (!r.name) return r.address;
  // A name with a comma or quote must be quoted, or the server would split it.
  const name = /[",;<>@]/.test(r.name) ? `"${r.name.replace(/"/g, '\\"')}"` : r.name;
  return `${name} <${r.address}>`;
}

/** The first invalid token over several fields, for the message "… is not a email format". */
export function firstInvalid(...lists: Recipient[][]): Recipient | undefined {
  for (const list of lists) {
    const bad = list.find((r) => !r.valid);
    if (bad) return bad;
  }
  return undefined;
}

/** Recipients as the send API takes them. */
export function toAddresses(list: Recipient[]): Address[] {
  return list.map((r) => (r.name ? { name: r.name, address: r.address } : { address: r.address }));
}

/** The same set of addresses, ignoring case and order (for "did the recipients change"). */
export function sameAddressSet(a: Address[], b: Address[]): boolean {
  const set = (list: Address[]) => [...new Set(list.map((x) => x.address.toLowerCase()))].sort().join('\n');
  return set(a) === set(b);
}
