/**
 * The server half of schedule send (S-SCHED-1): a cron job wakes every minute on every node and
 * sends the scheduled drafts that are due, so a mail goes out within a minute of its time even if
 * its author is offline. Cluster-safe without a coordinator:
 * - a node takes a mail with one conditional UPDATE (scheduled → sending, claim.ts): of nodes
 *   ticking at once, exactly one gets each row; a cancelled mail (canceled) can never be taken;
 * - the send goes through SendService with an idempotency key per scheduled mail
 *   (schedule-state.ts), so a node that dies between the provider's answer and marking the row
 *   leaves a key that says "sent": the node taking the row over later finds it and sends nothing;
 * - a row left in `sending` by a dead node is taken over after STALE_CLAIM_MS (again by a
 *   conditional UPDATE). If its send was cut off mid-call, whether it went out is unknown: the row
 *   fails with a reason rather than risk a second copy.
 * A provider that did not answer (503) is retried at the next beats, up to SCHEDULE_MAX_ATTEMPTS;
 * any other failure is final and recorded with its reason (S-SCHED-1).
 */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { type AccountRow, type MessageRow, type Model, rawRow, rawRows, type SendRequestRow } from '../db-types';
import { UserError } from '../errors';
import { notifyUser } from '../messages/notify';
import type { SendResult } from '../../shared/send-api';
import type { DraftService } from '../send/draft-service';
import { SCHEDULE_STATUS, scheduleKeyOf } from '../send/schedule-state';
import { SEND_STATUS } from '../send/send-requests';
import type { SendService } from '../send/send-service';
import { claim, earlierThan, release } from './claim';
import { CronWorker, warnOf } from './cron-worker';

/** Every minute, at second 0: a mail set for 09:00 leaves at 09:00, well within the minute promised. */
export const SCHEDULED_SEND_CRON = '0 * * * * *';
/** Mails one beat takes; more wait for the next beat (or another node's). */
export const SCHEDULED_SEND_BATCH = 50;
/** A claim older than this belongs to a node that died: far longer than one send's retry budget. */
export const STALE_CLAIM_MS = 10 * 60 * 1000;
/** Tries of a mail whose provider did not answer, before it fails. */
export const SCHEDULE_MAX_ATTEMPTS = 3;
/** A stored failure reason, in characters. */
const MAX_REASON_LENGTH = 2000;

export type DeliveryOutcome = 'sent' | 'failed' | 'retrying';
export type TickResult = Record<DeliveryOutcome, number>;

export interface ScheduledSendServices {
  send: SendService;
  drafts: DraftService;
}

export class ScheduledSender {
  private readonly beat: CronWorker;

  constructor(
    private readonly app: Application,
    private readonly s: ScheduledSendServices,
  ) {
    this.beat = new CronWorker(app, { cron: SCHEDULED_SEND_CRON, tick: () => this.tick(), failure: 'scheduled send failed' });
  }

  private get messages() {
    return this.app.db.getCollection(COLLECTIONS.messages).model;
  }

  start() {
    this.beat.start();
  }

  stop() {
    this.beat.stop();
  }

  /** Sends what is due at `now`. Safe to run on several nodes (or twice on one) at the same moment. */
  async tick(now = new Date()): Promise<TickResult> {
    const result: TickResult = { sent: 0, failed: 0, retrying: 0 };
    for (const candidate of await this.due(now)) {
      const row = await this.take(candidate, now);
      if (row) result[await this.deliver(row)]++;
    }
    return result;
  }

  /** Drafts whose time has come, and drafts a dead node left in `sending`. */
  private async due(now: Date): Promise<Pick<MessageRow, 'id' | 'scheduleStatus' | 'scheduleAttempts'>[]> {
    return rawRows(await this.messages.findAll({
      attributes: ['id', 'scheduleStatus', 'scheduleAttempts'],
      where: {
        draft: true,
        [Op.or]: [due(now), stale(now)],
      },
      order: [['scheduledAt', 'ASC'], ['id', 'ASC']],
      limit: SCHEDULED_SEND_BATCH,
      raw: true,
    }));
  }

  /** One conditional UPDATE (claim.ts): the row is this node's only if it is still due or still stale. */
  private async take(candidate: Pick<MessageRow, 'id' | 'scheduleAttempts'>, now: Date): Promise<Model | null> {
    const taken = await claim(this.messages, {
      row: { id: candidate.id, draft: true },
      free: due(now),
      stale: stale(now),
      hold: { scheduleStatus: SCHEDULE_STATUS.sending, scheduleClaimedAt: now, scheduleAttempts: (Number(candidate.scheduleAttempts) || 0) + 1 },
    });
    if (!taken) return null;
    // Read after the claim: the send time (and so the key) is the one that was due.
    return this.messages.findOne({ where: { id: candidate.id } });
  }

  private async deliver(row: Model): Promise<DeliveryOutcome> {
    const id = Number(row.get('id'));
    const accountId = Number(row.get('accountId'));
    const account = rawRow<AccountRow>(await this.app.db.getCollection(COLLECTIONS.accounts).model.findOne({ attributes: ['userId'], where: { id: accountId }, raw: true }));
    if (!account) return this.fail(row, null, new UserError('Mail account not found', 404));
    const userId = Number(account.userId);
    const key = scheduleKeyOf(id, new Date(row.get('scheduledAt')));
    try {
      const result = (await this.sentBefore(userId, key)) ?? (await this.sendDraft(userId, id, key));
      await this.messages.update(
        { scheduleStatus: SCHEDULE_STATUS.sent, scheduleError: null, scheduledAt: row.get('scheduledAt') },
        { where: { id: [...new Set([id, result.id ?? id])] }, silent: true },
      );
      notifyUser(this.app, userId, [accountId]);
      return 'sent';
    } catch (error) {
      return this.fail(row, userId, error);
    }
  }

  /** The draft as it is now (the user may have edited it since scheduling), sent like the editor would. */
  private async sendDraft(userId: number, id: number, idempotencyKey: string): Promise<SendResult> {
    const draft = await this.s.drafts.open(userId, id);
    return this.s.send.send(userId, {
      accountId: draft.accountId,
      from: draft.from,
      to: draft.to,
      cc: draft.cc,
      bcc: draft.bcc,
      subject: draft.subject,
      html: draft.html,
      mode: draft.mode,
      ...(draft.replyToMessageId != null ? { replyToMessageId: draft.replyToMessageId } : {}),
      draftId: id,
      // The draft's own files (inline ones stay inline under their Content-ID).
      forwardAttachmentIds: draft.attachments.map((a) => a.id),
      idempotencyKey,
    });
  }

  /** The result of this key's send, if an earlier attempt got the mail out before it could mark the row. */
  private async sentBefore(userId: number, idempotencyKey: string): Promise<SendResult | null> {
    const request = rawRow<SendRequestRow>(await this.app.db
      .getCollection(COLLECTIONS.sendRequests)
      .model.findOne({ where: { userId, idempotencyKey, status: SEND_STATUS.sent }, raw: true }));
    if (!request) return null;
    // A sent request always holds the provider's id.
    return { id: request.messageId == null ? null : Number(request.messageId), providerMessageId: request.providerMessageId!, threadId: request.threadId ?? null };
  }

  private async fail(row: Model, userId: number | null, error: unknown): Promise<DeliveryOutcome> {
    const id = Number(row.get('id'));
    const retry = isTransient(error) && (Number(row.get('scheduleAttempts')) || 0) < SCHEDULE_MAX_ATTEMPTS;
    const reason = reasonOf(error);
    // Only from `sending`: the row is this node's until it says otherwise.
    await release(
      this.messages,
      { id, scheduleStatus: SCHEDULE_STATUS.sending },
      retry ? { scheduleStatus: SCHEDULE_STATUS.scheduled, scheduleError: reason, scheduleClaimedAt: null } : { scheduleStatus: SCHEDULE_STATUS.failed, scheduleError: reason },
    );
    warnOf(this.app, `scheduled mail ${id} ${retry ? 'will be retried' : 'failed'}`, error);
    if (userId != null) notifyUser(this.app, userId, [Number(row.get('accountId'))]);
    return retry ? 'retrying' : 'failed';
  }
}

/** A scheduled mail whose time has come. */
const due = (now: Date) => ({ scheduleStatus: SCHEDULE_STATUS.scheduled, scheduledAt: { [Op.lte]: now } });

/** A mail a node took more than STALE_CLAIM_MS ago and never finished: that node died. */
const stale = (now: Date) => ({ scheduleStatus: SCHEDULE_STATUS.sending, ...earlierThan('scheduleClaimedAt', new Date(now.getTime() - STALE_CLAIM_MS)) });

/** The provider did not answer (or throttled us): nothing was sent, and a later try may work. */
const isTransient = (error: unknown) => error instanceof UserError && error.status === 503;

/** What the user reads in the Scheduled box: the message they would have seen in the editor (English). */
function reasonOf(error: unknown): string {
  // The key is held by an attempt that never finished: whether the mail left is unknown.
  if (error instanceof UserError && error.key === 'This email is already being sent') {
    return new UserError('Sending was interrupted; check Sent before scheduling it again', 409).message;
  }
  return String((error as Error)?.message || error).slice(0, MAX_REASON_LENGTH);
}
