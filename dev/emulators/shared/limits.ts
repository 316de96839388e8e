/**
 * The provider-side limits the emulators enforce (Gmail's per-user quota units per minute,
 * Graph's requests per 10 minutes and concurrent requests per mailbox), and the per-user usage
 * counters tests and benches read ("requests per 1,000 messages", "429s sent").
 */

export interface LimitOptions {
  /**
   * Multiplies the real limits: 1 = the real service, 0.1 = a tenth (e.g. 1,500 Gmail units a
   * minute), 0 = no limits. Default 1.
   */
  quotaScale?: number;
  /** False turns every limit off (same as quotaScale 0). Default true. */
  quotas?: boolean;
  /**
   * Milliseconds each API request takes on the emulated server before it is answered. Concurrency
   * limits only bite when requests overlap, which needs this > 0 (handlers are otherwise instant).
   * Default 0.
   */
  latencyMs?: number;
  /** Seed of everything chosen at random (ids, page sizes, answer order). Default 'emulator'. */
  seed?: string | number;
}

/** At most `limit` units in any `windowMs`; a request that does not fit is refused, not queued. */
export class SlidingWindow {
  private spent: { at: number; units: number }[] = [];
  private head = 0;
  private used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Books the units and returns 0, or returns the milliseconds until they would fit. */
  take(units: number, now = Date.now()): number {
    this.expire(now);
    if (this.used + units <= this.limit) {
      this.spent.push({ at: now, units });
      this.used += units;
      return 0;
    }
    let freed = 0;
    for (let i = this.head; i < this.spent.length; i++) {
      freed += this.spent[i].units;
      if (this.used - freed + units <= this.limit) return this.spent[i].at + this.windowMs - now;
    }
    // More than the whole window allows: it never fits; say "a full window".
    return this.windowMs;
  }

  get usedUnits() {
    this.expire(Date.now());
    return this.used;
  }

  reset() {
    this.spent = [];
    this.head = 0;
    this.used = 0;
  }

  private expire(now: number) {
    while (this.head < this.spent.length && this.spent[this.head].at + this.windowMs <= now) {
      this.used -= this.spent[this.head].units;
      this.head += 1;
    }
    // Compact now and then so a long run does not keep every booking.
    if (this.head > 1024 && this.head * 2 > this.spent.length) {
      this.spent = this.spent.slice(this.head);
      this.head = 0;
    }
  }
}

/** Requests in flight for one mailbox. */
export class InFlight {
  private active = 0;
  peak = 0;

  constructor(readonly limit: number) {}

  /** Counts the request in; with `enforce`, refuses (false) at the limit instead. */
  enter(enforce = true): boolean {
    if (enforce && this.active >= this.limit) return false;
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    return true;
  }

  leave() {
    this.active = Math.max(0, this.active - 1);
  }

  get current() {
    return this.active;
  }
}

export interface Usage {
  /** HTTP requests by kind (list, get, history, batch, delta, …). Parts of a batch are not requests. */
  requests: Record<string, number>;
  /** All HTTP requests. */
  total: number;
  /** Requests carried inside batches. */
  batchParts: number;
  /** API calls by method ('messages.get', 'messages.delta', …), batch parts included. */
  methods: Record<string, number>;
  /** Quota units booked (Gmail units; Graph: requests counted against the 10-minute window). */
  units: number;
  /** Rate-limit answers sent (429, and Gmail's 403 userRateLimitExceeded). */
  throttled: number;
  /** Most requests in flight at once for this mailbox. */
  peakConcurrency: number;
}

export function newUsage(): Usage {
  return { requests: {}, total: 0, batchParts: 0, methods: {}, units: 0, throttled: 0, peakConcurrency: 0 };
}

/** Per-user usage, created on first use. */
export class UsageBook {
  private byUser = new Map<string, Usage>();

  of(email: string): Usage {
    const key = email.toLowerCase();
    let usage = this.byUser.get(key);
    if (!usage) this.byUser.set(key, (usage = newUsage()));
    return usage;
  }

  /** One API call: a request of `kind` (or a batch part) for `method`. */
  count(email: string, kind: string, method: string, inBatch: boolean) {
    const usage = this.of(email);
    usage.methods[method] = (usage.methods[method] || 0) + 1;
    if (inBatch) usage.batchParts += 1;
    else this.request(email, kind);
    return usage;
  }

  request(email: string, kind: string) {
    const usage = this.of(email);
    usage.requests[kind] = (usage.requests[kind] || 0) + 1;
    usage.total += 1;
  }

  snapshot(email: string): Usage {
    return structuredClone(this.of(email));
  }

  reset(email?: string) {
    if (email) this.byUser.delete(email.toLowerCase());
    else this.byUser.clear();
  }
}

/** The effective scale: 0 when limits are off. */
export function limitScale(options: LimitOptions) {
  if (options.quotas === false) return 0;
  return Math.max(0, options.quotaScale ?? 1);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
