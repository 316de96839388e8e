/**
 * The folders of an IMAP mailbox and which box each is (S-SYNC-4). Servers with SPECIAL-USE
 * (RFC 6154) flag their system folders; others are recognised by the names mail clients give
 * them. `\All` (Gmail's All Mail) and `\Flagged` are virtual views of mail that lives in other
 * folders: listing them would import every message twice, so they are left out, like folders
 * that cannot hold mail (`\Noselect`).
 */
import type { ImapFlow, ListResponse, StatusObject, StatusQuery } from 'imapflow';
import type { Box, RemoteFolder } from '../types';
import { folderIndex, needsFolderIndex, type FolderIndex } from './ids';

export interface ImapFolder extends RemoteFolder {
  /** The folder path, as the server names it (also the RemoteFolder id). */
  path: string;
  /** STATUS answered with the listing (LIST-STATUS, or one STATUS per folder without it). */
  status?: StatusObject;
}

/** Special-use flags (RFC 6154) and the boxes they are; `\Inbox` is imapflow's mark for INBOX. */
export const SPECIAL_USE_BOXES: Record<string, Box> = {
  '\\Inbox': 'inbox',
  '\\Sent': 'sent',
  '\\Drafts': 'drafts',
  '\\Trash': 'trash',
  '\\Junk': 'spam',
  '\\Archive': 'archive',
};

/** Virtual folders showing mail kept elsewhere. */
export const SKIPPED_SPECIAL_USE = new Set(['\\All', '\\Flagged']);
/** Flags of list entries that hold no mail. */
const UNSELECTABLE = ['\\Noselect', '\\NonExistent'];

/** Names mail clients give system folders, for boxes the server does not flag; the first match wins. */
export const COMMON_FOLDER_NAMES: [string, Box][] = [
  ['Sent', 'sent'],
  ['Sent Items', 'sent'],
  ['Sent Messages', 'sent'],
  ['Drafts', 'drafts'],
  ['Trash', 'trash'],
  ['Deleted Items', 'trash'],
  ['Deleted Messages', 'trash'],
  ['Junk', 'spam'],
  ['Junk E-mail', 'spam'],
  ['Spam', 'spam'],
  ['Archive', 'archive'],
];

/** The order a listing visits folders in: the Inbox first (what the user looks at), then the system folders. */
const BOX_ORDER: Box[] = ['inbox', 'sent', 'drafts', 'archive', 'spam', 'trash'];

/**
 * Everything the sync asks STATUS for: what changed in a folder since the cursor. HIGHESTMODSEQ
 * only in a CONDSTORE session: asking for it would switch CONDSTORE on at the server (RFC 7162
 * §3.1), which a session without it means to avoid.
 */
export const changeStatus = (client: ImapFlow): StatusQuery => ({
  messages: true,
  uidNext: true,
  uidValidity: true,
  unseen: true,
  highestModseq: client.enabled.has('CONDSTORE'),
});

/**
 * The selectable folders with their boxes, Inbox first, then system folders, then the user's own
 * by path. With `status`, each carries its STATUS from the same LIST (one round trip on servers
 * with LIST-STATUS).
 */
export async function listImapFolders(client: ImapFlow, status?: StatusQuery): Promise<ImapFolder[]> {
  const entries = (await client.list(status ? { statusQuery: status } : {})).filter((e) => !UNSELECTABLE.some((f) => e.flags.has(f)));
  const prefix = client.namespace?.prefix || '';
  const boxByPath = new Map<string, Box>();
  const claimed = new Set<Box>();
  const skipped = new Set<string>();
  for (const entry of entries) {
    const flag = serverFlag(entry);
    if (flag && SKIPPED_SPECIAL_USE.has(flag)) skipped.add(entry.path);
    const box = flag ? SPECIAL_USE_BOXES[flag] : entry.path.toUpperCase() === 'INBOX' ? 'inbox' : undefined;
    if (box && !claimed.has(box)) {
      boxByPath.set(entry.path, box);
      claimed.add(box);
    }
  }
  for (const [name, box] of COMMON_FOLDER_NAMES) {
    if (claimed.has(box)) continue;
    const entry = entries.find((e) => !boxByPath.has(e.path) && !skipped.has(e.path) && isTopLevel(e, prefix) && e.name.toLowerCase() === name.toLowerCase());
    if (entry) {
      boxByPath.set(entry.path, box);
      claimed.add(box);
    }
  }
  const folders: ImapFolder[] = entries
    .filter((e) => !skipped.has(e.path))
    .map((e) => {
      const box = boxByPath.get(e.path) ?? null;
      return { id: e.path, path: e.path, name: displayName(e.path, prefix), box, custom: !box, status: validStatus(e.status) };
    });
  const rank = (f: ImapFolder) => (f.box ? BOX_ORDER.indexOf(f.box) : BOX_ORDER.length);
  return folders.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** The special-use flag the server itself reported (imapflow also guesses from names: not trusted here, see COMMON_FOLDER_NAMES). */
function serverFlag(entry: ListResponse): string | undefined {
  if (entry.specialUse && (entry.specialUseSource === 'extension' || entry.specialUseSource === 'user')) return entry.specialUse;
  for (const flag of [...Object.keys(SPECIAL_USE_BOXES), ...SKIPPED_SPECIAL_USE]) if (entry.flags.has(flag)) return flag;
  return undefined;
}

/** "Sent" or, on servers whose folders live under INBOX (Courier: "INBOX.Sent"), directly below it. */
function isTopLevel(entry: ListResponse, prefix: string) {
  const parent = entry.parentPath || '';
  return !parent || (prefix && parent + entry.delimiter === prefix);
}

function displayName(path: string, prefix: string) {
  return prefix && path.startsWith(prefix) && path.length > prefix.length ? path.slice(prefix.length) : path;
}

/** A failed per-folder STATUS comes back as `{ error }`; the sync then treats the folder as changed. */
function validStatus(status: (StatusObject & { error?: unknown }) | undefined) {
  return status && !status.error ? status : undefined;
}

/** What resolves the folder tokens of `ids` (one LIST); none when no id has one (ids.ts). */
export async function folderIndexFor(client: ImapFlow, ids: string[]): Promise<FolderIndex | undefined> {
  return needsFolderIndex(ids) ? folderIndex((await listImapFolders(client)).map((f) => f.path)) : undefined;
}

/** Path of the folder of a box, if the mailbox has one. */
export function folderOf(folders: ImapFolder[], box: Box) {
  return folders.find((f) => f.box === box)?.path ?? null;
}

/** What listFolders hands the sidebar: no STATUS. */
export function toRemoteFolder({ id, name, box, custom }: ImapFolder): RemoteFolder {
  return { id, name, box, custom };
}
