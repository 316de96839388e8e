/**
 * Client-side limits that keep a mailbox under its provider quota (S-SYNC-8), and the retry
 * policy for what still goes wrong. Providers name their own numbers; this file has the mechanics.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Bottleneck from 'bottleneck';
import { ProviderUnavailableError } from './types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * At most `limit` units in any `windowMs` window. Stricter than a token bucket of the same size,
 * so it stays under the provider's limit whichever way the provider counts.
 */
export class SlidingWindow {
  private spent: { at: number; units: number }[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Waits until `units` fit, then books them. Callers are served in order. */
  take(units: number): Promise<void> {
    const turn = this.queue.then(() => this.book(Math.min(units, this.limit)));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** After a 429 the provider's count is what matters: book nothing until it lets us in again. */
  pauseFor(ms: number) {
    this.spent.push({ at: Date.now() + ms - this.windowMs, units: this.limit });
  }

  private async book(units: number) {
    for (;;) {
      const now = Date.now();
      this.spent = this.spent.filter((s) => s.at + this.windowMs > now);
      const used = this.spent.reduce((sum, s) => sum + s.units, 0);
      if (used + units <= this.limit) {
        this.spent.push({ at: now, units });
        return;
      }
      // Wait until enough of the oldest spending leaves the window.
      let freed = 0;
      let waitUntil = now;
      for (const s of this.spent) {
        freed += s.units;
        waitUntil = s.at + this.windowMs;
        if (used - freed + units <= this.limit) break;
      }
      await sleep(Math.max(5, waitUntil - now));
    }
  }
}

/**
 * At most `max` requests at once (Graph: 4 concurrent requests per mailbox). A call may hold
 * several slots: Graph runs the parts of a `$batch` at the same time and counts each of them.
 * Callers are served in order, so a batch waiting for its slots is not overtaken for ever.
 */
export class Concurrency {
  // Bottleneck's weights count against maxConcurrent and its queue is FIFO: a job whose weight
  // does not fit yet waits at the head, and nothing behind it overtakes.
  private readonly limiter: Bottleneck;

  constructor(readonly max: number) {
    this.limiter = new Bottleneck({ maxConcurrent: max });
  }

  run<T>(work: () => Promise<T>, slots = 1): Promise<T> {
    const weight = Math.min(Math.max(1, slots), this.max);
    return this.limiter.schedule({ weight }, work);
  }
}

/** Limits are per mailbox and shared by every call to it in this process. */
export function perMailbox<T>(create: () => T) {
  const byKey = new Map<string, T>();
  return (key: string) => {
    let value = byKey.get(key);
    if (!value) byKey.set(key, (value = create()));
    return value;
  };
}

export const RETRY = {
  /** Tries of one request before the error reaches the engine (which keeps its cursor and retries next run). */
  attempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  /** A Retry-After longer than this is not slept through: the run stops as throttled. */
  maxRetryAfterMs: 120_000,
};

/**
 * A user waiting on a click (mark read, archive…) should hear of a failure within seconds, not
 * after the patient retries of a background sync: such calls run inside `withRetryBudget`.
 */
const retryBudget = new AsyncLocalStorage<{ attempts: number; maxRetryAfterMs: number }>();
export const INTERACTIVE_RETRY = { attempts: 3, maxRetryAfterMs: 5_000 };

export function withRetryBudget<T>(budget: { attempts: number; maxRetryAfterMs: number }, run: () => Promise<T>): Promise<T> {
  return retryBudget.run(budget, run);
}

/** The provider asked us to wait longer than a run should sleep. */
export class ThrottledError extends Error {
  constructor(readonly until: Date) {
    super(`Throttled by the provider until ${until.toISOString()}`);
    this.name = 'ThrottledError';
  }
}

/** Every temporary failure (5xx, resets, 429) is worth another try: the default. */
export const isTemporary = (error: unknown): error is ProviderUnavailableError => error instanceof ProviderUnavailableError;

/**
 * Only "slow down" answers (429, Gmail's 403 rate limits): the request was refused, not processed.
 * For calls that must not run twice (sending), where a 5xx or a reset may hide a success.
 */
export const isThrottled = (error: unknown): error is ProviderUnavailableError =>
  error instanceof ProviderUnavailableError && (error.status === 429 || error.status === 403);

/**
 * Runs `call`, retrying what is temporary (5xx, resets, 429; or only what `retryable` accepts)
 * with exponential backoff and full jitter, honouring Retry-After. Anything else is thrown at once.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  onThrottle?: (ms: number) => void,
  retryable: (error: unknown) => error is ProviderUnavailableError = isTemporary,
): Promise<T> {
  const budget = retryBudget.getStore() ?? RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error) || attempt >= budget.attempts) throw error;
      const askedMs = error.retryAfter != null ? error.retryAfter * 1000 : undefined;
      if (askedMs != null && askedMs > budget.maxRetryAfterMs) throw new ThrottledError(new Date(Date.now() + askedMs));
      if (askedMs != null) onThrottle?.(askedMs);
      const backoff = Math.min(RETRY.maxDelayMs, RETRY.baseDelayMs * 2 ** (attempt - 1));
      await sleep(askedMs ?? Math.random() * backoff);
    }
  }
}

/** Seconds from a Retry-After header (seconds or an HTTP date). */
export function retryAfterSeconds(value: unknown): number | undefined {
  if (value == null || value === '') return undefined;
  const text = String(value);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}
