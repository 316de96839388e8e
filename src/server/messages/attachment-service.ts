/**
 * Attachments of synced mail (S-SYNC-5, S-CENTER-11): metadata stored at import (or on first open
 * where the provider leaves it out), content fetched from the provider on first download and then
 * kept in the app's storage. Only the owner of the account reaches them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import { type AttachmentRow, type Model, rawRows, type Transaction } from '../db-types';
import { UserError } from '../errors';
import { NotFoundError } from '../providers/types';
import type { AttachmentView } from '../../shared/mail-center-api';

export const MESSAGE_GONE = 'This email no longer exists';
/** Types a browser may show in place (preview); anything else downloads, so no HTML runs from our origin. */
const PREVIEWABLE = /^(image\/(png|jpe?g|gif|webp|bmp)|application\/pdf)$/i;

export type { AttachmentView };

/** Where cached attachment bytes live: <storage>/email-manager/attachments/<account>/<attachment>. */
export function attachmentCacheDir(accountId?: number) {
  const root = path.join(process.env.STORAGE_PATH || path.resolve('storage'), 'email-manager', 'attachments');
  return accountId == null ? root : path.join(root, String(accountId));
}

export class AttachmentService {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {}

  private repo(name: string) {
    return this.app.db.getRepository(name);
  }

  /** The message if its account belongs to the user; another user's message is "not found". */
  async ownedMessage(userId: number, messageId: unknown): Promise<Model> {
    const id = Number(messageId);
    const message = Number.isInteger(id) && id > 0 ? await this.repo(COLLECTIONS.messages).findOne({ filterByTk: id }) : null;
    const mine = message ? await this.accounts.owned(userId, message.get('accountId')).then(() => true, () => false) : false;
    if (!mine) throw new UserError(MESSAGE_GONE, 404);
    return message;
  }

  async list(userId: number, messageId: unknown): Promise<AttachmentView[]> {
    const message = await this.ownedMessage(userId, messageId);
    if (!message.get('attachmentsLoaded')) await this.load(message);
    return (await this.ofMessages([message])).get(Number(message.get('id'))) || [];
  }

  /**
   * The attachments of messages the caller already checked are the user's (a conversation in the
   * reader), in one query. Outlook's not yet listed are loaded first; a provider failure leaves a
   * message without its list rather than the reader without the conversation.
   */
  async ofMessages(messages: Model[]): Promise<Map<number, AttachmentView[]>> {
    for (const message of messages) if (!message.get('attachmentsLoaded')) await this.load(message).catch(() => undefined);
    const ids = messages.map((m) => Number(m.get('id')));
    const rows: Model[] = ids.length ? await this.repo(COLLECTIONS.attachments).find({ filter: { messageId: { $in: ids } }, sort: ['id'] }) : [];
    const out = new Map<number, AttachmentView[]>();
    for (const view of rows.map(toView)) out.set(Number(view.messageId), [...(out.get(Number(view.messageId)) || []), view]);
    return out;
  }

  /** The bytes with a safe Content-Type and Content-Disposition. */
  async download(userId: number, attachmentId: unknown, preview = false) {
    const id = Number(attachmentId);
    const row: Model | null = Number.isInteger(id) && id > 0 ? await this.repo(COLLECTIONS.attachments).findOne({ filterByTk: id }) : null;
    const account = row ? await this.accounts.owned(userId, row.get('accountId')).catch(() => null) : null;
    if (!row || !account) throw new UserError('Attachment not found', 404);
    const content = (await this.cached(row)) ?? (await this.fetch(account, row));
    const mimeType = String(row.get('mimeType') || 'application/octet-stream').toLowerCase();
    const inline = preview && PREVIEWABLE.test(mimeType);
    return {
      content,
      mimeType: /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : 'application/octet-stream',
      disposition: contentDisposition(inline ? 'inline' : 'attachment', row.get('filename') || 'attachment'),
    };
  }

  /**
   * A `cid:` image of a mail's HTML (S-CENTER-12): found by content id, with brackets and case
   * tolerated. Only images are served this way; anything else is a normal download.
   */
  async inline(userId: number, messageId: unknown, cid: unknown) {
    const wanted = normalizeContentId(cid);
    if (!wanted) throw new UserError('Attachment not found', 404, 'cid');
    const list = await this.list(userId, messageId);
    const match = list.find((a) => normalizeContentId(a.contentId) === wanted && /^image\//i.test(a.mimeType));
    if (!match) throw new UserError('Attachment not found', 404, 'cid');
    return this.download(userId, match.id, true);
  }

  /** Outlook lists attachments only on request: the first open stores them. */
  private async load(message: Model) {
    const account = await this.repo(COLLECTIONS.accounts).findOne({ filterByTk: message.get('accountId') });
    const list = await this.gone(() =>
      this.accounts.withMailbox(account, (mailbox) => mailbox.listAttachments(message.get('providerMessageId'))),
    );
    await this.app.db.sequelize.transaction(async (transaction) => {
      await this.repo(COLLECTIONS.attachments).destroy({ filter: { messageId: message.get('id') }, transaction });
      const html = String(message.get('html') || '').toLowerCase();
      for (const a of list) {
        // Shown in the body when the HTML points at it, whatever the provider's isInline says.
        const referenced = Boolean(a.contentId) && html.includes(`cid:${a.contentId!.toLowerCase()}`);
        await this.repo(COLLECTIONS.attachments).create({
          values: { ...a, inline: a.inline || referenced, contentId: a.contentId || null, accountId: account.get('id'), messageId: message.get('id') },
          transaction,
        });
      }
      await this.repo(COLLECTIONS.messages).update({ filterByTk: message.get('id'), values: { attachmentsLoaded: true }, transaction });
    });
    // The caller's model too, so nothing loads the list a second time.
    message.set('attachmentsLoaded', true);
  }

  private async cached(row: Model): Promise<Buffer | null> {
    const file = row.get('storagePath');
    if (!file) return null;
    return fs.readFile(path.join(attachmentCacheDir(), file)).catch(() => null);
  }

  private async fetch(account: Model, row: Model) {
    const message = await this.repo(COLLECTIONS.messages).findOne({ filterByTk: row.get('messageId') });
    if (!message) throw new UserError(MESSAGE_GONE, 404);
    const content = await this.gone(() =>
      this.accounts.withMailbox(account, (mailbox) => mailbox.fetchAttachment(message.get('providerMessageId'), row.get('providerAttachmentId'))),
    );
    const relative = path.join(String(account.get('id')), String(row.get('id')));
    await fs.mkdir(path.dirname(path.join(attachmentCacheDir(), relative)), { recursive: true });
    await fs.writeFile(path.join(attachmentCacheDir(), relative), content);
    await this.repo(COLLECTIONS.attachments).update({ filterByTk: row.get('id'), values: { storagePath: relative } });
    return content;
  }

  private async gone<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof NotFoundError) throw new UserError(MESSAGE_GONE, 404);
      throw error;
    }
  }
}

/** Removes cached bytes of attachment rows about to be deleted. */
export async function dropCachedFiles(app: Application, where: Record<string, unknown>, transaction?: Transaction) {
  const rows = rawRows<Pick<AttachmentRow, 'storagePath'>>(await app.db.getCollection(COLLECTIONS.attachments).model.findAll({
    attributes: ['storagePath'],
    where: { ...where, storagePath: { [Op.ne]: null } },
    raw: true,
    transaction,
  }));
  await Promise.all(rows.map((r) => fs.rm(path.join(attachmentCacheDir(), r.storagePath!), { force: true })));
}

function toView(row: Model): AttachmentView {
  const { id, messageId, filename, mimeType, size, contentId, inline } = row.toJSON<AttachmentRow>();
  return { id, messageId, filename, mimeType, size, contentId: contentId || null, inline: Boolean(inline) };
}

/** RFC 6266: an ASCII fallback and the exact UTF-8 name. */
function contentDisposition(type: 'inline' | 'attachment', filename: string) {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** `<Part.1@x>`, `cid:part.1@X` and `part.1@x` are the same content id. */
export function normalizeContentId(value: unknown) {
  if (value == null) return '';
  let id = String(value).trim();
  try {
    id = decodeURIComponent(id);
  } catch {
    // Not percent-encoded: use it as it is.
  }
  return id.replace(/^cid:/i, '').replace(/^<|>$/g, '').trim().toLowerCase();
}
