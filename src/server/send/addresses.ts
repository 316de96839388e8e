/**
 * Recipients as the user gives them (S-SEND-3): tokens, or pasted lists split at commas,
 * semicolons and newlines, each "Name <address>" or a bare address; every address validated;
 * duplicates merged ignoring case.
 */
import addressparser from 'nodemailer/lib/addressparser';
import type { MailAddress } from '../mime/parse';

/** The longest address SMTP carries (RFC 5321: 254 characters in a path). */
export const MAX_ADDRESS_LENGTH = 254;

/**
 * A mailbox a provider will take: a local part, "@", and a domain of dot-separated labels
 * ending in a label of two or more letters. Quoted local parts and IP literals are refused:
 * they are valid, but no one types them and the providers reject most of them.
 */
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/;

export function isEmail(value: string) {
  return value.length <= MAX_ADDRESS_LENGTH && EMAIL.test(value) && !value.startsWith('.') && !value.includes('..') && !/\.@/.test(value);
}

export interface ParsedRecipients {
  addresses: MailAddress[];
  /** What could not be read as an address, as the user wrote it. */
  invalid: string[];
}

/**
 * Reads one recipient field: a string (a pasted list), or an array of strings and
 * `{ address, name }` objects. Addresses come back lower-cased, as the plugin stores them.
 */
export function parseRecipients(input: unknown): ParsedRecipients {
  const out: ParsedRecipients = { addresses: [], invalid: [] };
  const items = input == null || input === '' ? [] : Array.isArray(input) ? input : [input];
  for (const item of items) {
    if (item && typeof item === 'object') {
      const { address, name } = item as { address?: unknown; name?: unknown };
      add(out, String(address ?? '').trim(), typeof name === 'string' ? name : '');
      continue;
    }
    // Semicolons and newlines first: addressparser reads ";" as the end of a group.
    for (const chunk of String(item ?? '').split(/[;\r\n]+/)) {
      if (!chunk.trim()) continue;
      for (const entry of addressparser(chunk, { flatten: true })) {
        if (!entry.address && !entry.name) continue;
        // A bare word without "@" comes back as a name: it is what the user typed, and invalid.
        add(out, (entry.address || entry.name).trim(), entry.address ? entry.name : '');
      }
    }
  }
  return out;
}

function add(out: ParsedRecipients, address: string, name: string) {
  if (!address) return;
  if (!isEmail(address)) {
    out.invalid.push(address);
    return;
  }
  const clean = name.replace(/[\r\n]+/g, ' ').trim();
  const lower = address.toLowerCase();
  out.addresses.push(clean && clean.toLowerCase() !== lower ? { address: lower, name: clean } : { address: lower });
}

/**
 * Drops repeated addresses, ignoring case, across the lists in order (To, then Cc, then Bcc):
 * an address keeps its first place. `exclude` removes addresses outright (the user's own).
 */
export function dedupeLists(lists: MailAddress[][], exclude: Set<string> = new Set()): MailAddress[][] {
  const seen = new Set(exclude);
  return lists.map((list) =>
    list.filter((a) => {
      const key = a.address.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

/** "Name <address>" for headers and quotes; the bare address without a name. */
export function formatAddress(a: MailAddress) {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}
