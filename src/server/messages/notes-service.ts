/**
 * Notes and to-dos (S-CENTER-9, S-CENTER-10): one per user per conversation, plain text, kept in
 * NocoBase only. Saving an empty note that is not a to-do removes the row.
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { UserError } from '../errors';
import { NOTE_MAX_LENGTH, NoteView } from '../../shared/mail-center-api';
import type { AttachmentService } from './attachment-service';
import { notifyUser } from './notify';
import { authorName, toNoteView } from './thread-view';

export class NotesService {
  constructor(
    private readonly app: Application,
    private readonly attachments: AttachmentService,
  ) {}

  private get repo() {
    return this.app.db.getRepository(COLLECTIONS.notes);
  }

  /** The saved note; with neither text nor to-do left, the row is gone and the answer says so (note null, todo false). */
  async save(userId: number, input: { messageId?: unknown; note?: unknown; todo?: unknown }): Promise<NoteView> {
    const message = await this.attachments.ownedMessage(userId, input?.messageId);
    const key = { userId, accountId: Number(message.get('accountId')), threadId: message.get('threadId') };
    const existing = await this.repo.findOne({ filter: key });
    if (input.note != null && typeof input.note !== 'string') throw new UserError('A note is plain text', 400, 'note');
    const note = input.note === undefined ? (existing?.get('note') ?? null) : (input.note as string | null)?.trim() || null;
    if (note && note.length > NOTE_MAX_LENGTH) {
      throw new UserError('A note has at most {{max}} characters', 400, 'note', { max: NOTE_MAX_LENGTH.toLocaleString('en-US') });
    }
    const todo = input.todo === undefined ? Boolean(existing?.get('todo')) : input.todo === true || input.todo === 'true';
    notifyUser(this.app, userId, [key.accountId]);
    if (!note && !todo) {
      if (existing) await this.repo.destroy({ filterByTk: existing.get('id') });
      return { messageId: Number(message.get('id')), note: null, todo: false, authorId: userId, authorName: await authorName(this.app, userId), updatedAt: new Date().toISOString() };
    }
    const values = { ...key, messageId: existing?.get('messageId') ?? Number(message.get('id')), note, todo };
    const row = existing
      ? (await this.repo.update({ filterByTk: existing.get('id'), values }), await this.repo.findOne({ filterByTk: existing.get('id') }))
      : await this.repo.create({ values });
    return toNoteView(row, await authorName(this.app, userId));
  }
}
