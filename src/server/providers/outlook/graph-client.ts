/**
 * Requests to one Outlook mailbox through Graph, inside its limits: 10,000 requests per 10
 * minutes and 4 at a time per mailbox (Outlook service limits), with retries on 429/5xx and
 * errors mapped to the plugin's kinds. `$batch` calls are settled part by part.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { lowerCaseHeaders, settleBatch, type PartAnswer } from '../batch-parts';
import { Concurrency, isTemporary, perMailbox, SlidingWindow, withRetry } from '../rate-limits';
import type { Mailbox } from '../types';
import { isTemporaryGraphPart, mapGraphError } from './errors';
import type { BatchRequest } from './modify';

/** Graph's mailbox limits (Outlook service limits) and our request sizes. */
export const GRAPH_LIMITS = {
  requestsPer10Minutes: () => Number(process.env.EMAIL_MANAGER_GRAPH_REQUESTS_PER_10_MINUTES) || 10_000,
  concurrentPerMailbox: 4,
  /** Messages per delta page we ask for; Graph may send fewer. */
  deltaPageSize: 500,
  /**
   * Parts per `$batch`. Graph takes 20, but it runs the parts at once and counts each against the
   * mailbox's 4 concurrent requests: parts 5 to 20 of a full batch come back 429. So a batch
   * carries at most 4 parts and holds as many of our concurrency slots as it has parts.
   */
  batchSize: 4,
  foldersPageSize: 250,
};

const windowOf = perMailbox(() => new SlidingWindow(Math.floor(GRAPH_LIMITS.requestsPer10Minutes() * 0.97), 601_000));
const concurrencyOf = perMailbox(() => new Concurrency(GRAPH_LIMITS.concurrentPerMailbox));
/** A `$batch` answer: one response per part, in any order. */
interface BatchAnswer {
  responses?: { id: string; status: number; headers?: Record<string, unknown>; body?: unknown }[];
}

export const PREFER = (pageSize?: number) => [pageSize ? `odata.maxpagesize=${pageSize}` : '', 'IdType="ImmutableId"'].filter(Boolean).join(', ');

export class GraphMailboxClient {
  private readonly window: SlidingWindow;
  private readonly concurrency: Concurrency;

  constructor(
    readonly client: Client,
    mailbox: Mailbox,
    private readonly countCall: () => void,
  ) {
    const key = mailbox.address.toLowerCase();
    this.window = windowOf(key);
    this.concurrency = concurrencyOf(key);
  }

  /**
   * Graph JSON batching, every part settled: parts answered 429/5xx (or left out) are sent again
   * after their own Retry-After, within the mailbox limits, a bounded number of times
   * (batch-parts.ts). Each returned answer is a success or a real verdict (404…).
   */
  batch(requests: BatchRequest[], what: string): Promise<Map<string, PartAnswer>> {
    return settleBatch({
      requests,
      send: (pending) => this.sendBatches(pending),
      temporary: isTemporaryGraphPart,
      onThrottle: (ms) => this.window.pauseFor(ms),
      what: `Microsoft Graph ${what}`,
    });
  }

  /** One `$batch` call per GRAPH_LIMITS.batchSize parts, answered in any order. */
  private async sendBatches(requests: BatchRequest[]) {
    const out = new Map<string, PartAnswer>();
    for (let i = 0; i < requests.length; i += GRAPH_LIMITS.batchSize) {
      const chunk = requests.slice(i, i + GRAPH_LIMITS.batchSize);
      const body = {
        requests: chunk.map((r) => ({
          id: r.id,
          method: r.method || 'GET',
          url: r.url,
          headers: { Prefer: PREFER(), ...(r.body ? { 'Content-Type': 'application/json' } : {}) },
          ...(r.body ? { body: r.body } : {}),
        })),
      };
      const data: BatchAnswer = await this.call('batch', () => this.client.api('/$batch').post(body), chunk.length, isTemporary, chunk.length);
      for (const response of data.responses || []) {
        out.set(String(response.id), { status: Number(response.status) || 0, headers: lowerCaseHeaders(response.headers), body: response.body });
      }
    }
    return out;
  }

  /**
   * One request inside the mailbox's limits, with retries; errors mapped to the plugin's kinds.
   * `weight`: requests it counts for in the 10-minute window; `slots`: concurrent requests it is.
   */
  call<T>(what: string, run: () => Promise<T>, weight = 1, retryable = isTemporary, slots = 1): Promise<T> {
    return withRetry(async () => {
      await this.window.take(weight);
      return this.concurrency.run(async () => {
        this.countCall();
        try {
          return await run();
        } catch (error) {
          throw mapGraphError(error, what);
        }
      }, slots);
    }, (ms) => this.window.pauseFor(ms), retryable);
  }
}
