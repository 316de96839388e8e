/**
 * Mail-center changes on IMAP (S-CENTER-7): read and star are the \Seen and \Flagged flags
 * (`UID STORE`); archive, trash and restore move the message (`UID MOVE`, or COPY + \Deleted +
 * UID EXPUNGE where MOVE is missing, which imapflow does by itself); delete is \Deleted + `UID
 * EXPUNGE` of mail in Trash only. A moved message gets a new UID in its new folder, so a new id.
 * A server with UIDPLUS (RFC 4315) names it (COPYUID): those come back as `moved`, the rows are
 * re-keyed and cursor.ts's cursorAfterMoves tells the sync. Without it the next sync sees the
 * old id vanish and a new message arrive.
 */
import type { ImapFlow } from 'imapflow';
import type { Box, ChangeTarget, MessageChange, MovedMessage } from '../types';
import { folderOf, listImapFolders, type ImapFolder } from './folders';
import { encodeMessageId, folderIndex, groupByFolder, needsFolderIndex } from './ids';
import { searchUids } from './listing';
import { UidSet } from './uid-set';

/** Folders made when a mailbox has none for the box (common on plain IMAP servers). */
export const CREATED_FOLDER_NAMES: Partial<Record<Box, string>> = { archive: 'Archive', trash: 'Trash', sent: 'Sent', drafts: 'Drafts' };

/** The folder of a box, made (and subscribed) when the mailbox has none. */
export async function ensureFolder(client: ImapFlow, folders: ImapFolder[], box: Box): Promise<string> {
  const existing = folderOf(folders, box);
  if (existing) return existing;
  // imapflow puts the personal namespace prefix ("INBOX.") in front when the server has one.
  const created = await client.mailboxCreate(CREATED_FOLDER_NAMES[box] || box);
  await client.mailboxSubscribe(created.path).catch(() => undefined);
  return created.path;
}

/**
 * Selects `path` for writing and answers which of `uids` (under `uidValidity`) still exist there;
 * an empty set when the folder is gone or was re-created.
 */
export async function presentUids(client: ImapFlow, path: string, uidValidity: number, uids: UidSet): Promise<UidSet> {
  let mailbox;
  try {
    mailbox = await client.mailboxOpen(path);
  } catch (error) {
    if ((error as { mailboxMissing?: boolean }).mailboxMissing) return UidSet.empty();
    throw error;
  }
  if (Number(mailbox.uidValidity) !== uidValidity || uids.isEmpty || mailbox.exists === 0) return UidSet.empty();
  // A refused search must not read as "none of these exist" (the change would report them missing).
  return searchUids(client, { uid: uids.toString() });
}

/** Permanently removes messages of a folder (\Deleted + UID EXPUNGE, so other \Deleted mail stays). */
export async function expunge(client: ImapFlow, path: string, uidValidity: number, uids: UidSet) {
  const present = await presentUids(client, path, uidValidity, uids);
  if (!present.isEmpty) await client.messageDelete(present.toString(), { uid: true });
  return present;
}

export async function applyImapChange(client: ImapFlow, targets: ChangeTarget[], change: MessageChange): Promise<{ missing: string[]; moved?: MovedMessage[] }> {
  const ids = targets.map((t) => t.providerMessageId);
  const moving = change.kind === 'archive' || change.kind === 'trash' || change.kind === 'restore' || change.kind === 'delete';
  // The LIST finds the destinations, and resolves the folder tokens of long paths (ids.ts).
  const folders = moving || needsFolderIndex(ids) ? await listImapFolders(client) : [];
  const { folders: groups, invalid } = groupByFolder(ids, folderIndex(folders.map((f) => f.path)));
  const missing = [...invalid];
  const moved: MovedMessage[] = [];
  const sentIds = new Set(targets.filter((t) => t.sent).map((t) => t.providerMessageId));
  const trash = moving ? folderOf(folders, 'trash') : null;

  for (const [path, list] of groups) {
    for (const group of list) {
      const wanted = UidSet.of(group.uids.keys());
      // Permanent deletion only of mail already in Trash (the seam's rule); anything else is left alone.
      if (change.kind === 'delete' && path !== trash) continue;
      const present = await presentUids(client, path, group.uidValidity, wanted);
      for (const uid of wanted.minus(present).toArray()) missing.push(group.uids.get(uid)!);
      if (present.isEmpty) continue;
      const range = present.toString();
      switch (change.kind) {
        case 'read':
          await (change.read ? client.messageFlagsAdd(range, ['\\Seen'], { uid: true }) : client.messageFlagsRemove(range, ['\\Seen'], { uid: true }));
          break;
        case 'starred':
          await (change.starred ? client.messageFlagsAdd(range, ['\\Flagged'], { uid: true }) : client.messageFlagsRemove(range, ['\\Flagged'], { uid: true }));
          break;
        case 'delete':
          await client.messageDelete(range, { uid: true });
          break;
        default: {
          // archive, trash, restore: moved by destination (restore sends the user's own mail back to Sent).
          const byDestination = new Map<string, number[]>();
          for (const uid of present.toArray()) {
            const destination = await destinationOf(client, folders, change.kind, sentIds.has(group.uids.get(uid)!));
            if (destination === path) continue;
            byDestination.set(destination, [...(byDestination.get(destination) || []), uid]);
          }
          for (const [destination, uids] of byDestination) {
            const result = await client.messageMove(UidSet.of(uids).toString(), destination, { uid: true });
            // COPYUID pairs each old UID with the new one (no uidMap: no UIDPLUS, nothing to tell).
            if (!result || !result.uidMap || result.uidValidity === undefined) continue;
            for (const [from, to] of result.uidMap) {
              const old = group.uids.get(from);
              if (old) moved.push({ from: old, to: encodeMessageId({ folder: destination, uidValidity: Number(result.uidValidity), uid: to }) });
            }
          }
        }
      }
    }
  }
  return moved.length ? { missing, moved } : { missing };
}

async function destinationOf(client: ImapFlow, folders: ImapFolder[], kind: 'archive' | 'trash' | 'restore', sent: boolean) {
  if (kind === 'restore') return (sent && folderOf(folders, 'sent')) || folderOf(folders, 'inbox') || 'INBOX';
  const path = await ensureFolder(client, folders, kind);
  if (!folderOf(folders, kind)) folders.push({ id: path, path, name: path, box: kind, custom: false });
  return path;
}
