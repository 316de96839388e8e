/**
 * P1: Gmail initial import of 10,000 generated messages (~15% with attachments) into SQLite, with
 * the emulator enforcing Gmail's real per-user quota (15,000 units/min; messages.get costs 5, so
 * at most 3,000 messages a minute) and the plugin's client-side limiter at its default. Measures
 * messages per minute over the run (`durationMs` of the sync result) against that ceiling, and the
 * emulator's count of HTTP requests (a batch is one) and 429 answers during the import; then
 * counts the stored rows.
 */
import type { Figure } from '../figures';
import { checkRun, fixed, perMinute, startBench } from '../setup';

const COUNT = 10_000;
const CEILING = 3_000;

export const P1: Figure = {
  id: 'P1',
  description: 'Gmail initial import of 10,000 messages at the real quota (SQLite)',
  async run() {
    const bench = await startBench({
      provider: 'gmail',
      email: 'p1@gmail.test',
      mailbox: { count: COUNT, withAttachmentsRatio: 0.15 },
      emulator: { quotaScale: 1 },
      // The plugin's own default (15,000 units/min), whatever the caller's shell says.
      env: { EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE: '' },
    });
    try {
      bench.emulator.resetUsage();
      const result = checkRun(await bench.sync('initial'), 'initial import');
      const usage = bench.emulator.usage(bench.email);
      const rate = perMinute(result.added, result.durationMs);
      return {
        messages: COUNT,
        msgs_per_min: rate,
        ceiling: CEILING,
        ratio: fixed(rate / CEILING),
        duration_s: fixed(result.durationMs / 1000, 1),
        quota_429s: usage.throttled,
        requests: usage.total,
        stored: await bench.storedCount(),
      };
    } finally {
      await bench.close();
    }
  },
};
