/**
 * Large mail off the main thread. postal-mime decodes a body synchronously: a 5 MB part keeps the
 * event loop about a second (base64 at ~20 µs a line), and every user of the app waits that long,
 * on each import or sent copy of such a mail; building the MIME of a 5 MB composed HTML body
 * (its plain text, its quoted-printable) takes a few hundred milliseconds, and reading a Gmail
 * batch answer with a 5 MB message about 200 ms (offThread). Inputs above OFF_THREAD_MIN_BYTES therefore go to one worker thread
 * per process (mime-worker.ts), one at a time in arrival order; smaller ones, the great majority,
 * stay in place (a worker round trip costs more than they do). A worker that fails to start or
 * dies is replaced on the next large input; if none can run, the work stays in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseMime, type ParsedMessage } from './parse';

/** Below this a message parses in a few milliseconds in place. */
export const OFF_THREAD_MIN_BYTES = 128 * 1024;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let unavailable = false;
let nextId = 1;
const pending = new Map<number, Pending>();
/** Messages parsed in the worker since start (for the tests and the bench). */
export const mimeWorkerStats = { jobs: 0 };

/** The worker's file: compiled JS in dist, TypeScript (through tsx) when running from src. */
function workerFile(): { file: string; typescript: boolean } | null {
  for (const [name, typescript] of [['mime-worker.js', false], ['mime-worker.ts', true]] as const) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return { file, typescript };
  }
  return null;
}

function startWorker(): Worker | null {
  if (worker || unavailable) return worker;
  const found = workerFile();
  if (!found) {
    unavailable = true;
    return null;
  }
  // From src (tests, bench), tsx compiles the worker's TypeScript as it loads.
  const started = found.typescript
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(found.file)});`, { eval: true })
    : new Worker(found.file);
  started.unref();
  started.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (!waiting) return;
    if (error === undefined) {
      mimeWorkerStats.jobs += 1;
      waiting.resolve(result);
    } else waiting.reject(new Error(error || 'the MIME worker failed'));
  });
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the MIME worker stopped (exit ${code})`)));
  worker = started;
  return worker;
}

/** Structured clone gives plain Uint8Arrays; the rest of the plugin expects Buffers. */
function revive(parsed: ParsedMessage): ParsedMessage {
  for (const attachment of parsed.attachments) {
    const c = attachment.content;
    attachment.content = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  }
  return parsed;
}

/** Runs one job in the worker; rejects when the worker dies on it. */
function inWorker<T>(running: Worker, job: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    running.postMessage({ id, ...job }, transfer);
  });
}

/** parseMime, off the main thread for large messages. Never throws, like parseMime. */
export async function parseMimeOffThread(raw: Buffer | Uint8Array): Promise<ParsedMessage> {
  const running = raw.byteLength >= OFF_THREAD_MIN_BYTES ? startWorker() : null;
  if (!running) return parseMime(raw);
  // A copy goes over (transferred): the caller keeps its buffer.
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  try {
    return revive(await inWorker<ParsedMessage>(running, { op: 'parse', raw: copy }, [copy.buffer]));
  } catch {
    // The worker died on this message: parse in place, which at worst stores its headers.
    return parseMime(raw);
  }
}

/**
 * Any other job of the worker (see mime-worker.ts for the ops), for inputs of OFF_THREAD_MIN_BYTES
 * or more; `inPlace` runs it here when the input is small, no worker can run or the worker died
 * on it (so `transfer` must hold nothing `inPlace` reads).
 */
export async function offThread<T>(size: number, job: Record<string, unknown>, transfer: ArrayBuffer[], inPlace: () => T | Promise<T>): Promise<T> {
  const running = size >= OFF_THREAD_MIN_BYTES ? startWorker() : null;
  if (!running) return inPlace();
  try {
    return await inWorker<T>(running, job, transfer);
  } catch {
    // The worker died on this input (nothing was transferred that the caller still needs).
    return inPlace();
  }
}

/** Stops the worker (plugin unload, tests). */
export async function stopMimeWorker() {
  const running = worker;
  worker = null;
  await running?.terminate();
}
