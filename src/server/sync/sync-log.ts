/**
 * The sync health log (S-SYNC-10): one mailSyncLogs row per run, written when the run starts and
 * completed when it ends, so a run that dies half-way still leaves its row.
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';

export type SyncRunKind = 'initial' | 'incremental' | 'manual' | 'resync';
export type SyncOutcome = 'running' | 'ok' | 'failed' | 'throttled' | 'reauthorize';

/** Rows older than this are deleted (S-SYNC-10). */
export const SYNC_LOG_RETENTION_DAYS = 30;
/** Longest error text kept in a row. */
const MAX_ERROR_LENGTH = 2000;

export class SyncRun {
  private counts = { added: 0, updated: 0, deleted: 0 };

  private constructor(
    private readonly app: Application,
    private readonly id: number,
    private readonly startedAt: Date,
  ) {}

  static async start(app: Application, account: Model, kind: SyncRunKind) {
    const startedAt = new Date();
    // A run still "running" here died with its process (runs of one account never overlap).
    await app.db.getRepository(COLLECTIONS.syncLogs).update({
      filter: { accountId: account.get('id'), outcome: 'running' },
      values: { outcome: 'failed', endedAt: startedAt, error: 'Interrupted: the server stopped during the run' },
    });
    const row = await app.db.getRepository(COLLECTIONS.syncLogs).create({
      values: { accountId: account.get('id'), userId: account.get('userId'), kind, outcome: 'running', startedAt },
    });
    return new SyncRun(app, row.get('id'), startedAt);
  }

  add(counts: { added: number; updated: number; deleted: number }) {
    this.counts.added += counts.added;
    this.counts.updated += counts.updated;
    this.counts.deleted += counts.deleted;
  }

  async finish(outcome: Exclude<SyncOutcome, 'running'>, apiCalls: number, error?: string) {
    const endedAt = new Date();
    await this.app.db.getRepository(COLLECTIONS.syncLogs).update({
      filterByTk: this.id,
      values: { outcome, endedAt, apiCalls, error: error ? error.slice(0, MAX_ERROR_LENGTH) : null, ...this.counts },
    });
    return { outcome, ...this.counts, error, durationMs: endedAt.getTime() - this.startedAt.getTime() };
  }
}

/** Deletes rows past the retention period. */
export async function pruneSyncLogs(app: Application) {
  const before = new Date(Date.now() - SYNC_LOG_RETENTION_DAYS * 24 * 3600 * 1000);
  await app.db.getRepository(COLLECTIONS.syncLogs).destroy({ filter: { startedAt: { $lt: before } } });
}
