/**
 * A checked mail as the provider seam takes it (OutgoingMessage): its files (uploads, and
 * attachments of the user's stored mail by reference, S-SEND-7) sized and checked against the
 * 25 MB rule first, their bytes read only when a provider asks; the MIME built on demand.
 */
import type { AttachmentService } from '../messages/attachment-service';
import type { OutgoingAttachment, OutgoingMessage } from '../providers/types';
import type { SendInput } from './send-input';
import { buildMime, newMessageId } from '../mime/build-mime';
import { addressedMail } from '../mime/parse';
import { checkTotalSize } from './size-limits';
import { threadingHeaders } from './reply-rules';
import { originalOf, StoredMail, truthy } from './stored-mail';
import type { UploadStore } from './uploads';

export class OutgoingBuilder {
  constructor(
    private readonly uploads: UploadStore,
    private readonly stored: StoredMail,
    private readonly attachments: AttachmentService,
  ) {}

  /**
   * The mail's files, every one the user's own, then `extra` (files the caller read itself: a
   * workflow's file field); 400 when they are over 25 MB together.
   */
  async files(userId: number, input: SendInput, extra: OutgoingAttachment[] = []): Promise<OutgoingAttachment[]> {
    const files: OutgoingAttachment[] = [];
    for (const ref of input.uploads) {
      const upload = await this.uploads.get(userId, ref.id);
      files.push({
        filename: upload.filename,
        mimeType: upload.mimeType,
        size: upload.size,
        ...(ref.contentId ? { contentId: ref.contentId, inline: true } : { inline: false }),
        content: once(() => this.uploads.read(userId, ref.id)),
      });
    }
    const rows = await this.stored.ownAttachments(userId, input.stored.map((r) => r.id));
    rows.forEach((row, i) => {
      // An inline image of the original stays inline under its Content-ID, so a quote still shows it.
      const contentId = input.stored[i].contentId || (truthy(row.inline) ? row.contentId || undefined : undefined);
      files.push({
        filename: row.filename || 'attachment',
        mimeType: row.mimeType || 'application/octet-stream',
        size: Number(row.size) || 0,
        ...(contentId ? { contentId, inline: true } : { inline: false }),
        content: once(async () => (await this.attachments.download(userId, row.id)).content),
      });
    });
    files.push(...extra);
    checkTotalSize(files);
    return files;
  }

  message(input: SendInput, files: OutgoingAttachment[]): OutgoingMessage {
    const original = input.original;
    const threading = original ? threadingHeaders(originalOf(original)) : { inReplyTo: null, references: null };
    const messageId = newMessageId(input.from.address);
    const build = async (withFiles: boolean) => {
      const contents = withFiles ? await Promise.all(files.map((f) => f.content())) : [];
      return buildMime({
        ...addressedMail(input),
        messageId,
        inReplyTo: threading.inReplyTo,
        references: threading.references,
        files: contents.map((content, i) => ({ ...files[i], content })),
      });
    };
    // Built once per form: the provider and the local copy of a sent mail read the same bytes.
    const built = new Map<boolean, Promise<Buffer>>();
    return {
      ...addressedMail(input),
      attachments: files,
      messageId,
      inReplyTo: threading.inReplyTo,
      references: threading.references,
      // Provider threading (Graph's createReply, Gmail's threadId) works within the same mailbox only.
      original:
        original && input.mode !== 'new' && Number(original.accountId) === Number(input.account.get('id'))
          ? { providerMessageId: original.providerMessageId, threadId: original.threadId || null, mode: input.mode }
          : null,
      mime: (options) => {
        const withFiles = options?.attachments !== false;
        if (!built.has(withFiles)) built.set(withFiles, build(withFiles));
        return built.get(withFiles)!;
      },
    };
  }
}

/** The first call's promise, kept: content is read once however often it is asked for. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}
