/**
 * Near-real-time mail for IMAP accounts (S-IMAP-2): while an account is connected, one IDLE
 * connection on its Inbox; when the server announces new, expunged or re-flagged mail, the
 * account gets an incremental sync of its Inbox at once instead of at the next 5-minute beat.
 *
 * - The pushed sync is narrowed to the Inbox (ChangeScope: no LIST of every folder) and runs on
 *   the account's sync session, which a watch keeps logged in (session-pool.ts keepWarm): on
 *   Dovecot a new mail is EXAMINE (QRESYNC) + UID FETCH. It goes through the scheduler like any
 *   run (one run of an account at a time); the beat's full rounds keep the other folders right.
 *
 * - One connection per account, at most EMAIL_MANAGER_IMAP_IDLE_MAX per node (default 100): an
 *   IDLE connection is a socket and ~100 KB of memory here, and a login at the server.
 * - In a cluster only the node holding the account's idle lease (a claim on the account row,
 *   renewed every beat) watches it, so the server sees one connection and one sync per change.
 * - A dropped connection comes back after 1 s, 5 s, 30 s, 2 min, then every 5 min; a refused
 *   password stops the watch (the sync marks the account Reauthorize).
 * - Each beat (every 30 s) starts watches for newly connected accounts and stops those of
 *   accounts removed, paused or no longer allowed (the admin's switch and host policy).
 */
import type Application from '@nocobase/server';
import type { ImapFlow } from 'imapflow';
import type { Model } from '../db-types';
import { ACCOUNT_STATUS, COLLECTIONS } from '../constants';
import type { AccountService } from '../accounts/account-service';
import { assertServersAllowed } from '../accounts/server-policy';
import { closeImap, openImap } from '../providers/imap/connection';
import { keepWarm } from '../providers/imap/session-pool';
import { isPasswordLogin, ReauthorizeError, type ChangeScope } from '../providers/types';
import type { SettingsService } from '../settings/settings-service';
import { claim, earlierThan, heartbeat, newHolderId, release } from './claim';
import { CronWorker, warnOf } from './cron-worker';

export const IDLE_TICK_CRON = '*/30 * * * * *';
/** The idle lease outlives three beats: a node that died frees its accounts within 90 s. */
const IDLE_LEASE_MS = 90_000;
const RECONNECT_AFTER_MS = [1_000, 5_000, 30_000, 120_000, 300_000];
/** Changes that arrive together (a burst of deliveries) make one sync. */
const CHANGE_DEBOUNCE_MS = 300;
const maxPerNode = () => Number(process.env.EMAIL_MANAGER_IMAP_IDLE_MAX) || 100;
const IDLE_FAILED = 'IMAP IDLE failed';
/** The folder a watch IDLEs on, and so the one its pushed syncs look at. */
const WATCHED_FOLDER = 'INBOX';
const PUSHED: ChangeScope = { folders: [WATCHED_FOLDER] };

interface Watch {
  client: ImapFlow | null;
  failures: number;
  stopped: boolean;
  retry?: NodeJS.Timeout;
  debounce?: NodeJS.Timeout;
  /** Lets the account's sync session cool down again (session-pool.ts). */
  release?: () => void;
}

export class ImapIdleWatcher {
  private readonly beat: CronWorker;
  private readonly nodeId = newHolderId();
  private readonly watches = new Map<number, Watch>();

  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
    private readonly settings: SettingsService,
    /** What a change at the server triggers: the scheduler's incremental sync of the account, narrowed to `scope`. */
    private readonly onChange: (accountId: number, scope: ChangeScope) => unknown,
  ) {
    this.beat = new CronWorker(app, { cron: IDLE_TICK_CRON, tick: () => this.tick(), failure: IDLE_FAILED });
  }

  private get table() {
    return this.app.db.getCollection(COLLECTIONS.accounts).model;
  }

  /** Accounts watched by this node now. */
  get watching(): number[] {
    return [...this.watches.keys()];
  }

  start() {
    this.beat.start();
  }

  async stop() {
    this.beat.stop();
    await Promise.all(this.watching.map((id) => this.unwatch(id)));
  }

  /** One beat: watch what should be watched, stop what should not, renew this node's leases. */
  async tick(now = new Date()) {
    const policy = await this.settings.serverPolicy();
    const rows = policy.enabled
      ? await this.app.db.getRepository(COLLECTIONS.accounts).find({
          filter: { provider: 'imap', status: { $in: [ACCOUNT_STATUS.connected, ACCOUNT_STATUS.syncing] } },
          fields: ['id'],
        })
      : [];
    const eligible = new Set<number>(rows.map((r: Model) => Number(r.get('id'))));
    for (const id of this.watching) {
      const renewed = eligible.has(id) && (await heartbeat(this.table, this.mine(id), { idleUntil: new Date(now.getTime() + IDLE_LEASE_MS) }));
      if (!renewed) await this.unwatch(id);
    }
    for (const id of eligible) {
      if (this.watches.has(id) || this.watches.size >= maxPerNode()) continue;
      const won = await claim(this.table, {
        row: { id },
        free: { idleOwner: null },
        stale: earlierThan('idleUntil', now),
        hold: { idleOwner: this.nodeId, idleUntil: new Date(now.getTime() + IDLE_LEASE_MS) },
      });
      if (won) this.watch(id);
    }
  }

  private mine(id: number) {
    return { id, idleOwner: this.nodeId };
  }

  private watch(accountId: number) {
    const watch: Watch = { client: null, failures: 0, stopped: false };
    this.watches.set(accountId, watch);
    void this.connect(accountId, watch);
  }

  private async unwatch(accountId: number) {
    const watch = this.watches.get(accountId);
    if (!watch) return;
    this.watches.delete(accountId);
    watch.stopped = true;
    clearTimeout(watch.retry);
    clearTimeout(watch.debounce);
    watch.release?.();
    if (watch.client) await closeImap(watch.client).catch(() => undefined);
    await release(this.table, this.mine(accountId), { idleOwner: null, idleUntil: null }).catch(() => undefined);
  }

  private async connect(accountId: number, watch: Watch) {
    try {
      const account = await this.accounts.byId(accountId);
      const login = account && (await this.accounts.credentialsOf(account));
      if (!login || !isPasswordLogin(login)) return void (await this.unwatch(accountId));
      await assertServersAllowed(login, await this.settings.serverPolicy());
      const client = await openImap(login);
      if (watch.stopped) return void (await closeImap(client));
      watch.client = client;
      // Warm first, then the previous hold goes: the same login keeps its session across a reconnect.
      const previous = watch.release;
      watch.release = keepWarm(String(account.get('email')), login);
      previous?.();
      const changed = () => {
        clearTimeout(watch.debounce);
        watch.debounce = setTimeout(() => this.onChange(accountId, PUSHED), CHANGE_DEBOUNCE_MS);
      };
      client.on('exists', changed);
      client.on('expunge', changed);
      client.on('flags', changed);
      client.on('close', () => this.reconnectLater(accountId, watch));
      await client.mailboxOpen(WATCHED_FOLDER, { readOnly: true });
      watch.failures = 0;
      // IDLE until the server or the socket ends it (imapflow restarts it after its max idle time).
      while (!watch.stopped && client.usable) await client.idle();
    } catch (error) {
      if (watch.stopped) return;
      if (error instanceof ReauthorizeError) return void (await this.unwatch(accountId));
      warnOf(this.app, `${IDLE_FAILED} for account ${accountId}`, error);
      this.reconnectLater(accountId, watch);
    }
  }

  private reconnectLater(accountId: number, watch: Watch) {
    if (watch.stopped || watch.retry) return;
    watch.client = null;
    const delay = RECONNECT_AFTER_MS[Math.min(watch.failures, RECONNECT_AFTER_MS.length - 1)];
    watch.failures++;
    watch.retry = setTimeout(() => {
      watch.retry = undefined;
      if (!watch.stopped) void this.connect(accountId, watch);
    }, delay);
    watch.retry.unref();
  }
}
