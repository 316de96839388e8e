/**
 * Scripted failures: a test queues what should go wrong (an error status, a slow answer, a
 * dropped connection) and the emulator applies it to the next matching requests before any
 * normal handling. Faults are tried in the order they were added; the first one that matches and
 * has uses left is consumed.
 */
import type http from 'node:http';
import { seededRandom, type Random } from './random';

export interface FaultSpec {
  /** Only requests with this method (any when omitted). */
  method?: string;
  /** Exact path (without the query) or a pattern tested against the path. */
  path: string | RegExp;
  /** Only requests to this server of the emulator (e.g. 'identity' or 'graph'; any when omitted). */
  server?: string;
  /** Status to answer. Without it (and without reset) the fault only delays the normal answer. */
  status?: number;
  /** Answer body: an object is sent as JSON, a string as HTML. Defaults to the provider's error shape for the status. */
  body?: unknown;
  headers?: http.OutgoingHttpHeaders;
  /** How many requests this fault applies to (default 1; Infinity for "until cleared"). */
  times?: number;
  /** Wait this long before answering (or before resetting). */
  delayMs?: number;
  /** Destroy the connection instead of answering (the client sees ECONNRESET / "socket hang up"). */
  reset?: boolean;
  /**
   * Applies to one request inside a batch (Gmail's multipart batch, Graph's $batch) instead of to
   * whole HTTP requests: the part gets the status while the batch itself answers 200. `path` and
   * `method` are then those of the inner request. A reset drops the whole batch's connection.
   */
  batchPart?: boolean;
  /**
   * Applies to each matching request with this probability (0–1), drawn from a seeded source so a
   * run repeats exactly: "occasional 500 backendError" is `{ status: 500, times: Infinity, probability: 0.02 }`.
   * A request it skips can still match a later fault. Default 1.
   */
  probability?: number;
}

export interface Fault extends FaultSpec {
  /** Uses left; 0 once consumed. */
  remaining: number;
  /** How many requests it has been applied to. */
  hits: number;
}

export class Faults {
  private queue: Fault[] = [];
  private readonly random: Random;

  constructor(seed: string | number = 'faults') {
    this.random = seededRandom(seed);
  }

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, remaining: spec.times ?? 1, hits: 0 };
    this.queue.push(fault);
    return fault;
  }

  /** Faults with uses left, in the order they will be tried. */
  get pending(): readonly Fault[] {
    return this.queue.filter((f) => f.remaining > 0);
  }

  clear() {
    this.queue = [];
  }

  /** The fault for this request (or batch part), consuming one use, or undefined. */
  take(server: string, method: string, path: string, batchPart = false): Fault | undefined {
    const fault = this.queue.find(
      (f) =>
        f.remaining > 0 &&
        Boolean(f.batchPart) === batchPart &&
        (!f.server || f.server === server) &&
        (!f.method || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? f.path === path : matches(f.path, path)) &&
        (f.probability === undefined || this.random() < f.probability),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    if (fault.remaining <= 0) this.queue = this.queue.filter((f) => f !== fault);
    return fault;
  }
}

function matches(pattern: RegExp, path: string) {
  // A /g or /y pattern keeps its position between calls; each request starts afresh.
  pattern.lastIndex = 0;
  return pattern.test(path);
}
