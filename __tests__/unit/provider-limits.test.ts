/**
 * The per-mailbox limits of providers/rate-limits.ts: the sliding window books units in order, and
 * Concurrency (on bottleneck) holds weighted slots, FIFO, never more than its maximum.
 */
import { describe, expect, it } from 'vitest';
import { Concurrency, SlidingWindow } from '../../src/server/providers/rate-limits';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('provider limits', () => {
  it('Concurrency: a $batch holding 3 of 4 slots waits for them; nothing overtakes it; at most 4 at once', async () => {
    const gate = new Concurrency(4);
    let active = 0;
    let peak = 0;
    const order: string[] = [];
    const job = (name: string, ms: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      order.push(`start ${name}`);
      await sleep(ms);
      active--;
      return name;
    };
    const runs = [
      gate.run(job('a', 60)),
      gate.run(job('b', 60)),
      gate.run(job('batch', 20), 3),
      gate.run(job('c', 10)),
      // More slots than exist: capped at the maximum, not blocked for ever.
      gate.run(job('huge', 10), 9),
    ];
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'batch', 'c', 'huge']);
    expect(order).toEqual(['start a', 'start b', 'start batch', 'start c', 'start huge']);
    expect(peak).toBeLessThanOrEqual(4);
  });

  it('SlidingWindow: units past the limit wait until the oldest leave the window', async () => {
    const window = new SlidingWindow(10, 200);
    const started = Date.now();
    await window.take(6);
    await window.take(4);
    await window.take(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
