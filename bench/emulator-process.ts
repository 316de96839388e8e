/**
 * A provider emulator in its own process, for figures that measure this process's event loop
 * (P8). In production Gmail and Graph are other machines: the work of parsing a 5 MB mail and
 * serving it as JSON is theirs, not the app's. With the emulator in the bench's process that work
 * showed up as event-loop stalls of the app (up to ~460 ms for a 5 MB draft).
 *
 * The child (this file run with EMULATOR_CHILD set) starts the emulator and answers calls of its
 * control API over the IPC channel; the parent gets an object with the same method names, each
 * returning a promise. `advanced` serialization carries Buffers (as Uint8Array, turned back into
 * Buffers in the child) and Dates. A result that cannot be cloned (an object holding functions,
 * such as the user addUser returns) comes back as null: the figures use none of those.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { startGoogleEmulator, startMicrosoftEmulator } from '../dev/emulators';

type Kind = 'gmail' | 'outlook';
interface Call {
  id: number;
  method: string;
  args: unknown[];
}
type Reply = { id: number; result?: unknown; error?: string } | { ready: true; env: Record<string, string>; url: string };

/** What the parent sees: the emulator's env and url, and every control method as an async call. */
export interface RemoteEmulator {
  readonly env: Record<string, string>;
  readonly url: string;
  close(): Promise<void>;
  [method: string]: any;
}

export async function startEmulatorProcess(kind: Kind, options: Record<string, unknown>): Promise<RemoteEmulator> {
  const child = fork(__filename, [], {
    env: { ...process.env, EMULATOR_CHILD: JSON.stringify({ kind, options }) },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<{ env: Record<string, string>; url: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code} before it was ready`)));
    child.on('message', (reply: Reply) => {
      if ('ready' in reply) return resolve(reply);
      const call = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error !== undefined) call?.reject(new Error(reply.error));
      else call?.resolve(reply.result);
    });
  });
  const { env, url } = await ready;
  const call = (method: string, args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, method, args } satisfies Call);
    });
  const close = () => stop(child, () => call('close', []));
  return new Proxy({ env, url, close } as RemoteEmulator, {
    // `then` stays undefined: `await startEmulatorProcess()` must not take the proxy for a promise.
    get: (target, name) => (typeof name !== 'string' || name === 'then' || name in target ? (target as any)[name] : (...args: unknown[]) => call(name, args)),
  });
}

async function stop(child: ChildProcess, close: () => Promise<unknown>) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await close().catch(() => undefined);
  child.disconnect();
  await exited;
}

/** Uint8Arrays arrive where the caller sent Buffers (e.g. `raw` of addMessage). */
function revive(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (depth < 3 && Array.isArray(value)) return value.map((v) => revive(v, depth + 1));
  if (depth < 3 && value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, depth + 1)]));
  }
  return value;
}

async function serve() {
  const { kind, options } = JSON.parse(process.env.EMULATOR_CHILD!) as { kind: Kind; options: Record<string, unknown> };
  const emulator: any = kind === 'gmail' ? await startGoogleEmulator(options) : await startMicrosoftEmulator(options);
  process.on('message', async ({ id, method, args }: Call) => {
    const send = (reply: Reply) => {
      try {
        process.send!(reply);
      } catch {
        process.send!({ id, result: null });
      }
    };
    try {
      if (typeof emulator[method] !== 'function') throw new Error(`the emulator has no method ${method}`);
      send({ id, result: await emulator[method](...(revive(args) as unknown[])) });
    } catch (error) {
      send({ id, error: (error as Error)?.message ?? String(error) });
    }
  });
  // The parent left (or closed us): nothing else keeps this process.
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true, env: emulator.env, url: emulator.url });
}

if (process.env.EMULATOR_CHILD) void serve();
