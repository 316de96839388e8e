/**
 * The files of one compose (S-SEND-5/7): uploads the user picked or pasted, and stored files
 * (a forwarded original's, a quote's inline images, a saved draft's own). Pure functions over
 * that list: what the 25 MB check counts, what is shown as a chip, what goes to the server.
 */
import { normalizeCid } from '../../shared/content-id';
import type { AttachmentView } from '../../shared/mail-center-api';
import { MAX_ATTACHMENTS_BYTES } from '../../shared/send-api';

interface FileBase {
  /** Stable key for React and for updates while an upload runs. */
  key: string;
  filename: string;
  size: number;
  mimeType: string;
  /** Set for an inline image: the HTML shows it as `<img src="cid:…">`. */
  contentId?: string | null;
  /** An image the user put into the editor (pasted, dropped, or by the image button). */
  editorImage?: boolean;
  /** An inline image of the quote below a reply or forward: it goes only while the quote shows it. */
  quoteImage?: boolean;
}

export interface UploadFile extends FileBase {
  kind: 'upload';
  /** Known once the upload finished. */
  uploadId?: string;
  status: 'uploading' | 'done' | 'error';
  /** 0…1 while uploading. */
  progress?: number;
  error?: string;
}

export interface StoredFile extends FileBase {
  kind: 'stored';
  attachmentId: number;
}

export type ComposeFile = UploadFile | StoredFile;

/** A file that would push the mail over the limit, refused before any upload. */
export interface RejectedFile {
  filename: string;
  size: number;
}

let counter = 0;
export function fileKey(prefix = 'f'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function storedFile(a: AttachmentView, editorImage = false): StoredFile {
  return {
    key: fileKey('s'),
    kind: 'stored',
    attachmentId: a.id,
    filename: a.filename,
    size: a.size,
    mimeType: a.mimeType,
    contentId: a.contentId,
    editorImage,
  };
}

/** Content ids the HTML refers to as `cid:…` (as written, without the scheme). */
export function referencedCids(html: string): Set<string> {
  const out = new Set<string>();
  for (const m of html.matchAll(/\bsrc\s*=\s*["']?cid:([^"'\s>]+)/gi)) out.add(cleanCid(m[1]));
  return out;
}

/** A content id as the editor compares them: clean and lower-case (shared/content-id.ts). */
export const cleanCid = normalizeCid;

/** An inline file the mail's HTML shows: it travels with its Content-ID. */
export function isShownInline(file: ComposeFile, cids: Set<string>): boolean {
  return Boolean(file.contentId && cids.has(cleanCid(file.contentId)));
}

/**
 * The files that go out with the mail: every chip, and the inline images the HTML still shows.
 * An editor image the user deleted is left behind.
 */
export function filesToSend(files: ComposeFile[], html: string): ComposeFile[] {
  const cids = referencedCids(html);
  return files.filter((f) => {
    if (f.kind === 'upload' && f.status === 'error') return false;
    if (isShownInline(f, cids)) return true;
    return !f.editorImage && !f.quoteImage;
  });
}

/** The chips under the editor: files that are not images inside the body or the quote. */
export function attachmentChips(files: ComposeFile[], html: string): ComposeFile[] {
  const cids = referencedCids(html);
  return files.filter((f) => !f.editorImage && !f.quoteImage && !isShownInline(f, cids));
}

/**
 * Sorts stored files when a compose opens: images the body shows are editor images, images
 * only the quote shows are quote images, the rest are chips.
 */
export function classifyStored(files: StoredFile[], bodyHtml: string, quoteHtml: string): StoredFile[] {
  const inBody = referencedCids(bodyHtml);
  const inQuote = referencedCids(quoteHtml);
  return files.map((f) => {
    const cid = f.contentId ? cleanCid(f.contentId) : null;
    if (cid && inBody.has(cid)) return { ...f, editorImage: true };
    if (cid && inQuote.has(cid)) return { ...f, quoteImage: true };
    return f;
  });
}

export function totalSize(files: { size: number }[]): number {
  return files.reduce((sum, f) => sum + (Number(f.size) || 0), 0);
}

/**
 * The 25 MB rule, before any upload: files are taken in order while they fit; each that would
 * push the total over the limit is refused (with its size, for the message).
 */
export function admitFiles<T extends { name: string; size: number }>(current: number, picked: T[], limit = MAX_ATTACHMENTS_BYTES) {
  const accepted: T[] = [];
  const rejected: RejectedFile[] = [];
  let total = current;
  for (const file of picked) {
    if (total + file.size > limit) {
      rejected.push({ filename: file.name, size: file.size });
      continue;
    }
    total += file.size;
    accepted.push(file);
  }
  return { accepted, rejected, total };
}

/** What the send API takes for the files: uploads by upload id, stored files by attachment id. */
export function fileRefs(files: ComposeFile[], html: string) {
  const cids = referencedCids(html);
  const attachmentIds: (string | { id: string; contentId?: string })[] = [];
  const forwardAttachmentIds: (number | { id: number; contentId?: string })[] = [];
  for (const f of filesToSend(files, html)) {
    const contentId = isShownInline(f, cids) ? f.contentId! : undefined;
    if (f.kind === 'upload') {
      if (!f.uploadId) continue;
      attachmentIds.push(contentId ? { id: f.uploadId, contentId } : f.uploadId);
    } else {
      forwardAttachmentIds.push(contentId ? { id: f.attachmentId, contentId } : f.attachmentId);
    }
  }
  return { attachmentIds, forwardAttachmentIds };
}
