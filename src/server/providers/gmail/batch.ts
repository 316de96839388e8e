/**
 * Gmail's HTTP batch format (multipart/mixed of application/http parts). googleapis has no batch
 * helper, so the request is sent with the OAuth client's `request()` (which adds and refreshes the
 * bearer token) and the parts are written and read here.
 */
import crypto from 'node:crypto';

export interface BatchPartRequest {
  /** Echoed back in the answer's Content-ID, to match answers to requests. */
  id: string;
  /** Path and query, e.g. `/gmail/v1/users/me/messages/ID?format=raw`. */
  path: string;
}

export interface BatchPartResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A `format=raw` message resource as the batch reader hands it over: the MIME already decoded. */
export interface DecodedRawResource {
  id?: string | null;
  threadId?: string | null;
  labelIds?: string[] | null;
  internalDate?: string | null;
  sizeEstimate?: number | null;
  snippet?: string | null;
  rawBytes: Uint8Array;
}

/**
 * Reads a batch answer from its bytes and decodes each message's `raw` (base64url) into bytes.
 * For a 5 MB mail that is 7 MB of text to decode, split, JSON-parse and base64-decode, about
 * 150–250 ms of CPU at once: batch-thread.ts runs this in the worker thread for large answers.
 */
export function decodeBatchAnswer(contentType: string, bytes: Uint8Array): BatchPartResponse[] {
  const parts = parseBatchResponse(contentType, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  for (const part of parts) {
    const body = part.body as { raw?: unknown } | null;
    if (!body || typeof body !== 'object' || typeof body.raw !== 'string') continue;
    const { raw, ...rest } = body;
    part.body = { ...rest, rawBytes: ownedBytes(Buffer.from(raw, 'base64url')) };
  }
  return parts;
}

/** Bytes with an ArrayBuffer of their own (a small Buffer shares Node's pool, which must never be transferred). */
function ownedBytes(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return buffer;
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return copy;
}

export function buildBatchBody(parts: BatchPartRequest[]) {
  const boundary = `batch_${crypto.randomBytes(12).toString('hex')}`;
  const body =
    parts
      .map((p) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <${p.id}>\r\n\r\nGET ${p.path}\r\n\r\n`)
      .join('') + `--${boundary}--\r\n`;
  return { boundary, body };
}

/** Reads a batch answer; parts whose Content-ID does not name a request are ignored. */
export function parseBatchResponse(contentType: string, body: string): BatchPartResponse[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error(`Gmail batch answer without a boundary (${contentType})`);
  const out: BatchPartResponse[] = [];
  for (const chunk of body.split(`--${boundary}`)) {
    const part = chunk.replace(/^\r?\n/, '');
    if (!part.trim() || part.startsWith('--')) continue;
    const [outerHead, inner] = splitOnce(part);
    const id = /content-id:\s*<?(?:response-)?([^>\r\n]+)>?/i.exec(outerHead)?.[1]?.trim();
    if (!id || inner === undefined) continue;
    const [innerHead, innerBody = ''] = splitOnce(inner);
    const [statusLine, ...headerLines] = innerHead.split(/\r?\n/);
    const status = Number(/^HTTP\/[\d.]+\s+(\d{3})/.exec(statusLine)?.[1] || 0);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const text = innerBody.trim();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // An HTML error page from a front end: keep the text for the error message.
    }
    out.push({ id, status, headers, body: parsed });
  }
  return out;
}

function splitOnce(text: string): [string, string | undefined] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, undefined];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}
