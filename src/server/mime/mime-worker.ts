/**
 * The worker thread of parse-thread.ts: what takes the CPU for a whole large message at once,
 * done away from the app's event loop. `parse`: raw MIME through postal-mime, whose decoders run
 * synchronously for a whole body (a 5 MB base64 part about a second); attachment bytes go back
 * transferred, not copied. `build`: the MIME of a large outgoing mail, with the plain text of
 * its HTML (build-mime.ts). `quote`: the safe quote of a large original (send/quote-html.ts).
 * `gmailBatch`: a large Gmail batch answer read and its messages' base64url MIME decoded
 * (providers/gmail/batch-thread.ts); the MIME bytes go back transferred.
 */
import { parentPort } from 'node:worker_threads';
import { decodeBatchAnswer } from '../providers/gmail/batch';
import { safeQuotedHtml } from '../send/quote-html';
import { buildMimeInPlace, type MimeInput } from './build-mime';
import { parseMime } from './parse';

type Job =
  | { id: number; op: 'parse'; raw: Uint8Array }
  | { id: number; op: 'gmailBatch'; contentType: string; bytes: Uint8Array }
  | { id: number; op: 'build'; input: MimeInput }
  | { id: number; op: 'quote'; html: string; text: string };

parentPort?.on('message', async (job: Job) => {
  try {
    if (job.op === 'quote') {
      parentPort!.postMessage({ id: job.id, result: safeQuotedHtml(job.html, job.text) });
      return;
    }
    if (job.op === 'build') {
      const built = await buildMimeInPlace(job.input);
      // Transferred only when the bytes own their buffer (never a slice of Node's shared pool).
      const owned = built.byteOffset === 0 && built.byteLength === built.buffer.byteLength;
      parentPort!.postMessage({ id: job.id, result: built }, owned ? [built.buffer as ArrayBuffer] : []);
      return;
    }
    if (job.op === 'gmailBatch') {
      const parts = decodeBatchAnswer(job.contentType, job.bytes);
      const transfer = parts.map((p) => (p.body as { rawBytes?: Uint8Array } | null)?.rawBytes?.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      parentPort!.postMessage({ id: job.id, result: parts }, transfer);
      return;
    }
    const parsed = await parseMime(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength));
    const transfer = parsed.attachments.map((a) => a.content.buffer).filter((b, i, all) => b.byteLength && all.indexOf(b) === i);
    parentPort!.postMessage({ id: job.id, result: parsed }, transfer as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
