/**
 * Message identity on IMAP. A message is addressed by its folder, the folder's UIDVALIDITY and its
 * UID (RFC 3501 §2.3.1.1): the three together never name another message. The id is
 *
 *   <uidValidity>:<uid>:<folder path>
 *
 * with the path last and taken verbatim, so no character of a folder name (':', '/', spaces,
 * non-ASCII) needs escaping: the two numbers end at the first two colons. A move to another
 * folder gives the message a new id (the sync sees a delete and a new message).
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
/** Hex digits of the SHA-1 kept for a thread id: 64 bits, no collision in any one mailbox. */
const THREAD_ID_HEX = 16;

export function encodeMessageId(ref: ImapMessageRef): string {
  return `${ref.uidValidity}:${ref.uid}:${ref.folder}`;
}

/** Null for an id that is not ours (another provider's, or damaged): callers treat it as missing. */
export function decodeMessageId(id: string): ImapMessageRef | null {
  const match = ID_PATTERN.exec(id);
  if (!match) return null;
  const uidValidity = Number(match[1]);
  const uid = Number(match[2]);
  if (!uid || uid > 0xffffffff || uidValidity > 0xffffffff) return null;
  return { uidValidity, uid, folder: match[3] };
}

/** Ids grouped by folder (one SELECT each), with the ids that cannot be ours set apart. */
export function groupByFolder(ids: string[]) {
  const folders = new Map<string, { uidValidity: number; uids: Map<number, string> }[]>();
  const invalid: string[] = [];
  for (const id of ids) {
    const ref = decodeMessageId(id);
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
