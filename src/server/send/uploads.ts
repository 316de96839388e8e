/**
 * Files the user attaches while composing (S-SEND-5): one multipart request per file, kept in the
 * app's storage under a folder of the user's own, <storage>/email-manager/uploads/<userId>/<id>
 * with a small JSON of its name and type beside it, until the mail is sent (or the draft deleted)
 * or they are a week old. Only their owner can name them.
 */
import type { Context } from '@nocobase/actions';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { koaMulter } from '@nocobase/utils';
import { UserError } from '../errors';
import type { UploadView } from '../../shared/send-api';
import { MAX_ATTACHMENTS_BYTES, sizeLimitError } from './size-limits';

/** Unsent uploads are kept this long: long enough for a draft worked on over days. */
export const UPLOAD_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * What one user's pending uploads may take on disk together: eight mails' worth of 25 MB files.
 * Without it, a user (or a script with their session) fills the server's disk for a week.
 * EMAIL_MANAGER_UPLOAD_QUOTA_MB sets another figure.
 */
export const DEFAULT_UPLOAD_QUOTA_MB = 200;
/** A multipart request's own bytes around the file (boundaries, part headers): not counted. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
const MB = 1024 * 1024;

export function uploadQuotaBytes() {
  const mb = Number(process.env.EMAIL_MANAGER_UPLOAD_QUOTA_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_UPLOAD_QUOTA_MB) * MB;
}
/** The multipart field that carries the file. */
export const UPLOAD_FIELD = 'file';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type { UploadView };

export function uploadsDir(userId?: number) {
  const root = path.join(process.env.STORAGE_PATH || path.resolve('storage'), 'email-manager', 'uploads');
  return userId == null ? root : path.join(root, String(userId));
}

export class UploadStore {
  /**
   * Receives the one file of a multipart request; refused when it alone is over 25 MB, or when it
   * would take the user's pending uploads over their quota (413, before reading when the request
   * says its length).
   */
  async receive(ctx: Context, userId: number): Promise<UploadView> {
    const dir = uploadsDir(userId);
    await fs.mkdir(dir, { recursive: true });
    await pruneExpired(dir);
    const quota = uploadQuotaBytes();
    const declared = Number(ctx.get?.('content-length')) || 0;
    const before = await usedBytes(dir);
    if (before >= quota || before + declared - MULTIPART_OVERHEAD_BYTES > quota) throw quotaError(before, quota);
    // Known from the part's header, before a size error stops the upload.
    let picked = 'attachment';
    const upload = koaMulter({
      storage: koaMulter.diskStorage({ destination: dir, filename: (_req: unknown, _file: unknown, cb) => cb(null, crypto.randomUUID()) }),
      fileFilter: (_req: unknown, file: { originalname?: string }, cb: (error: Error | null, accept: boolean) => void) => {
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
    } catch (caught) {
      const error = caught as { code?: string; name?: string } | null;
      // The upload stopped at the limit: the request's length is the closest thing to the file's size.
      if (error?.code === 'LIMIT_FILE_SIZE') throw sizeLimitError([{ filename: picked, size: Number(ctx.get?.('content-length')) || MAX_ATTACHMENTS_BYTES + 1 }]);
      if (error?.name === 'MulterError') throw new UserError('Please upload one file at a time', 400, UPLOAD_FIELD);
      throw error;
    }
    const file: StoredFile | undefined = ctx.file ?? (ctx.request as { file?: StoredFile } | undefined)?.file;
    if (!file) throw new UserError('Please upload one file at a time', 400, UPLOAD_FIELD);
    // Counted again with the file on disk: a request without a length, or two at once, end here.
    const after = await usedBytes(dir);
    if (after > quota) {
      await fs.rm(file.path || path.join(dir, file.filename), { force: true });
      throw quotaError(after - file.size, quota);
    }
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

  /** Bytes the user's pending uploads take now. */
  usage(userId: number) {
    return usedBytes(uploadsDir(userId));
  }
}

/**
 * Drops the uploads of `dir` older than UPLOAD_TTL_MS (an abandoned compose), with their
 * descriptions; answers how many files went. Run on the user's next upload and by the sweeper
 * (uploads-sweeper.ts) for everyone.
 */
export async function pruneExpired(dir: string, now = Date.now()): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const stat = await fs.stat(path.join(dir, name)).catch(() => null);
    if (stat?.isFile() && now - stat.mtimeMs > UPLOAD_TTL_MS) {
      await fs.rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** The size of the files in `dir` (the descriptions are a few hundred bytes; counted too). */
async function usedBytes(dir: string): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) total += (await fs.stat(path.join(dir, name)).catch(() => null))?.size ?? 0;
  return total;
}

/** 413 naming the quota and what is in use, in MB, with both in bytes for the editor. */
function quotaError(used: number, quota: number) {
  return new UserError(
    'Your files waiting to be sent use {{used}} MB of your {{quota}} MB upload quota. Send or discard the emails you are writing, or remove some files, then try again.',
    413,
    UPLOAD_FIELD,
    { used: (Math.max(0, used) / MB).toFixed(1), quota: Math.round(quota / MB) },
    { used: Math.max(0, used), quota },
  );
}

/** The file multer wrote (diskStorage), as it puts it on the context and the request. */
interface StoredFile {
  path?: string;
  filename: string;
  originalname?: string;
  size: number;
  mimetype?: string;
}

const metaPath = (dir: string, id: string) => path.join(dir, `${id}.json`);

/** A file name as a mail header can carry it: no path, no control characters, not empty. */
function cleanName(name: unknown) {
  const base = String(name ?? '').split(/[\\/]/).pop() || '';
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255) || 'attachment';
}
