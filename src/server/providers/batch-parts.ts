/**
 * "Batches never lie": a provider batch (Graph `$batch`, Gmail's multipart batch) answers 200 as
 * a whole while each part carries its own status. A part refused for load (429, Gmail's 403 rate
 * limits), failed (5xx) or left out of the answer says nothing about the thing it asked for, so it
 * must never be read as "absent". Such parts are sent again, alone, after the longest Retry-After
 * they carry (Graph and Gmail put it in the part's own headers), inside the mailbox's limits
 * (each resend goes through the provider's SlidingWindow / Concurrency) and the retry budget of
 * limits.ts; after the last attempt the whole step fails and the sync keeps its cursor.
 * Provider rules (which statuses are temporary, how a part's error reads) stay in providers/<name>.
 */
import { retryAfterSeconds, withRetry } from './rate-limits';
import { ProviderUnavailableError } from './types';

/** One part's answer; header names in lower case. */
export interface PartAnswer {
  status: number;
  headers: Record<string, string>;
  /** The part's JSON (or its text when it is none); read by the provider that asked. */
  body: unknown;
}

/** Some parts of a batch got no real answer after every attempt the budget allows. */
export class UnsettledBatchError extends ProviderUnavailableError {
  constructor(
    message: string,
    status: number | undefined,
    retryAfter: number | undefined,
    /** Ids of the parts still unanswered. */
    readonly ids: string[],
  ) {
    super(message, status, retryAfter);
    this.name = 'UnsettledBatchError';
  }
}

const isUnsettled = (error: unknown): error is UnsettledBatchError => error instanceof UnsettledBatchError;

export interface SettleOptions<R extends { id: string }> {
  requests: R[];
  /**
   * Sends the parts (in as many provider batches as needed) and returns the answers by part id.
   * A transport failure of the batch itself is retried in here (the provider's `call`); what it
   * throws ends the step.
   */
  send(requests: R[]): Promise<Map<string, PartAnswer>>;
  /** The part's answer is no verdict on what it asked for: throttled or failed. */
  temporary(answer: PartAnswer): boolean;
  /** Retry-After of a part: nothing goes to the mailbox until then (SlidingWindow.pauseFor). */
  onThrottle?(ms: number): void;
  /** Names the provider and step in the final error, e.g. "Microsoft Graph folder lookup". */
  what: string;
}

/**
 * Every part's final answer: a success or a verdict (404 and other non-temporary statuses, which
 * the caller reads). Throws UnsettledBatchError when parts stay unanswered after the attempts of
 * the current retry budget (RETRY.attempts, or fewer while a user waits), or ThrottledError when
 * a part asks to wait longer than a run should sleep.
 */
export async function settleBatch<R extends { id: string }>(options: SettleOptions<R>): Promise<Map<string, PartAnswer>> {
  const settled = new Map<string, PartAnswer>();
  let pending = options.requests;
  let attempt = 0;
  await withRetry(
    async () => {
      attempt += 1;
      const answers = await options.send(pending);
      const again: R[] = [];
      const statuses = new Set<number>();
      let retryAfter: number | undefined;
      for (const request of pending) {
        const answer = answers.get(request.id);
        if (answer && !options.temporary(answer)) {
          settled.set(request.id, answer);
          continue;
        }
        again.push(request);
        if (answer?.status) statuses.add(answer.status);
        const asked = retryAfterSeconds(answer?.headers['retry-after']);
        if (asked !== undefined) retryAfter = Math.max(retryAfter ?? 0, asked);
      }
      pending = again;
      if (!pending.length) return;
      const shown = statuses.size ? `HTTP ${[...statuses].sort().join(', ')}` : 'no answer';
      throw new UnsettledBatchError(
        `${options.what}: ${pending.length} of ${options.requests.length} requests of a batch were refused (${shown}) ` +
          `after ${attempt} attempt${attempt > 1 ? 's' : ''}; none was taken as missing, the next sync tries again`,
        statuses.has(429) ? 429 : [...statuses].find((s) => s >= 500),
        retryAfter,
        pending.map((r) => r.id),
      );
    },
    options.onThrottle,
    isUnsettled,
  );
  return settled;
}

/** Part headers with lower-case names (Graph sends "Retry-After", the Gmail reader lower-cases). */
export function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers || {})) out[name.toLowerCase()] = String(value);
  return out;
}
