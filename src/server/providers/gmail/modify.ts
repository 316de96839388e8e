/**
 * Mail-center changes on Gmail (S-CENTER-7). Flags and boxes are labels: read is the absence of
 * UNREAD, star is STARRED, the Inbox is INBOX; archive removes INBOX. Trash and untrash have
 * their own calls (one message each), and untrash leaves the message out of every box, so a
 * restored mail (from Trash, Archive or Spam) gets INBOX back unless the user sent it.
 */
import type { gmail_v1 } from 'googleapis';
import type { ChangeTarget, MessageChange } from '../types';
import type { GMAIL_QUOTA } from './mailbox';

type Call = <T>(cost: keyof typeof GMAIL_QUOTA.cost, what: string, run: () => Promise<T>) => Promise<T>;

/** Ids per batchModify / batchDelete call (Gmail's maximum is 1000). */
export const MODIFY_BATCH_SIZE = 1000;

const LABEL_CHANGES = {
  read: (read: boolean) => (read ? { removeLabelIds: ['UNREAD'] } : { addLabelIds: ['UNREAD'] }),
  starred: (starred: boolean) => (starred ? { addLabelIds: ['STARRED'] } : { removeLabelIds: ['STARRED'] }),
  archive: () => ({ removeLabelIds: ['INBOX'] }),
};

export async function applyGmailChange(api: gmail_v1.Gmail, call: Call, targets: ChangeTarget[], change: MessageChange) {
  const ids = targets.map((t) => t.providerMessageId);
  const missing: string[] = [];
  switch (change.kind) {
    case 'read':
      await batchModify(api, call, ids, LABEL_CHANGES.read(change.read));
      break;
    case 'starred':
      await batchModify(api, call, ids, LABEL_CHANGES.starred(change.starred));
      break;
    case 'archive':
      await batchModify(api, call, ids, LABEL_CHANGES.archive());
      break;
    case 'trash':
      for (const id of ids) await oneByOne(missing, id, () => call('trash', 'trash', () => api.users.messages.trash({ userId: 'me', id })));
      break;
    case 'restore': {
      for (const t of targets.filter((t) => t.box === 'trash')) {
        const id = t.providerMessageId;
        await oneByOne(missing, id, () => call('untrash', 'untrash', () => api.users.messages.untrash({ userId: 'me', id })));
      }
      const received = targets.filter((t) => !t.sent && !missing.includes(t.providerMessageId)).map((t) => t.providerMessageId);
      if (received.length) await batchModify(api, call, received, { addLabelIds: ['INBOX'], removeLabelIds: ['SPAM'] });
      break;
    }
    case 'delete':
      for (let i = 0; i < ids.length; i += MODIFY_BATCH_SIZE) {
        const chunk = ids.slice(i, i + MODIFY_BATCH_SIZE);
        await call('batchDelete', 'delete', () => api.users.messages.batchDelete({ userId: 'me', requestBody: { ids: chunk } }));
      }
      break;
  }
  return { missing };
}

async function batchModify(api: gmail_v1.Gmail, call: Call, ids: string[], labels: { addLabelIds?: string[]; removeLabelIds?: string[] }) {
  for (let i = 0; i < ids.length; i += MODIFY_BATCH_SIZE) {
    const chunk = ids.slice(i, i + MODIFY_BATCH_SIZE);
    await call('batchModify', 'modify', () => api.users.messages.batchModify({ userId: 'me', requestBody: { ids: chunk, ...labels } }));
  }
}

/** A message deleted meanwhile (404) is reported missing; anything else fails the change. */
async function oneByOne(missing: string[], id: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if ((error as { status?: number } | null)?.status === 404) missing.push(id);
    else throw error;
  }
}
