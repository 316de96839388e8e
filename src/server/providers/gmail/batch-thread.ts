/**
 * A Gmail batch answer read off the main thread when it is large (a message of a few MB in
 * `format=raw`): decoding, splitting, JSON-parsing and base64-decoding it held the event loop
 * 150–250 ms for a 5 MB mail. Small answers, nearly all of them, are read in place.
 */
import { offThread } from '../../mime/parse-thread';
import { decodeBatchAnswer, type BatchPartResponse } from './batch';

export async function readBatchAnswer(contentType: string, data: ArrayBuffer | Uint8Array): Promise<BatchPartResponse[]> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const parts = await offThread<BatchPartResponse[]>(bytes.byteLength, { op: 'gmailBatch', contentType, bytes }, [], () => decodeBatchAnswer(contentType, bytes));
  for (const part of parts) {
    const body = part.body as { rawBytes?: Uint8Array } | null;
    // Structured clone gives plain Uint8Arrays; the MIME parser and the store expect Buffers.
    if (body?.rawBytes && !Buffer.isBuffer(body.rawBytes)) body.rawBytes = Buffer.from(body.rawBytes.buffer, body.rawBytes.byteOffset, body.rawBytes.byteLength);
  }
  return parts;
}
