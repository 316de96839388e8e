/**
 * Files the user attaches while composing (S-SEND-5): one multipart request per file, kept in the
 * app's storage under a folder of the user's own, <storage>/email-manager/uploads/<userId>/<id>
 * with a small JSON of its name and type beside it, until the mail is sent (or the draft deleted)
 * or they are a week old. Only their owner can name them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { koaMulter } from '@nocobase/utils';
import { UserError } from '../errors';
import type { UploadView } from '../../shared/send-api';
import { MAX_ATTACHMENTS_BYTES, sizeLimitError } from './limits';

/** Unsent uploads are kept this long: long enough for a draft worked on over days. */
export const UPLOAD_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The multipart field that carries the file. */
export const UPLOAD_FIELD = 'file';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type { UploadView };

export function uploadsDir(userId?: number) {
  const root = path.join(process.env.STORAGE_PATH || path.resolve('storage'), 'email-manager', 'uploads');
  return userId == null ? root : path.join(root, String(userId));
}

export class UploadStore {
  /** Receives the one file of a multipart request; refused when it alone is over 25 MB. */
  async receive(ctx: any, userId: number): Promise<UploadView> {
    const dir = uploadsDir(userId);
    await fs.mkdir(dir, { recursive: true });
    await this.prune(userId);
    // Known from the part's header, before a size error stops the upload.
    let picked = 'attachment';
    const upload = koaMulter({
      storage: koaMulter.diskStorage({ destination: dir, filename: (_req: unknown, _file: unknown, cb: any) => cb(null, crypto.randomUUID()) }),
      fileFilter: (_req: unknown, file: { originalname?: string }, cb: any) => {
        picked = cleanName(file.originalname);
        cb(null, true);
      },
      // Multer stops reading at the first byte past this, so a huge file is never stored whole.
      limits: { files: 1, fileSize: MAX_ATTACHMENTS_BYTES },
      // Browsers send UTF-8 file names without saying so.
      defParamCharset: 'utf8',
    }).single(UPLOAD_FIELD);
    try {
      await upload(ctx, async () => undefined);
    } catch (error: any) {
      // The upload stopped at the limit: the request's length is the closest thing to the file's size.
      if (error?.code === 'LIMIT_FILE_SIZE') throw sizeLimitError([{ filename: picked, size: Number(ctx.get?.('content-length')) || MAX_ATTACHMENTS_BYTES + 1 }]);
      if (error?.name === 'MulterError') throw new UserError('Please upload one file at a time', 400, UPLOAD_FIELD);
      throw error;
    }
    const file = ctx.file ?? ctx.request?.file;
    if (!file) throw new UserError('Please upload one file at a time', 400, UPLOAD_FIELD);
    const view: UploadView = {
      id: path.basename(file.filename),
      filename: cleanName(file.originalname),
      size: file.size,
      mimeType: /^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype || '') ? String(file.mimetype).toLowerCase() : 'application/octet-stream',
    };
    await fs.writeFile(metaPath(dir, view.id), JSON.stringify(view));
    return view;
  }

  /** An upload of the user's, or 404: another user's upload is indistinguishable from none. */
  async get(userId: number, id: unknown): Promise<UploadView & { file: string }> {
    const key = String(id ?? '');
    if (!ID.test(key)) throw new UserError('Attachment not found', 404);
    const dir = uploadsDir(userId);
    const meta = await fs.readFile(metaPath(dir, key), 'utf8').then(JSON.parse, () => null);
    if (!meta) throw new UserError('Attachment not found', 404);
    return { ...meta, id: key, file: path.join(dir, key) };
  }

  async read(userId: number, id: string): Promise<Buffer> {
    const upload = await this.get(userId, id);
    return fs.readFile(upload.file).catch(() => {
      throw new UserError('Attachment not found', 404);
    });
  }

  async remove(userId: number, ids: string[]) {
    const dir = uploadsDir(userId);
    await Promise.all(
      ids.filter((id) => ID.test(id)).flatMap((id) => [fs.rm(path.join(dir, id), { force: true }), fs.rm(metaPath(dir, id), { force: true })]),
    );
  }

  /** Drops the user's uploads older than UPLOAD_TTL_MS (an abandoned compose). */
  private async prune(userId: number) {
    const dir = uploadsDir(userId);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const now = Date.now();
    await Promise.all(
      names.map(async (name) => {
        const stat = await fs.stat(path.join(dir, name)).catch(() => null);
        if (stat && now - stat.mtimeMs > UPLOAD_TTL_MS) await fs.rm(path.join(dir, name), { force: true });
      }),
    );
  }
}

const metaPath = (dir: string, id: string) => path.join(dir, `${id}.json`);

/** A file name as a mail header can carry it: no path, no control characters, not empty. */
function cleanName(name: unknown) {
  const base = String(name ?? '').split(/[\\/]/).pop() || '';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255) || 'attachment';
}
