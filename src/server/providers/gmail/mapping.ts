/** Gmail labels and message resources → the plugin's message shape (S-SYNC-4, S-SYNC-5). */
import type { gmail_v1 } from 'googleapis';
import { parseMimeOffThread } from '../../mime/parse-thread';
import type { Box, MessageState, RemoteFolder, RemoteMessage } from '../types';
import { remoteMessageOf } from '../remote-message';
import type { DecodedRawResource } from './batch';

/** Which box a system label is; the order decides for a message carrying several. */
const BOX_BY_LABEL: [string, Box][] = [
  ['TRASH', 'trash'],
  ['SPAM', 'spam'],
  // Scheduled in Gmail's own client: it waits at Google, and only Gmail can cancel it (S-SCHED-2).
  ['SCHEDULED', 'scheduled'],
  ['DRAFT', 'drafts'],
  ['INBOX', 'inbox'],
  ['SENT', 'sent'],
];

/** Labels Gmail keeps for itself that are not boxes or flags and never shown as folders. */
const HIDDEN_SYSTEM_LABELS = /^(UNREAD|STARRED|IMPORTANT|CHAT|CATEGORY_.*|YELLOW_STAR)$/;

/** Archive is "none of the above" (S-SYNC-4): mail that is only in All Mail or custom labels. */
export function boxOf(labelIds: string[]): Box {
  for (const [label, box] of BOX_BY_LABEL) if (labelIds.includes(label)) return box;
  return 'archive';
}

export function stateOf(id: string, threadId: string | null | undefined, labelIds: string[] | null | undefined): MessageState {
  const labels = labelIds || [];
  return {
    providerMessageId: id,
    threadId: threadId || null,
    folderIds: labels,
    box: boxOf(labels),
    read: !labels.includes('UNREAD'),
    starred: labels.includes('STARRED'),
    // A mail scheduled in Gmail is not a draft we could edit or send.
    draft: labels.includes('DRAFT') && !labels.includes('SCHEDULED'),
  };
}

export function toFolder(label: gmail_v1.Schema$Label): RemoteFolder | null {
  const id = label.id || '';
  if (!id || HIDDEN_SYSTEM_LABELS.test(id)) return null;
  const box = BOX_BY_LABEL.find(([l]) => l === id)?.[1] ?? null;
  return { id, name: label.name || id, box, custom: label.type === 'user' };
}

/** A `format=raw` message resource (its MIME decoded by the batch reader), parsed. Malformed MIME still gives a row (parseMime never throws). */
export async function fromRawResource(resource: DecodedRawResource): Promise<RemoteMessage> {
  const raw = resource.rawBytes;
  const parsed = await parseMimeOffThread(raw);
  const state = stateOf(resource.id!, resource.threadId, resource.labelIds);
  // internalDate is when Gmail received it: what the mailbox sorts by, and never missing.
  const internal = Number(resource.internalDate);
  return remoteMessageOf(parsed, state, {
    receivedAt: Number.isFinite(internal) && internal > 0 ? new Date(internal) : null,
    size: resource.sizeEstimate ?? raw.length,
    snippet: decodeEntities(resource.snippet || ''),
  });
}

function decodeEntities(text: string) {
  return text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
