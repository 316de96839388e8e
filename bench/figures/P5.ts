/**
 * P5: resident memory during a 10,000-message Gmail initial import with ~30% of the messages
 * carrying attachments, quotas off. `process.memoryUsage().rss` is sampled every 250 ms from just
 * before the sync starts until it ends; growth = peak − start. The emulator runs in this process
 * and holds the whole mailbox, so its own memory is kept out of the growth: the mailbox is
 * generated (and the app booted, the account connected) before the start sample, and so is the
 * parse of every message the emulator caches on first fetch (decoded attachments included). What
 * it allocates per request (batch bodies, its request log) is still in the growth.
 */
import type { Figure } from '../figures';
import { checkRun, startBench } from '../setup';

const COUNT = 10_000;
const MB = 1024 * 1024;

export const P5: Figure = {
  id: 'P5',
  description: 'RSS growth during a 10,000-message Gmail import with attachments',
  async run() {
    const bench = await startBench({
      provider: 'gmail',
      email: 'p5@gmail.test',
      mailbox: { count: COUNT, withAttachmentsRatio: 0.3 },
      emulator: { quotas: false },
      env: { EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE: String(1e9) },
    });
    try {
      const mailbox: any = bench.emulator.users.get(bench.email)!.mailbox;
      for (const message of mailbox.messages.values()) mailbox.summaryOf(message);
      const start = process.memoryUsage().rss;
      let peak = start;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
      try {
        checkRun(await bench.sync('initial'), 'initial import');
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      const stored = await bench.storedCount();
      if (stored !== COUNT) throw new Error(`stored ${stored} of ${COUNT} messages`);
      return {
        rss_start_mb: Math.round(start / MB),
        rss_peak_mb: Math.round(peak / MB),
        growth_mb: Math.round((peak - start) / MB),
        target_mb: 200,
      };
    } finally {
      await bench.close();
    }
  },
};
