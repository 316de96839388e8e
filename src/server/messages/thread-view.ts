/**
 * One conversation for the reader (S-CENTER-6): its mails oldest first with bodies, attachments,
 * personal labels, and the user's note and to-do. Bodies go out as received; the client
 * sanitises and sandboxes them (S-CENTER-12).
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import type { LabelView, MessageView, NoteView, ThreadView } from '../../shared/mail-center-api';
import type { AttachmentService } from './attachment-service';
import { addresses, ThreadQuery, truthy } from './thread-query';

export class ThreadViewService {
  constructor(
    private readonly app: Application,
    private readonly attachments: AttachmentService,
    private readonly query: ThreadQuery,
  ) {}

  async view(userId: number, messageId: unknown): Promise<ThreadView> {
    const opened = await this.attachments.ownedMessage(userId, messageId);
    const inTrash = opened.get('box') === 'trash';
    const rows = (
      (await this.app.db.getRepository(COLLECTIONS.messages).find({
        filter: { accountId: opened.get('accountId'), threadId: opened.get('threadId') },
        sort: ['date', 'id'],
      })) as Model[]
    ).filter((r) => (r.get('box') === 'trash') === inTrash);
    const ids = rows.map((r) => Number(r.get('id')));
    const labels = await this.query.labelsOf(userId, ids);
    // The conversation is the opened mail's account's: one query for all its attachments.
    const attachments = await this.attachments.ofMessages(rows);
    const messages: MessageView[] = rows.map((row) =>
      toMessageView(row, attachments.get(Number(row.get('id'))) || [], labels.get(Number(row.get('id'))) || []),
    );
    const union = new Map<number, LabelView>();
    for (const m of messages) for (const l of m.labels) union.set(l.id, l);
    return {
      accountId: Number(opened.get('accountId')),
      threadId: opened.get('threadId'),
      subject: messages[messages.length - 1]?.subject || opened.get('subject') || '',
      messages,
      labels: [...union.values()],
      noteMessageId: messages[0]?.id ?? Number(opened.get('id')),
      note: await this.note(userId, Number(opened.get('accountId')), opened.get('threadId')),
      editable: true,
    };
  }

  async note(userId: number, accountId: number, threadId: string): Promise<NoteView | null> {
    const row = await this.app.db.getRepository(COLLECTIONS.notes).findOne({ filter: { userId, accountId, threadId } });
    return row ? toNoteView(row, await authorName(this.app, userId)) : null;
  }
}

function toMessageView(row: Model, attachments: MessageView['attachments'], labels: LabelView[]): MessageView {
  return {
    id: Number(row.get('id')),
    accountId: Number(row.get('accountId')),
    threadId: row.get('threadId'),
    messageId: row.get('messageId') || null,
    from: addresses(row.get('from')),
    to: addresses(row.get('to')),
    cc: addresses(row.get('cc')),
    bcc: addresses(row.get('bcc')),
    replyTo: addresses(row.get('replyTo')),
    subject: row.get('subject') || '',
    snippet: row.get('snippet') || '',
    text: row.get('text') ?? null,
    html: row.get('html') ?? null,
    date: new Date(row.get('date')).toISOString(),
    read: truthy(row.get('read')),
    starred: truthy(row.get('starred')),
    draft: truthy(row.get('draft')),
    sent: truthy(row.get('sent')),
    box: row.get('box') ?? null,
    folderIds: row.get('folderIds') || [],
    hasAttachments: truthy(row.get('hasAttachments')),
    attachments,
    labels,
  };
}

export function toNoteView(row: Model, author: string): NoteView {
  return {
    messageId: Number(row.get('messageId')),
    note: row.get('note') || null,
    todo: truthy(row.get('todo')),
    authorId: Number(row.get('userId')),
    authorName: author,
    updatedAt: new Date(row.get('updatedAt')).toISOString(),
  };
}

export async function authorName(app: Application, userId: number) {
  const user = await app.db.getRepository('users').findOne({ filterByTk: userId });
  return user?.get('nickname') || user?.get('username') || user?.get('email') || `#${userId}`;
}
