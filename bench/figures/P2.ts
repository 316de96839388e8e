/**
 * P2: Outlook initial import of 10,000 generated messages spread over the well-known folders
 * (inbox, archive, sent items, junk, deleted items), Graph limits at their real values. Measures
 * the HTTP requests the emulator received during the import (a $batch is one request) per 1,000
 * messages, against a target of 5; ratio = target / actual, so 1 or more meets it.
 */
import type { Figure } from '../figures';
import { checkRun, fixed, startBench } from '../setup';

const COUNT = 10_000;
const TARGET = 5;

export const P2: Figure = {
  id: 'P2',
  description: 'Outlook initial import of 10,000 messages: requests per 1,000 messages',
  async run() {
    const bench = await startBench({
      provider: 'outlook',
      email: 'p2@outlook.test',
      mailbox: { count: COUNT },
      emulator: { quotaScale: 1 },
      env: { EMAIL_MANAGER_GRAPH_REQUESTS_PER_10_MINUTES: '' },
    });
    try {
      bench.emulator.resetUsage();
      const result = checkRun(await bench.sync('initial'), 'initial import');
      const stored = await bench.storedCount();
      if (stored !== COUNT) throw new Error(`stored ${stored} of ${COUNT} messages`);
      const requests = bench.emulator.usage(bench.email).total;
      const per1000 = (requests / COUNT) * 1000;
      return {
        messages: COUNT,
        requests,
        requests_per_1000: fixed(per1000),
        target: TARGET,
        ratio: fixed(TARGET / per1000),
        duration_s: fixed(result.durationMs / 1000, 1),
      };
    } finally {
      await bench.close();
    }
  },
};
