/**
 * Mail-center changes on Outlook (S-CENTER-7), sent as Graph `$batch` requests: flags are PATCHes
 * (isRead, flag), boxes are folders, so archive, trash and restore are moves to well-known
 * folders. A permanent delete is a DELETE of a message already in Deleted Items. Ids are
 * immutable (Prefer: IdType), so a moved message keeps its id.
 */
import type { ChangeTarget, MessageChange } from '../types';
import { mapGraphError } from './errors';

export interface BatchRequest {
  id: string;
  url: string;
  method?: 'GET' | 'PATCH' | 'POST' | 'DELETE';
  body?: unknown;
}

type Batch = (requests: BatchRequest[]) => Promise<Map<string, { status: number; body: any }>>;

function requestFor(target: ChangeTarget, change: MessageChange): Omit<BatchRequest, 'id'> {
  const url = `/me/messages/${encodeURIComponent(target.providerMessageId)}`;
  const move = (destinationId: string) => ({ method: 'POST' as const, url: `${url}/move`, body: { destinationId } });
  switch (change.kind) {
    case 'read':
      return { method: 'PATCH', url, body: { isRead: change.read } };
    case 'starred':
      return { method: 'PATCH', url, body: { flag: { flagStatus: change.starred ? 'flagged' : 'notFlagged' } } };
    case 'archive':
      return move('archive');
    case 'trash':
      return move('deleteditems');
    case 'restore':
      return move(target.sent ? 'sentitems' : 'inbox');
    case 'delete':
      return { method: 'DELETE', url };
  }
}

/** Parts answered 429 or 5xx inside a batch are sent again this many times. */
export const PART_RETRIES = 3;
const PART_RETRY_DELAY_MS = 500;

export async function applyOutlookChange(batch: Batch, targets: ChangeTarget[], change: MessageChange) {
  const missing: string[] = [];
  let pending = targets.map((target, index) => ({ target, request: { id: String(index), ...requestFor(target, change) } }));
  for (let attempt = 0; pending.length; attempt++) {
    const answers = await batch(pending.map((p) => p.request));
    const retry: typeof pending = [];
    for (const item of pending) {
      const answer = answers.get(item.request.id);
      if (answer && answer.status < 300) continue;
      if (answer?.status === 404) missing.push(item.target.providerMessageId);
      else if (attempt < PART_RETRIES && (!answer || answer.status === 429 || answer.status >= 500)) retry.push(item);
      else throw mapGraphError({ statusCode: answer?.status, code: answer?.body?.error?.code }, 'change');
    }
    pending = retry;
    if (pending.length) await new Promise((resolve) => setTimeout(resolve, PART_RETRY_DELAY_MS * (attempt + 1)));
  }
  return { missing };
}
