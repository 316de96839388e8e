/**
 * P1b: the P1 import (10,000 generated Gmail messages, ~15% with attachments) with every quota out
 * of the way: the emulator's off and the plugin's client-side limiter lifted through
 * EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE. What is left is the plugin's own speed (fetch, parse,
 * write), measured as messages per minute over the sync's `durationMs`, once on SQLite and once on
 * the shared PostgreSQL database `test` (n/a when it cannot be reached). Twenty CRM documents
 * about 400 messages a minute for its Gmail import.
 */
import net from 'node:net';
import type { Figure } from '../figures';
import { checkRun, perMinute, startBench, type Dialect } from '../setup';

const COUNT = 10_000;
const REFERENCE = 400;

async function importRate(dialect: Dialect) {
  const bench = await startBench({
    provider: 'gmail',
    // A different mailbox per database: the plugin's limiters are per mailbox and per process.
    email: `p1b-${dialect}@gmail.test`,
    mailbox: { count: COUNT, withAttachmentsRatio: 0.15, seed: 'p1b' },
    emulator: { quotas: false },
    env: { EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE: String(1e9) },
    dialect,
  });
  try {
    const result = checkRun(await bench.sync('initial'), `initial import (${dialect})`);
    const stored = await bench.storedCount();
    if (stored !== COUNT) throw new Error(`${dialect}: stored ${stored} of ${COUNT} messages`);
    return perMinute(result.added, result.durationMs);
  } finally {
    await bench.close();
  }
}

/** Whether something listens on PostgreSQL's port (the app's install would fail loudly otherwise). */
function reachable(host: string, port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

export const P1b: Figure = {
  id: 'P1b',
  description: 'Gmail initial import of 10,000 messages without quotas, SQLite and PostgreSQL',
  async run() {
    const sqlite = await importRate('sqlite');
    const postgres = (await reachable('127.0.0.1', 5432)) ? await importRate('postgres') : 'n/a';
    return { sqlite_msgs_per_min: sqlite, postgres_msgs_per_min: postgres, reference: REFERENCE };
  },
};
