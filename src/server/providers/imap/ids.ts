/**
 * Message identity on IMAP. A message is addressed by its folder, the folder's UIDVALIDITY and its
 * UID (RFC 3501 §2.3.1.1): the three together never name another message. The id is
 *
 *   <uidValidity>:<uid>:<folder path>
 *
 * with the path last and taken verbatim, so no character of a folder name (':', '/', spaces,
 * non-ASCII) needs escaping: the two numbers end at the first two colons. A move to another
 * folder gives the message a new id (modify.ts reports it where the server tells, UIDPLUS).
 *
 * Long paths: every column that holds an id (mailMessages.providerMessageId and providerDraftId,
 * the send requests' and bulk recipients' providerMessageId) is a VARCHAR(255) on PostgreSQL and
 * MariaDB (SQLite does not check), and IMAP paths can be far longer (Dovecot: 16 levels of 255
 * bytes). An id that would not fit names its folder by a token instead,
 *
 *   <uidValidity>:<uid>#<first 32 hex digits of the SHA-256 of the path>
 *
 * which the session resolves from a LIST (FolderIndex); shorter ids stay as they were. Widening
 * the columns instead would not do: the unique (accountId, providerMessageId) index caps a
 * MariaDB utf8mb4 key at 3072 bytes (about 760 characters, still short of what IMAP allows), and
 * a TEXT column cannot be in it whole.
 *
 * Threads: IMAP has no conversation id (THREADID is an extension few servers have), so the id
 * is derived from the headers: the root of the References chain, else In-Reply-To, else the
 * message's own Message-ID. A reply and its original then share the root's id.
 */
import { createHash } from 'node:crypto';

export interface ImapMessageRef {
  folder: string;
  uidValidity: number;
  uid: number;
}

const ID_PATTERN = /^(\d{1,10}):(\d{1,10}):([\s\S]+)$/;
const TOKEN_ID_PATTERN = /^(\d{1,10}):(\d{1,10})#([0-9a-f]{32})$/;
/** Longest id every database column holding one takes (characters; a JS length never undercounts them). */
export const MAX_MESSAGE_ID_LENGTH = 255;
/** Hex digits of the SHA-256 of a path in a token: 128 bits, no collision among a mailbox's folders. */
const FOLDER_TOKEN_HEX = 32;
/** Hex digits of the SHA-1 kept for a thread id: 64 bits, no collision in any one mailbox. */
const THREAD_ID_HEX = 16;

/** What names a long path in an id. */
export const folderToken = (path: string) => createHash('sha256').update(path).digest('hex').slice(0, FOLDER_TOKEN_HEX);

export function encodeMessageId(ref: ImapMessageRef): string {
  const id = `${ref.uidValidity}:${ref.uid}:${ref.folder}`;
  return id.length <= MAX_MESSAGE_ID_LENGTH ? id : `${ref.uidValidity}:${ref.uid}#${folderToken(ref.folder)}`;
}

/** An id as written: its folder by path, or by token (`folder` null until resolved). */
export interface ParsedMessageId {
  uidValidity: number;
  uid: number;
  folder: string | null;
  token: string | null;
}

/** Null for an id that is not ours (another provider's, or damaged). */
export function parseMessageId(id: string): ParsedMessageId | null {
  const byPath = ID_PATTERN.exec(id);
  const byToken = byPath ? null : TOKEN_ID_PATTERN.exec(id);
  const match = byPath || byToken;
  if (!match) return null;
  const uidValidity = Number(match[1]);
  const uid = Number(match[2]);
  if (!uid || uid > 0xffffffff || uidValidity > 0xffffffff) return null;
  return { uidValidity, uid, folder: byPath ? match[3] : null, token: byToken ? match[3] : null };
}

/** Folder token → path, for a mailbox's folders (from a LIST, or a cursor's folder marks). */
export type FolderIndex = ReadonlyMap<string, string>;

export const folderIndex = (paths: Iterable<string>): FolderIndex => new Map([...paths].map((path) => [folderToken(path), path]));

/** Whether an id names its folder by token, so a FolderIndex is needed to read it. */
export const needsFolderIndex = (ids: string[]) => ids.some((id) => parseMessageId(id)?.token);

/**
 * The message an id names; null for an id that is not ours (another provider's, or damaged) or
 * whose folder token `folders` does not resolve (a folder gone or renamed): callers treat it as missing.
 */
export function decodeMessageId(id: string, folders?: FolderIndex): ImapMessageRef | null {
  const parsed = parseMessageId(id);
  const folder = parsed && (parsed.folder ?? folders?.get(parsed.token!));
  return parsed && folder ? { uidValidity: parsed.uidValidity, uid: parsed.uid, folder } : null;
}

/** Ids grouped by folder (one SELECT each), with the ids that cannot be ours (or resolved by `index`) set apart. */
export function groupByFolder(ids: string[], index?: FolderIndex) {
  const folders = new Map<string, { uidValidity: number; uids: Map<number, string> }[]>();
  const invalid: string[] = [];
  for (const id of ids) {
    const ref = decodeMessageId(id, index);
    if (!ref) {
      invalid.push(id);
      continue;
    }
    const groups = folders.get(ref.folder) || [];
    let group = groups.find((g) => g.uidValidity === ref.uidValidity);
    if (!group) groups.push((group = { uidValidity: ref.uidValidity, uids: new Map() }));
    group.uids.set(ref.uid, id);
    folders.set(ref.folder, groups);
  }
  return { folders, invalid };
}

/** `<A@B>` → `a@b`: how Message-IDs compare (case and brackets vary between clients). */
export function normaliseMessageId(value: string | null | undefined): string | null {
  const text = (value || '').trim();
  if (!text) return null;
  const bracketed = /<([^<>]+)>/.exec(text);
  const id = (bracketed ? bracketed[1] : text.split(/\s+/)[0]).trim().toLowerCase();
  return id || null;
}

/** The conversation a message belongs to, from its headers; null when it has no Message-ID at all. */
export function threadIdOf(headers: { references?: string | null; inReplyTo?: string | null; messageId?: string | null }): string | null {
  const root = normaliseMessageId(headers.references) ?? normaliseMessageId(headers.inReplyTo) ?? normaliseMessageId(headers.messageId);
  return root ? createHash('sha1').update(root).digest('hex').slice(0, THREAD_ID_HEX) : null;
}
