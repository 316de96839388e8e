/**
 * When accounts sync (S-SYNC-1, S-LIFE-5): a cron job wakes every minute and queues the accounts
 * that are due; "Sync now" queues one at once. The queue consumer runs an account only under its
 * lock, so in a cluster one node at most syncs an account at a time. The sync itself is
 * sync/sync-engine.ts.
 */
import type Application from '@nocobase/server';
import { ACCOUNT_STATUS, COLLECTIONS } from '../constants';
import { isImporting, isThrottled } from '../sync/account-state';
import { notifyOwnerOf } from '../messages/notify';
import type { ChangeScope } from '../providers/types';
import type { SettingsService } from '../settings/settings-service';
import type { SyncEngine, SyncResult } from '../sync/sync-engine';
import { pruneSyncLogs, SyncRunKind } from '../sync/sync-log';
import { claim, earlierThan, heartbeat, newHolderId, release } from './claim';
import { CronWorker, warnOf } from './cron-worker';

export const SYNC_QUEUE = 'email-manager.sync';
/** The scheduler's own beat; the per-account interval comes from the settings. */
export const TICK_CRON = '0 * * * * *';
/** A run holds its account's lock at most this long; longer runs stop and continue next time. */
export const RUN_BUDGET_MS = 20 * 60 * 1000;
/** The process lock outlives the run's budget by 5 minutes: time for the last step to commit. */
const LOCK_TTL_MS = RUN_BUDGET_MS + 5 * 60 * 1000;
/** Accounts one node syncs at the same time. */
const SYNC_CONCURRENCY = 2;
/**
 * The cluster lease lasts this long and is renewed after every committed step, so the lease of a
 * node that died mid-run frees the account within this time.
 */
const leaseMs = () => (Number(process.env.EMAIL_MANAGER_SYNC_LEASE_SECONDS) || 120) * 1000;
/** Spread of the interval so accounts linked together do not all sync in the same minute (S-SYNC-1). */
const INTERVAL_JITTER = 0.1;
/** The log line of a failed beat or run (cron-worker.ts adds the module and the error). */
const SYNC_FAILED = 'sync scheduling failed';

export const SYNC_BUSY_MESSAGE = 'Mail account is syncing, please wait';
/**
 * A push (an IDLE notice) that finds its account busy is asked again this often, this many times
 * (1 minute): the run holding the account may have looked at the Inbox before the mail came, and
 * without a retry the mail would wait for the next full round (5 minutes by default).
 */
const PUSH_RETRY_MS = 2_000;
const PUSH_RETRIES = 30;

interface SyncMessage {
  accountId: number;
  kind: SyncRunKind;
  scope?: ChangeScope;
  /** Retries of a push so far. */
  attempt?: number;
}

export class SyncScheduler {
  private readonly beat: CronWorker;
  /** This node, as lease owner. */
  private readonly nodeId = newHolderId();
  /** Accounts queued by this node and not yet picked up: a full run, or only a narrowed one (a push's). */
  readonly queued = new Map<number, 'full' | 'narrowed'>();
  private running = 0;
  private readonly pushRetries = new Set<NodeJS.Timeout>();

  constructor(
    private readonly app: Application,
    private readonly engine: SyncEngine,
    private readonly settings: SettingsService,
  ) {
    this.beat = new CronWorker(app, { cron: TICK_CRON, tick: () => this.tick(), failure: SYNC_FAILED });
  }

  private get accounts() {
    return this.app.db.getCollection(COLLECTIONS.accounts).model;
  }

  start() {
    if (this.beat.started) return;
    this.app.eventQueue.subscribe(SYNC_QUEUE, {
      idle: () => this.running === 0,
      concurrency: SYNC_CONCURRENCY,
      process: async (message: SyncMessage) => {
        if (this.queued.get(message.accountId) === queuedAs(message.scope)) this.queued.delete(message.accountId);
        const result = await this.runLocked(message.accountId, message.kind, message.scope);
        if (result === null && message.scope) this.retryPush(message);
      },
    });
    this.beat.start();
  }

  stop() {
    if (!this.beat.started) return;
    for (const timer of this.pushRetries) clearTimeout(timer);
    this.pushRetries.clear();
    this.beat.stop();
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
      if (isThrottled(account, now.getTime())) continue;
      const last = account.get('lastSyncedAt');
      const jitter = 1 + ((id * 7919) % 100) / 100 * INTERVAL_JITTER;
      // A first import that ran out of its time budget continues at the next beat.
      const due = isImporting(account) || !last || now.getTime() - new Date(last).getTime() >= syncInterval * 60_000 * jitter;
      if (due) await this.request(id, last ? 'incremental' : 'initial');
    }
    await pruneSyncLogs(this.app);
  }

  /**
   * Queues a run unless one that covers it is already queued here (a full run covers a narrowed
   * one, not the other way round). Not started (tests): only remembered.
   */
  async request(accountId: number, kind: SyncRunKind, scope?: ChangeScope, attempt = 0) {
    const queued = this.queued.get(accountId);
    if (queued === 'full' || queued === queuedAs(scope)) return;
    this.queued.set(accountId, queuedAs(scope));
    if (!this.beat.started) return;
    const message: SyncMessage = { accountId, kind, scope, attempt };
    await this.app.eventQueue.publish(SYNC_QUEUE, message, { timeout: LOCK_TTL_MS, maxRetries: 0 });
  }

  /** A push that found its account busy is queued again a little later (PUSH_RETRY_MS). */
  private retryPush(message: SyncMessage) {
    const attempt = (message.attempt ?? 0) + 1;
    if (attempt > PUSH_RETRIES || !this.beat.started) return;
    const timer = setTimeout(() => {
      this.pushRetries.delete(timer);
      this.request(message.accountId, message.kind, message.scope, attempt).catch((error) => warnOf(this.app, SYNC_FAILED, error));
    }, PUSH_RETRY_MS);
    timer.unref();
    this.pushRetries.add(timer);
  }

  /** Whether some node is syncing the account right now. */
  async isRunning(accountId: number) {
    const account = await this.app.db.getRepository(COLLECTIONS.accounts).findOne({ filterByTk: accountId, fields: ['syncLeaseUntil'] });
    const until = account?.get('syncLeaseUntil');
    return Boolean(until && new Date(until).getTime() > Date.now());
  }

  /**
   * Runs the account unless another run holds it: the app's lock keeps this process to one run,
   * the lease row keeps the cluster to one. Returns null when it was busy. `scope` narrows the
   * run (ChangeScope: an IDLE push names the Inbox).
   */
  async runLocked(accountId: number, kind: SyncRunKind, scope?: ChangeScope): Promise<SyncResult | null> {
    let lock;
    try {
      lock = await this.app.lockManager.tryAcquire(lockKey(accountId));
    } catch {
      return null;
    }
    this.running++;
    try {
      return await lock.runExclusive(async () => {
        if (!(await this.takeLease(accountId))) return null;
        try {
          const result = await this.engine.run(accountId, kind, Date.now() + RUN_BUDGET_MS, () => this.renewLease(accountId), scope);
          // The owner's open tabs refresh their badge and list.
          if (result.outcome !== 'skipped') await notifyOwnerOf(this.app, accountId);
          return result;
        } finally {
          await this.releaseLease(accountId);
        }
      }, LOCK_TTL_MS);
    } catch (error) {
      warnOf(this.app, SYNC_FAILED, error);
      return null;
    } finally {
      this.running--;
    }
  }

  /** Of several nodes asking at once, exactly one gets the account (claim.ts). */
  private takeLease(accountId: number) {
    const now = new Date();
    return claim(this.accounts, {
      row: { id: accountId },
      free: { syncLeaseUntil: null },
      stale: earlierThan('syncLeaseUntil', now),
      hold: { syncLeaseOwner: this.nodeId, syncLeaseUntil: new Date(now.getTime() + leaseMs()) },
    });
  }

  /** Keeps the lease; if another node took it meanwhile (this one stalled too long), the run must stop. */
  private async renewLease(accountId: number) {
    const kept = await heartbeat(this.accounts, { id: accountId, syncLeaseOwner: this.nodeId }, { syncLeaseUntil: new Date(Date.now() + leaseMs()) });
    if (!kept) throw new Error('Another node took over the sync of this account');
  }

  private releaseLease(accountId: number) {
    return release(this.accounts, { id: accountId, syncLeaseOwner: this.nodeId }, { syncLeaseOwner: null, syncLeaseUntil: null });
  }
}

const lockKey = (accountId: number) => `email-manager:sync:${accountId}`;
const queuedAs = (scope?: ChangeScope) => (scope?.folders ? 'narrowed' : 'full');
