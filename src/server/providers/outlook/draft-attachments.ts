/**
 * The files of an Outlook draft, made equal to what the mail should carry (S-SEND-5): Graph takes
 * attachments one by one, a file under 3 MB in a single POST (base64 in JSON; Graph refuses
 * requests over 4 MB) and a larger one through an upload session, whose pre-authenticated URL
 * takes the bytes in ranges with plain PUTs (no Authorization header, as Graph's protocol asks).
 * Files the draft already holds (a forward copies the original's, a saved draft keeps its own)
 * are kept, so a forward or an auto-save does not upload them again.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { OutgoingAttachment, ProviderUnavailableError } from '../types';

export const OUTLOOK_ATTACHMENT_LIMITS = {
  /** Graph: "if the file size is under 3 MB, do a single POST on the attachments navigation property". */
  simpleMaxBytes: 3 * 1024 * 1024,
  /** Bytes per PUT of an upload session: under Graph's 4 MB advice, a multiple of 320 KiB. */
  chunkBytes: 10 * 320 * 1024,
  /**
   * Graph's `size` of an attachment counts the item as stored, a little more than the file: a
   * file already on the draft is recognised by name and a size this close.
   */
  sizeToleranceBytes: 8 * 1024,
};

const PREFER = 'IdType="ImmutableId"';

type Retryable = (error: unknown) => error is ProviderUnavailableError;
export type OutlookCall = <T>(what: string, run: () => Promise<T>, retryable?: Retryable) => Promise<T>;

interface DraftFile {
  id: string;
  name: string;
  size: number;
  isInline: boolean;
  contentId?: string | null;
}

export class DraftAttachments {
  constructor(
    private readonly client: Client,
    private readonly call: OutlookCall,
  ) {}

  /** Makes the files of draft `id` those of `wanted`; `empty`: the draft is known to hold none. */
  async sync(id: string, wanted: OutgoingAttachment[], empty: boolean) {
    const base = `/me/messages/${encodeURIComponent(id)}/attachments`;
    const present: DraftFile[] = empty
      ? []
      : ((await this.call('attachment list', () => this.client.api(base).header('Prefer', PREFER).select(['id', 'name', 'size', 'isInline', 'contentId']).get())).value ?? []);
    const missing: OutgoingAttachment[] = [];
    const kept = new Set<string>();
    for (const file of wanted) {
      const match = present.find((p) => !kept.has(p.id) && sameFile(p, file));
      if (match) kept.add(match.id);
      else missing.push(file);
    }
    for (const extra of present.filter((p) => !kept.has(p.id))) {
      await this.call('attachment delete', () => this.client.api(`${base}/${encodeURIComponent(extra.id)}`).delete()).catch((error) => {
        if ((error as { status?: number }).status !== 404) throw error;
      });
    }
    for (const file of missing) {
      if (file.size < OUTLOOK_ATTACHMENT_LIMITS.simpleMaxBytes) await this.post(base, file);
      else await this.upload(base, file);
    }
  }

  private async post(base: string, file: OutgoingAttachment) {
    const content = await file.content();
    const body = {
      '@odata.type': '#microsoft.graph.fileAttachment',
      name: file.filename,
      contentType: file.mimeType,
      contentBytes: content.toString('base64'),
      isInline: file.inline,
      ...(file.contentId ? { contentId: file.contentId } : {}),
    };
    await this.call('attachment add', () => this.client.api(base).header('Prefer', PREFER).post(body));
  }

  /** Graph's large-attachment protocol: a session, then the bytes in order, each PUT told where to go on. */
  private async upload(base: string, file: OutgoingAttachment) {
    const content = await file.content();
    const item = {
      attachmentType: 'file',
      name: file.filename,
      size: content.length,
      contentType: file.mimeType,
      isInline: file.inline,
      ...(file.contentId ? { contentId: file.contentId } : {}),
    };
    const session = await this.call('upload session', () => this.client.api(`${base}/createUploadSession`).post({ AttachmentItem: item }));
    let next = nextStart(session.nextExpectedRanges);
    while (next !== null && next < content.length) {
      const start = next;
      const end = Math.min(start + OUTLOOK_ATTACHMENT_LIMITS.chunkBytes, content.length) - 1;
      next = await this.call('attachment upload', () => putRange(session.uploadUrl, content, start, end));
    }
  }
}

/**
 * One range PUT; the next byte the service expects, or null once the attachment is complete
 * (201). Failures are thrown in the Graph client's error shape, for the caller's mapGraphError.
 */
async function putRange(url: string, content: Buffer, start: number, end: number): Promise<number | null> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Range': `bytes ${start}-${end}/${content.length}`,
      'Content-Length': String(end - start + 1),
    },
    // A copy: fetch wants a plain Uint8Array, and a range is at most one chunk.
    body: new Uint8Array(content.subarray(start, end + 1)),
  });
  if (response.status === 201) return null;
  const body = (await response.json().catch(() => ({}))) as { nextExpectedRanges?: unknown; error?: { message?: string; code?: string } };
  if (response.ok) return nextStart(body.nextExpectedRanges) ?? end + 1;
  const message = body?.error?.message || `HTTP ${response.status}`;
  throw Object.assign(new Error(message), { statusCode: response.status, code: body?.error?.code, headers: response.headers });
}

/** "2097152-" or "2097152-3483321" → 2097152. */
function nextStart(ranges: unknown): number | null {
  const first = Array.isArray(ranges) ? String(ranges[0] ?? '') : '';
  const value = Number(first.split('-')[0]);
  return first && Number.isFinite(value) ? value : null;
}

function sameFile(present: DraftFile, file: OutgoingAttachment) {
  return (
    present.name === file.filename &&
    Boolean(present.isInline) === file.inline &&
    (!file.inline || normalize(present.contentId) === normalize(file.contentId)) &&
    Math.abs((present.size || 0) - file.size) <= OUTLOOK_ATTACHMENT_LIMITS.sizeToleranceBytes
  );
}

const normalize = (cid: string | null | undefined) => (cid || '').replace(/^<|>$/g, '').toLowerCase();
