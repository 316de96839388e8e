/**
 * Runs bulk jobs on the server (S-BULK-4): no page needed, resumes after a restart, safe in a
 * cluster.
 *
 * Why a beat plus a loop per account, and not the event queue or a minute cron: the mass-send
 * interval is in milliseconds (0–600,000), so a cron beat cannot pace it, and the in-memory
 * queue forgets its messages on a restart. The rows are the queue: a beat every second (the
 * app's cronJobManager, started and stopped with the app) looks for accounts with due jobs, and
 * this node then works through each such account in a loop that sleeps the interval between two
 * mails. After a restart the first beat finds the same rows again.
 *
 * Cluster safety, all by conditional UPDATEs (claim.ts):
 * - the interval: a node takes the job's next send slot (`nextSendAt`, epoch ms) only if it is
 *   due, and moves it one interval past the provider's answer; nodes working the same account
 *   take turns;
 * - a recipient: pending → sending (or a stale `sending` left by a dead process → sending again);
 *   of two nodes, one gets it. A taken-over recipient is checked at the provider by its
 *   Message-ID before it is sent again (delivery.ts), so a crash never gives a second mail.
 */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { SettingsService } from '../settings/settings-service';
import { ACCOUNT_STATUS, COLLECTIONS } from '../constants';
import { type IdRow, type JobRow, type Model, rawRow, rawRows, type RecipientRow } from '../db-types';
import type { MailAddress } from '../mime/parse';
import { notifyUser } from '../messages/notify';
import { BULK_DAILY_LIMIT_GIVE_UP_MS, BULK_DAILY_LIMIT_RETRY_MS } from '../../shared/bulk-api';
import { jsonOf, RECIPIENT, staleClaimMs } from '../bulk/bulk-state';
import type { ClaimedRecipient, Delivery, Outcome } from '../bulk/delivery';
import type { JobStatus } from '../bulk/job-status';
import { claim, earlierThan, type Where } from './claim';
import { CronWorker, warnOf } from './cron-worker';

/**
 * The beat: every second, so a new or resumed job starts within a second (a wake-up that comes
 * while a scan is running is left to the next beat).
 */
export const BULK_BEAT_CRON = '* * * * * *';
/** A running job's counts are written at most this often (and always when it ends). */
const COUNTS_EVERY_MS = 500;
/** How long a read of the mass-send interval is reused. */
const INTERVAL_CACHE_MS = 1000;
/** A loop sleeps at most this long at a time, so it notices a stop. */
const MAX_NAP_MS = 500;
/** Accounts that may send (S-SEND-9); jobs of the others wait, paused. */
const CAN_SEND = [ACCOUNT_STATUS.connected, ACCOUNT_STATUS.syncing];

export const ACCOUNT_REMOVED = 'The mail account was removed';
export const DAILY_LIMIT_GAVE_UP = 'The daily sending limit of the mailbox was still reached after 24 hours';

export class BulkRunner {
  private readonly beat: CronWorker;
  private stopped = false;
  /** This node's loop per account. */
  private readonly loops = new Map<number, Promise<void>>();
  /** When this node last sent for an account: pacing between jobs of the same account. */
  private readonly lastSend = new Map<number, number>();
  private intervalRead = { value: 0, at: 0 };
  /** When this node last counted a job's recipients. */
  private readonly counted = new Map<number, number>();

  constructor(
    private readonly app: Application,
    private readonly settings: SettingsService,
    private readonly delivery: Delivery,
    private readonly status: JobStatus,
  ) {
    this.beat = new CronWorker(app, { cron: BULK_BEAT_CRON, tick: () => this.scanUnlessHalted(), failure: 'bulk scan failed' });
  }

  private get jobs() {
    return this.app.db.getCollection(COLLECTIONS.massMessages).model;
  }

  private get recipients() {
    return this.app.db.getCollection(COLLECTIONS.massRecipients).model;
  }

  start() {
    if (this.beat.started) return;
    this.stopped = false;
    this.beat.start();
  }

  stop() {
    this.stopped = true;
    this.beat.stop();
  }

  /** The app is stopping: loops end after their current mail (the cron beat stops by itself). */
  halt() {
    this.stopped = true;
  }

  /** The app started (again): the beat's scans may start loops. */
  resume() {
    if (this.beat.started) this.stopped = false;
  }

  /** Starts loops for accounts with due work now (a new job need not wait for the beat); only once started. */
  wake() {
    if (this.beat.started) void this.beat.trigger();
  }

  /** Tests run with the beat off and call this: everything due now is sent before it resolves. */
  async runDue(): Promise<void> {
    this.stopped = false;
    await this.scan();
    await this.idle();
  }

  /** Waits for this node's loops to end (after stop()) and the copies of their mails to be stored. */
  async idle() {
    while (this.loops.size) await Promise.all([...this.loops.values()]);
    await this.delivery.flush();
  }

  /** A halted runner (the app stopping) starts nothing, beat or not. */
  private async scanUnlessHalted() {
    if (!this.stopped) await this.scan();
  }

  private async scan(now = Date.now()) {
    const rows = rawRows<{ accountId: number }>(await this.jobs.findAll({ attributes: ['accountId'], where: this.dueWhere(now), group: ['accountId'], raw: true }));
    for (const { accountId } of rows) {
      const id = Number(accountId);
      if (this.loops.has(id) || this.stopped) continue;
      const loop = this.runAccount(id)
        .catch((error) => warnOf(this.app, `bulk send of account ${id} stopped`, error))
        .finally(() => this.loops.delete(id));
      this.loops.set(id, loop);
    }
  }

  /** Jobs with work to do now: active, their time come, not waiting for the daily limit. */
  private dueWhere(now: number, accountId?: number): Where {
    const at = new Date(now);
    return {
      active: true,
      ...(accountId != null ? { accountId } : {}),
      [Op.and]: [
        { [Op.or]: [{ scheduledAt: null }, { scheduledAt: { [Op.lte]: at } }] },
        { [Op.or]: [{ waitingUntil: null }, { waitingUntil: { [Op.lte]: at } }] },
      ],
    };
  }

  private async runAccount(accountId: number) {
    while (!this.stopped) {
      const account: Model | null = await this.app.db.getCollection(COLLECTIONS.accounts).model.findOne({ where: { id: accountId } });
      if (!account) return this.orphaned(accountId);
      if (!CAN_SEND.includes(account.get('status'))) return;
      const now = Date.now();
      const job = rawRow<JobRow>(await this.jobs.findOne({ where: this.dueWhere(now, accountId), order: [['createdAt', 'ASC'], ['id', 'ASC']], raw: true }));
      if (!job) return;
      const interval = await this.interval();
      const wait = Math.max(Number(job.nextSendAt) || 0, (this.lastSend.get(accountId) ?? 0) + interval) - now;
      if (wait > 0) {
        await nap(wait);
        continue;
      }
      const recipient = await this.nextRecipient(job.id, now);
      if (!recipient) {
        // Nothing left to take: finished, or the last mails are being sent elsewhere right now.
        const counts = await this.status.refresh(job.id);
        if (counts.pending + counts.sending > 0) return;
        this.finished(job);
        continue;
      }
      const reserved = await this.takeSlot(job, now);
      if (reserved == null) continue;
      const claimed = await this.takeRecipient(recipient, now);
      if (!claimed) continue;
      if (!job.startedAt) await this.jobs.update({ startedAt: new Date(now) }, { where: { id: job.id, startedAt: null }, silent: true });
      const outcome = await this.delivery.deliver({ ...job, from: jsonOf<MailAddress>(job.from)! }, claimed, account);
      // The interval runs from the provider's answer: it sees the mails at least that far apart.
      const done = Date.now();
      this.lastSend.set(accountId, done);
      await this.jobs.update({ nextSendAt: done + interval }, { where: { id: job.id, nextSendAt: reserved }, silent: true });
      await this.afterward(job, outcome);
      // Counts for the tracking view: after anything but a plain send at once, else twice a second.
      if (outcome.kind !== 'sent' || Date.now() - (this.counted.get(Number(job.id)) ?? 0) >= COUNTS_EVERY_MS) {
        this.counted.set(Number(job.id), Date.now());
        await this.status.refresh(job.id);
      }
    }
  }

  /** The mass-send interval, read again at most once a second (an admin's change applies within a second). */
  private async interval(): Promise<number> {
    if (Date.now() - this.intervalRead.at > INTERVAL_CACHE_MS) {
      this.intervalRead = { value: Number((await this.settings.row()).get('massSendInterval')) || 0, at: Date.now() };
    }
    return this.intervalRead.value;
  }

  /** The next recipient in order: pending, or left in `sending` by a process that died. */
  private async nextRecipient(jobId: number, now: number) {
    return rawRow<Pick<RecipientRow, 'id' | 'status' | 'claimedAt'>>(await this.recipients.findOne({
      attributes: ['id', 'status', 'claimedAt'],
      where: { jobId, [Op.or]: [{ status: RECIPIENT.pending }, staleRecipient(now)] },
      order: [['position', 'ASC']],
      raw: true,
    }));
  }

  /**
   * The job's next send slot, if due: one conditional UPDATE, so nodes take turns. The slot is held
   * while the mail is on its way (a node that dies holds it as long as its recipient claim, see
   * staleClaimMs); the answer's
   * time plus the interval then opens the next one. Answers the held value, or null if taken.
   */
  private async takeSlot(job: JobRow, now: number): Promise<number | null> {
    const held = now + staleClaimMs();
    // Free = still the value this node read (and found due); a dead node's slot is a time that comes.
    const taken = await claim(this.jobs, { row: { id: job.id }, free: { nextSendAt: job.nextSendAt ?? null }, hold: { nextSendAt: held } });
    return taken ? held : null;
  }

  /** pending → sending (or a stale sending → sending), counting the attempt; null if another took it. */
  private async takeRecipient(candidate: Pick<RecipientRow, 'id'>, now: number): Promise<ClaimedRecipient | null> {
    const taken = await claim(this.recipients, {
      row: { id: candidate.id },
      free: { status: RECIPIENT.pending },
      stale: staleRecipient(now),
      hold: { status: RECIPIENT.sending, claimedAt: new Date(now), attempts: this.app.db.sequelize.literal('attempts + 1') },
    });
    if (!taken) return null;
    const row = rawRow<RecipientRow>(await this.recipients.findOne({ where: { id: candidate.id }, raw: true }));
    return row ? { ...row, record: jsonOf<Record<string, unknown>>(row.record) } : null;
  }

  private async afterward(job: JobRow, outcome: Outcome) {
    const now = Date.now();
    switch (outcome.kind) {
      case 'sent':
        if (job.dailyLimitSince || job.waitingUntil || job.reason) {
          await this.jobs.update({ dailyLimitSince: null, waitingUntil: null, reason: null }, { where: { id: job.id }, silent: true });
        }
        return;
      case 'retry':
        await this.jobs.update({ nextSendAt: outcome.retryAt }, { where: { id: job.id }, silent: true });
        return;
      case 'dailyLimit': {
        const since = job.dailyLimitSince ? new Date(job.dailyLimitSince).getTime() : now;
        if (now - since >= BULK_DAILY_LIMIT_GIVE_UP_MS) {
          await this.recipients.update({ status: RECIPIENT.failed, reason: DAILY_LIMIT_GAVE_UP }, { where: { jobId: job.id, status: RECIPIENT.pending }, silent: true });
          await this.jobs.update({ dailyLimitSince: null, waitingUntil: null, reason: DAILY_LIMIT_GAVE_UP }, { where: { id: job.id }, silent: true });
          return;
        }
        await this.jobs.update(
          { dailyLimitSince: new Date(since), waitingUntil: new Date(now + BULK_DAILY_LIMIT_RETRY_MS), reason: outcome.reason },
          { where: { id: job.id }, silent: true },
        );
        return;
      }
      default:
        return;
    }
  }

  /** The account was removed: what it had still to send can never go out. */
  private async orphaned(accountId: number) {
    const jobs = rawRows<IdRow>(await this.jobs.findAll({ attributes: ['id'], where: { accountId, active: true }, raw: true }));
    for (const { id } of jobs) {
      await this.recipients.update({ status: RECIPIENT.failed, reason: ACCOUNT_REMOVED }, { where: { jobId: id, status: [RECIPIENT.pending, RECIPIENT.sending] }, silent: true });
      await this.status.refresh(id);
    }
  }

  private finished(job: JobRow) {
    this.counted.delete(Number(job.id));
    notifyUser(this.app, Number(job.userId), [Number(job.accountId)]);
  }
}

/** A recipient left in `sending` by a process that died (bulk-state.ts: staleClaimMs). */
function staleRecipient(now: number) {
  return { status: RECIPIENT.sending, ...earlierThan('claimedAt', new Date(now - staleClaimMs())) };
}

function nap(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_NAP_MS)));
}
