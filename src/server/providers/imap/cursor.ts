/**
 * The IMAP sync cursor (a SyncCursor, stored as JSON after every committed step):
 *
 *   { phase: 'full' | 'incremental', v: 1,
 *     folders: { [path]: { uidValidity, uidNext, highestModseq?, messages?, unseen?, box, uids,
 *                          seen?, flagged? } },
 *     pending?: [{ folder, uids, relisted? }],   // UIDs still to fetch whole, in visiting order
 *     estimatedTotal? }
 *
 * `uids` is the sequence-set of the folder's UIDs the sync has stored ("1:500,502"), so a
 * deletion can be told without asking the database. The other marks are the folder's STATUS as
 * of the last step: an unchanged folder costs nothing more than its STATUS. `seen`/`flagged`
 * (sequence-sets too) exist only for servers without CONDSTORE, whose flag changes are found by
 * comparing. Everything is in UID ranges: 100,000 messages imported in one go are a few bytes.
 *
 * The sync engine writes it after every step; the one other change is cursorAfterMoves, for the
 * user's moves whose rows were re-keyed (written through the same account-state transition).
 */
import type { Box, MovedMessage, SyncCursor } from '../types';
import { CursorExpiredError } from '../types';
import { decodeMessageId, folderIndex } from './ids';
import { UidSet } from './uid-set';

export const CURSOR_VERSION = 1;

export interface FolderMark {
  uidValidity: number;
  uidNext: number;
  /** Decimal: mod-sequences are 63-bit. */
  highestModseq?: string;
  messages?: number;
  unseen?: number;
  box: Box | null;
  uids: string;
  seen?: string;
  flagged?: string;
}

export interface PendingFetch {
  folder: string;
  uids: string;
  /** Queued because the folder was re-created (new UIDVALIDITY): its mail was stored before under other ids. */
  relisted?: boolean;
}

export interface ImapCursor extends SyncCursor {
  v: number;
  folders: Record<string, FolderMark>;
  pending?: PendingFetch[];
  estimatedTotal?: number;
}

/** A stored cursor, checked: one of another version or shape makes the engine list everything again. */
export function readCursor(cursor: SyncCursor | null): ImapCursor | null {
  if (!cursor) return null;
  const c = cursor as Partial<ImapCursor>;
  const valid =
    c.v === CURSOR_VERSION &&
    (c.phase === 'full' || c.phase === 'incremental') &&
    c.folders && typeof c.folders === 'object' &&
    Object.values(c.folders).every((m) => m && Number.isInteger(m.uidValidity) && Number.isInteger(m.uidNext) && typeof m.uids === 'string') &&
    (!c.pending || (Array.isArray(c.pending) && c.pending.every((p) => p && typeof p.folder === 'string' && typeof p.uids === 'string')));
  if (!valid) throw new CursorExpiredError('The IMAP sync position is not one this version reads');
  try {
    for (const m of Object.values(c.folders!)) UidSet.parse(m.uids);
    for (const p of c.pending || []) UidSet.parse(p.uids);
  } catch {
    throw new CursorExpiredError('The IMAP sync position is damaged');
  }
  return structuredClone(c as ImapCursor);
}

/** Known UIDs of a folder. */
export const knownUids = (mark: FolderMark | undefined) => UidSet.parse(mark?.uids);

/** Adds UIDs to the stored set of a folder. */
export function remember(mark: FolderMark, uids: UidSet) {
  mark.uids = knownUids(mark).union(uids).toString();
}

/** Removes UIDs from the stored set (and the flag sets) of a folder. */
export function forget(mark: FolderMark, uids: UidSet) {
  if (uids.isEmpty) return;
  mark.uids = knownUids(mark).minus(uids).toString();
  if (mark.seen !== undefined) mark.seen = UidSet.parse(mark.seen).minus(uids).toString();
  if (mark.flagged !== undefined) mark.flagged = UidSet.parse(mark.flagged).minus(uids).toString();
}

/** Queues UIDs of a folder to fetch (merged with what is already queued for it, relisted or new apart). */
export function enqueue(cursor: ImapCursor, folder: string, uids: UidSet, relisted = false) {
  if (uids.isEmpty) return;
  cursor.pending = cursor.pending || [];
  const entry = cursor.pending.find((p) => p.folder === folder && Boolean(p.relisted) === relisted);
  if (entry) entry.uids = UidSet.parse(entry.uids).union(uids).toString();
  else cursor.pending.push({ folder, uids: uids.toString(), ...(relisted ? { relisted } : {}) });
}

/**
 * The cursor after the user moved messages whose rows now carry their new ids (modify's `moved`):
 * the old UIDs leave the source folder's stored set, so their expunge deletes nothing, and the
 * new ones join the destination's, so their arrival fetches nothing (changes.ts skips known UIDs
 * above the mark). A folder the cursor does not know, or knows under another UIDVALIDITY, is left
 * to the sync (a new folder is listed whole: the upsert then lands on the re-keyed row). During a
 * full listing nothing changes: its closing sweep goes by what the listing saw, so the row must be
 * seen again under its new id.
 */
export function cursorAfterMoves(cursor: SyncCursor, moved: MovedMessage[]): ImapCursor | null {
  let stored: ImapCursor | null;
  try {
    stored = readCursor(cursor);
  } catch {
    return null;
  }
  if (!stored || stored.phase !== 'incremental') return null;
  const paths = folderIndex(Object.keys(stored.folders));
  for (const { from, to } of moved) {
    const before = decodeMessageId(from, paths);
    const after = decodeMessageId(to, paths);
    const source = before && stored.folders[before.folder];
    const destination = after && stored.folders[after.folder];
    if (source && source.uidValidity === before.uidValidity) forget(source, UidSet.of([before.uid]));
    if (destination && destination.uidValidity === after.uidValidity) remember(destination, UidSet.of([after.uid]));
  }
  return stored;
}
