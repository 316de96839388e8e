/**
 * Fetching messages and their states from the selected folder, and turning them into the
 * sync's shapes. Whole messages are fetched as raw MIME (BODY.PEEK[], so nothing is marked
 * read) and parsed by parseMime (off the main thread when large); a state needs only the flags
 * and the three headers its thread id comes from.
 */
import type { FetchMessageObject, FetchQueryObject, ImapFlow } from 'imapflow';
import { parseMime } from '../../mime/parse';
import { parseMimeOffThread } from '../../mime/parse-thread';
import type { Box, MessageState, RemoteMessage } from '../types';
import { encodeMessageId, threadIdOf } from './ids';
import { UidSet } from './uid-set';
import { remoteMessageOf } from '../remote-message';

/** Where the fetched messages are: the selected folder. */
export interface FolderContext {
  path: string;
  box: Box | null;
  uidValidity: number;
}

/**
 * Bytes of one message read at most. A larger one (rare: servers refuse mail over 25–50 MB) is
 * stored with what its first 64 MB hold; the whole message stays on the server.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Raw MIME held in memory by one FETCH of whole messages (at least one message is always fetched). */
export const MAX_FETCH_BYTES = 16 * 1024 * 1024;
/** Up to this many messages are fetched whole without asking their sizes first (one round trip fewer). */
export const INLINE_FETCH_MAX = 10;

const THREAD_HEADERS = ['message-id', 'in-reply-to', 'references'];
const WHOLE: FetchQueryObject = { uid: true, flags: true, internalDate: true, size: true, source: { maxLength: MAX_MESSAGE_BYTES } };
const STATE: FetchQueryObject = { uid: true, flags: true, headers: THREAD_HEADERS };

export function stateOf(folder: FolderContext, uid: number, flags: Set<string> | undefined, threadId: string | null): MessageState {
  const set = flags || new Set<string>();
  return {
    providerMessageId: encodeMessageId({ folder: folder.path, uidValidity: folder.uidValidity, uid }),
    threadId,
    folderIds: [folder.path],
    box: folder.box,
    read: set.has('\\Seen'),
    starred: set.has('\\Flagged'),
    draft: set.has('\\Draft') || folder.box === 'drafts',
  };
}

export async function toRemoteMessage(folder: FolderContext, fetched: FetchMessageObject): Promise<RemoteMessage> {
  const raw = fetched.source || Buffer.alloc(0);
  const parsed = await parseMimeOffThread(raw);
  return remoteMessageOf(parsed, stateOf(folder, fetched.uid, fetched.flags, threadIdOf(parsed)), {
    receivedAt: fetched.internalDate ? new Date(fetched.internalDate) : null,
    size: fetched.size ?? raw.length,
  });
}

/**
 * Whole messages of the selected folder, ascending by UID; UIDs gone meanwhile are simply absent.
 * More than INLINE_FETCH_MAX are fetched in runs of at most MAX_FETCH_BYTES, after one FETCH of
 * their sizes. With `since`, mail received before it is left out (mail moved in from another
 * folder keeps its old INTERNALDATE), as the listing's SEARCH SINCE leaves it out.
 */
export async function fetchWhole(client: ImapFlow, folder: FolderContext, uids: UidSet, since?: Date): Promise<RemoteMessage[]> {
  if (uids.isEmpty) return [];
  const runs: UidSet[] = [];
  if (uids.size <= INLINE_FETCH_MAX) runs.push(uids);
  else {
    const sizes = await client.fetchAll(uids.toString(), { uid: true, size: true, internalDate: true }, { uid: true });
    let run: number[] = [];
    let bytes = 0;
    for (const m of sizes.sort((a, b) => a.uid - b.uid)) {
      if (since && m.internalDate && new Date(m.internalDate) < since) continue;
      const size = Math.min(m.size ?? 0, MAX_MESSAGE_BYTES);
      if (run.length && bytes + size > MAX_FETCH_BYTES) {
        runs.push(UidSet.of(run));
        run = [];
        bytes = 0;
      }
      run.push(m.uid);
      bytes += size;
    }
    if (run.length) runs.push(UidSet.of(run));
  }
  const messages: RemoteMessage[] = [];
  for (const run of runs) {
    const fetched = await client.fetchAll(run.toString(), WHOLE, { uid: true });
    for (const m of fetched.sort((a, b) => a.uid - b.uid)) {
      // `n:m` answers for the last message even when none is in range (RFC 3501 §6.4.8): checked.
      if (!run.has(m.uid)) continue;
      if (since && m.internalDate && new Date(m.internalDate) < since) continue;
      messages.push(await toRemoteMessage(folder, m));
    }
  }
  return messages;
}

/**
 * States (flags and thread id) of messages of the selected folder; with `changedSince`
 * (CONDSTORE), only those whose flags changed after that mod-sequence.
 */
export async function fetchStates(client: ImapFlow, folder: FolderContext, uids: UidSet, changedSince?: bigint): Promise<{ states: MessageState[]; uids: UidSet }> {
  if (uids.isEmpty) return { states: [], uids: UidSet.empty() };
  const fetched = await client.fetchAll(uids.toString(), STATE, { uid: true, ...(changedSince ? { changedSince } : {}) });
  const states: MessageState[] = [];
  const found: number[] = [];
  for (const m of fetched) {
    if (!uids.has(m.uid)) continue;
    // The three headers alone, parsed as a message without body (parseMime reads headers leniently).
    const headers = m.headers ? await parseMime(m.headers) : null;
    states.push(stateOf(folder, m.uid, m.flags, headers ? threadIdOf(headers) : null));
    found.push(m.uid);
  }
  return { states, uids: UidSet.of(found) };
}

/** Flags only: which of `uids` still exist, and which are \Seen and \Flagged (the fallback without CONDSTORE). */
export async function fetchFlags(client: ImapFlow, uids: UidSet) {
  const present: number[] = [];
  const seen: number[] = [];
  const flagged: number[] = [];
  if (!uids.isEmpty) {
    for (const m of await client.fetchAll(uids.toString(), { uid: true, flags: true }, { uid: true })) {
      if (!uids.has(m.uid)) continue;
      present.push(m.uid);
      if (m.flags?.has('\\Seen')) seen.push(m.uid);
      if (m.flags?.has('\\Flagged')) flagged.push(m.uid);
    }
  }
  return { present: UidSet.of(present), seen: UidSet.of(seen), flagged: UidSet.of(flagged) };
}
