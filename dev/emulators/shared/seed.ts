/**
 * Filling a mailbox before (or while) the app syncs it: raw .eml bytes or files, with where each
 * message lives and its flags. Both providers take the same input; `box` is the provider-neutral
 * place (Gmail labels / Graph folder) the generator uses.
 */
import fs from 'node:fs';

/** A value for every message, one per message (array), or computed from the message's index. */
export type PerMessage<T> = T | T[] | ((index: number) => T);

/** Where a message lives, in words both providers understand. */
export type Box = 'inbox' | 'sent' | 'archive' | 'spam' | 'trash' | 'drafts';

export interface SeedInput {
  /** Raw RFC 5322 messages, or paths of .eml files; stored byte for byte. */
  eml: (Buffer | string)[];
  /** Gmail label ids (default INBOX + UNREAD unless `read`); an array of arrays gives one list per message. */
  labelIds?: string[] | string[][] | ((index: number) => string[]);
  /** Graph folder: well-known name, display name or id (default 'inbox'). */
  folder?: PerMessage<string>;
  /** Default false. */
  read?: PerMessage<boolean>;
  /** Gmail STARRED / Graph flagged. Default false. */
  starred?: PerMessage<boolean>;
  /** Arrival time (Gmail internalDate, Graph receivedDateTime); default the Date header, else now. */
  dates?: PerMessage<Date | undefined>;
}

export interface SeedMessage {
  raw: Buffer;
  labelIds?: string[];
  folder?: string;
  box?: Box;
  read?: boolean;
  starred?: boolean;
  date?: Date;
}

export function seedMessages(input: SeedInput): SeedMessage[] {
  return input.eml.map((eml, i) => ({
    raw: typeof eml === 'string' ? fs.readFileSync(eml) : Buffer.from(eml),
    labelIds: labelsAt(input.labelIds, i),
    folder: valueAt(input.folder, i),
    read: valueAt(input.read, i),
    starred: valueAt(input.starred, i),
    date: valueAt(input.dates, i),
  }));
}

function valueAt<T>(value: PerMessage<T> | undefined, index: number): T | undefined {
  if (typeof value === 'function') return (value as (index: number) => T)(index);
  if (Array.isArray(value)) return value[index];
  return value;
}

function labelsAt(value: SeedInput['labelIds'], index: number): string[] | undefined {
  if (typeof value === 'function') return value(index);
  if (value && Array.isArray(value[0])) return (value as string[][])[index];
  return value as string[] | undefined;
}
