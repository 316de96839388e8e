/**
 * The size rule of S-SEND-5: a mail carries at most 25 MB of files in all (Gmail's own limit;
 * Outlook takes files over 3 MB through an upload session). Inline images count too: they travel
 * in the same message.
 */
import { UserError } from '../errors';
import { MAX_ATTACHMENTS_BYTES } from '../../shared/send-api';

export { MAX_ATTACHMENTS_BYTES };

export interface SizedFile {
  filename: string;
  size: number;
}

/** 400 with each file's size, so the editor can show which ones to drop. */
export function sizeLimitError(files: SizedFile[]) {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  return new UserError('Attachments exceed 25 MB in total', 400, 'attachments', undefined, {
    files: files.map((f) => ({ filename: f.filename, size: f.size })),
    total,
    limit: MAX_ATTACHMENTS_BYTES,
  });
}

/** Throws sizeLimitError when the files together are over the limit. */
export function checkTotalSize(files: SizedFile[]) {
  if (files.reduce((sum, f) => sum + f.size, 0) > MAX_ATTACHMENTS_BYTES) throw sizeLimitError(files);
}
