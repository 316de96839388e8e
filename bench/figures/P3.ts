/**
 * P3: Gmail incremental sync of a 10,000-message mailbox already imported, with one new message
 * arriving before each run. Measures, per run, the provider calls (HTTP requests the emulator
 * received, a batch counting as one) and the server time (`durationMs` of the sync result); five
 * runs, medians printed (runs_ms lists all five). Quotas are off throughout: the import before
 * the runs is set-up, not measured, and one run spends a handful of units.
 */
import type { Figure } from '../figures';
import { checkRun, median, startBench } from '../setup';

const COUNT = 10_000;
const RUNS = 5;

const newMessage = (n: number, to: string) =>
  [
    'From: Grace Hopper <grace@example.com>',
    `To: ${to}`,
    `Subject: P3 new message ${n}`,
    `Message-ID: <p3-${n}-${Date.now()}@example.com>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Incremental sync probe number ${n}.`,
    '',
  ].join('\r\n');

export const P3: Figure = {
  id: 'P3',
  description: 'Gmail incremental sync with 1 new message in a 10,000-message mailbox',
  async run() {
    const bench = await startBench({
      provider: 'gmail',
      email: 'p3@gmail.test',
      mailbox: { count: COUNT },
      emulator: { quotas: false },
      env: { EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE: String(1e9) },
    });
    try {
      checkRun(await bench.sync('initial'), 'initial import');
      const google = bench.emulator as any;
      const calls: number[] = [];
      const ms: number[] = [];
      for (let n = 1; n <= RUNS; n++) {
        google.addMessage(bench.email, { raw: newMessage(n, bench.email), labelIds: ['INBOX'] });
        google.resetUsage();
        const result = checkRun(await bench.sync('incremental'), `incremental run ${n}`);
        if (result.added !== 1) throw new Error(`incremental run ${n} added ${result.added} messages, not 1`);
        calls.push(google.usage(bench.email).total);
        ms.push(result.durationMs);
      }
      return { provider_calls: median(calls), calls_target: 3, server_ms: median(ms), ms_target: 300, runs_ms: ms.join(',') };
    } finally {
      await bench.close();
    }
  },
};
