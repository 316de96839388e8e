/**
 * Mail-center changes on Outlook (S-CENTER-7), sent as Graph `$batch` requests: flags are PATCHes
 * (isRead, flag), boxes are folders, so archive, trash and restore are moves to well-known
 * folders. A permanent delete is a DELETE of a message already in Deleted Items. Ids are
 * immutable (Prefer: IdType), so a moved message keeps its id.
 */
import type { PartAnswer } from '../batch-parts';
import type { ChangeTarget, MessageChange } from '../types';
import { graphPartError } from './errors';

export interface BatchRequest {
  id: string;
  url: string;
  method?: 'GET' | 'PATCH' | 'POST' | 'DELETE';
  body?: unknown;
}

/** Sends the requests as `$batch` parts; every part comes back settled (throttled ones sent again, see batch-parts.ts). */
type Batch = (requests: BatchRequest[]) => Promise<Map<string, PartAnswer>>;

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

/** Messages the provider no longer has (404) come back as missing; any other refusal fails the change. */
export async function applyOutlookChange(batch: Batch, targets: ChangeTarget[], change: MessageChange) {
  const requests = targets.map((target, index) => ({ id: String(index), ...requestFor(target, change) }));
  const answers = await batch(requests);
  const missing: string[] = [];
  targets.forEach((target, index) => {
    const answer = answers.get(String(index))!;
    if (answer.status < 300) return;
    if (answer.status === 404) missing.push(target.providerMessageId);
    else throw graphPartError(answer, 'change');
  });
  return { missing };
}
