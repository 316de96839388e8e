/**
 * When accounts sync (S-SYNC-1, S-LIFE-5): a cron job wakes every minute and queues the accounts
 * that are due; "Sync now" queues one at once. The queue consumer runs an account only under its
 * lock, so in a cluster one node at most syncs an account at a time.
 */
import type Application from '@nocobase/server';
import { ACCOUNT_STATUS, COLLECTIONS } from '../constants';
import type { SettingsService } from '../settings/settings-service';
import type { SyncEngine, SyncResult } from './sync-engine';
import { pruneSyncLogs, SyncRunKind } from './sync-log';

export const SYNC_QUEUE = 'email-manager.sync';
/** The scheduler's own beat; the per-account interval comes from the settings. */
export const TICK_CRON = '0 * * * * *';
/** A run holds its account's lock at most this long; longer runs stop and continue next time. */
export const RUN_BUDGET_MS = 20 * 60 * 1000;
const LOCK_TTL_MS = RUN_BUDGET_MS + 5 * 60 * 1000;
/** Spread of the interval so accounts linked together do not all sync in the same minute (S-SYNC-1). */
const INTERVAL_JITTER = 0.1;

export const SYNC_BUSY_MESSAGE = 'Mail account is syncing, please wait';

export class SyncScheduler {
  private job: any;
  private started = false;
  /** Accounts queued by this node and not yet picked up. */
  readonly queued = new Set<number>();
  private running = 0;

  constructor(
    private readonly app: Application,
    private readonly engine: SyncEngine,
    private readonly settings: SettingsService,
  ) {}

  start() {
    if (this.started) return;
    this.started = true;
    this.app.eventQueue.subscribe(SYNC_QUEUE, {
      idle: () => this.running === 0,
      concurrency: 2,
      process: async (message: { accountId: number; kind: SyncRunKind }) => {
        this.queued.delete(message.accountId);
        await this.runLocked(message.accountId, message.kind);
      },
    });
    this.job = this.app.cronJobManager.addJob({ cronTime: TICK_CRON, onTick: () => this.tick().catch((e) => this.warn(e)) } as any);
  }

  stop() {
    if (!this.started) return;
    this.started = false;
    this.app.cronJobManager.removeJob(this.job);
    this.job = null;
    this.app.eventQueue.unsubscribe(SYNC_QUEUE);
  }

  /** Queues every account whose interval has passed since its last run ended. */
  async tick(now = new Date()) {
    const { syncInterval } = await this.settings.view('');
    const accounts = await this.app.db.getRepository(COLLECTIONS.accounts).find({
      filter: { status: { $in: [ACCOUNT_STATUS.connected, ACCOUNT_STATUS.syncing] } },
      fields: ['id', 'lastSyncedAt', 'throttledUntil', 'syncStage'],
    });
    for (const account of accounts) {
      const id = account.get('id');
      const throttledUntil = account.get('throttledUntil');
      if (throttledUntil && new Date(throttledUntil) > now) continue;
      const last = account.get('lastSyncedAt');
      const jitter = 1 + ((id * 7919) % 100) / 100 * INTERVAL_JITTER;
      // A first import that ran out of its time budget continues at the next beat.
      const importing = account.get('syncStage') === 'importing';
      const due = importing || !last || now.getTime() - new Date(last).getTime() >= syncInterval * 60_000 * jitter;
      if (due) await this.request(id, last ? 'incremental' : 'initial');
    }
    await pruneSyncLogs(this.app);
  }

  /** Queues a run unless one is already queued here. Not started (tests): only remembered. */
  async request(accountId: number, kind: SyncRunKind) {
    if (this.queued.has(accountId)) return;
    this.queued.add(accountId);
    if (!this.started) return;
    await this.app.eventQueue.publish(SYNC_QUEUE, { accountId, kind }, { timeout: LOCK_TTL_MS, maxRetries: 0 });
  }

  /** Whether some node is syncing the account right now. */
  async isRunning(accountId: number) {
    try {
      const lock = await this.app.lockManager.tryAcquire(lockKey(accountId));
      await lock.release();
      return false;
    } catch {
      return true;
    }
  }

  /** Runs the account if no one else is; returns null when it was busy. */
  async runLocked(accountId: number, kind: SyncRunKind): Promise<SyncResult | null> {
    let lock;
    try {
      lock = await this.app.lockManager.tryAcquire(lockKey(accountId));
    } catch {
      return null;
    }
    this.running++;
    try {
      return await lock.runExclusive(() => this.engine.run(accountId, kind, Date.now() + RUN_BUDGET_MS), LOCK_TTL_MS);
    } catch (error) {
      this.warn(error);
      return null;
    } finally {
      this.running--;
    }
  }

  private warn(error: unknown) {
    this.app.log.warn(`email-manager: sync scheduling failed: ${(error as Error)?.message}`, { module: 'email-manager' });
  }
}

const lockKey = (accountId: number) => `email-manager:sync:${accountId}`;
