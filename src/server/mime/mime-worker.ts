/**
 * The worker thread of parse-thread.ts: what takes the CPU for a whole large message at once,
 * done away from the app's event loop. `parse`: raw MIME through postal-mime, whose decoders run
 * synchronously for a whole body (a 5 MB base64 part about a second); attachment bytes go back
 * transferred, not copied. `text`: the plain-text part of a large composed HTML body.
 */
import { parentPort } from 'node:worker_threads';
import { htmlToPlainText } from './html-text';
import { parseMime } from './parse';

type Job = { id: number; op: 'parse'; raw: Uint8Array } | { id: number; op: 'text'; html: string };

parentPort?.on('message', async (job: Job) => {
  try {
    if (job.op === 'text') {
      parentPort!.postMessage({ id: job.id, result: htmlToPlainText(job.html) });
      return;
    }
    const parsed = await parseMime(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength));
    const transfer = parsed.attachments.map((a) => a.content.buffer).filter((b, i, all) => b.byteLength && all.indexOf(b) === i);
    parentPort!.postMessage({ id: job.id, result: parsed }, transfer as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
