/**
 * Schedule send as the user sees it (S-SCHED-1/2): scheduling saves the compose as a draft (at
 * the provider and here, through DraftService) and marks the row with its send time; cancelling
 * makes it a plain draft again; the Scheduled box lists what is waiting or failed. The sending
 * itself is jobs/scheduled-send.ts.
 */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import { type MessageRow, rawRow } from '../db-types';
import { UserError } from '../errors';
import { notifyUser } from '../messages/notify';
import type { MailAddress } from '../mime/parse';
import { SCHEDULED_BOX_STATUSES, ScheduledDraft, ScheduledView, ScheduleStatus } from '../../shared/compose-api';
import type { SendInputReader } from './send-input';
import type { DraftService } from './draft-service';
import { SCHEDULE_STATUS, sendAtOf } from './schedule-state';
import { jsonValue, type StoredMail } from './stored-mail';

/** The Scheduled box lists at most this many mails; nobody has more waiting. */
export const MAX_SCHEDULED_LISTED = 500;

export interface ScheduleServices {
  accounts: AccountService;
  reader: SendInputReader;
  drafts: DraftService;
  stored: StoredMail;
}

export class ScheduleService {
  constructor(
    private readonly app: Application,
    private readonly s: ScheduleServices,
  ) {}

  private get messages() {
    return this.app.db.getCollection(COLLECTIONS.messages).model;
  }

  /** `values`: what mailMessages:send takes (its idempotencyKey is not needed), plus `sendAt`. */
  async schedule(userId: number, values: Record<string, unknown>): Promise<ScheduledDraft> {
    const sendAt = sendAtOf(values.sendAt, new Date());
    // Checked as a send is, so a mail that could never go out (no recipient, an account that
    // cannot send, a bad address) is refused now rather than failing at its time.
    await this.s.reader.read(userId, values, true);
    if (values.draftId != null && values.draftId !== '') {
      const draft = await this.s.stored.ownDraft(userId, values.draftId);
      if (draft.scheduleStatus === SCHEDULE_STATUS.sending) throw beingSent();
    }
    const saved = await this.s.drafts.save(userId, values);
    const [marked] = await this.messages.update(
      { scheduledAt: sendAt, scheduleStatus: SCHEDULE_STATUS.scheduled, scheduleError: null, scheduleAttempts: 0, scheduleClaimedAt: null },
      { where: { id: saved.id, ...notSending() }, silent: true },
    );
    // Nothing changed: the scheduler took an earlier schedule of this draft between the check and
    // now, or (MySQL counts changed rows only) the same schedule was asked for twice.
    if (!marked && (await this.statusOf(saved.id)) === SCHEDULE_STATUS.sending) throw beingSent();
    notifyUser(this.app, userId, [Number(values.accountId)]);
    return { ...saved, scheduledAt: sendAt.toISOString(), scheduleStatus: SCHEDULE_STATUS.scheduled };
  }

  /** Back to a plain draft (S-SCHED-2). Cancelling what is not scheduled changes nothing; a mail going out now is 409. */
  async cancel(userId: number, id: unknown): Promise<{ id: number; scheduleStatus: ScheduleStatus | null }> {
    const row = await this.s.stored.ownDraft(userId, id);
    const [canceled] = await this.messages.update(
      { scheduleStatus: SCHEDULE_STATUS.canceled, scheduledAt: null, scheduleError: null, scheduleClaimedAt: null },
      { where: { id: row.id, scheduleStatus: [SCHEDULE_STATUS.scheduled, SCHEDULE_STATUS.failed] }, silent: true },
    );
    if (canceled) {
      notifyUser(this.app, userId, [Number(row.accountId)]);
      return { id: Number(row.id), scheduleStatus: SCHEDULE_STATUS.canceled };
    }
    const status = await this.statusOf(row.id);
    if (status === SCHEDULE_STATUS.sending) throw beingSent();
    return { id: Number(row.id), scheduleStatus: status };
  }

  private async statusOf(id: unknown): Promise<ScheduleStatus | null> {
    const row = rawRow<Pick<MessageRow, 'scheduleStatus'>>(await this.messages.findOne({ attributes: ['scheduleStatus'], where: { id }, raw: true }));
    return row?.scheduleStatus ?? null;
  }

  /**
   * Before the user sends a scheduled draft by hand: it leaves the schedule first, so the
   * scheduler cannot send it a second time; one the scheduler is sending right now is 409.
   * Anything that is not the user's scheduled draft is left to the send to judge.
   */
  async releaseForSend(userId: number, draftId: unknown) {
    if (draftId == null || draftId === '') return;
    const row = await this.s.stored.ownDraft(userId, draftId).catch(() => null);
    if (!row?.scheduleStatus) return;
    if (row.scheduleStatus === SCHEDULE_STATUS.sending) throw beingSent();
    const [released] = await this.messages.update(
      { scheduleStatus: SCHEDULE_STATUS.canceled, scheduledAt: null, scheduleClaimedAt: null },
      { where: { id: row.id, scheduleStatus: [SCHEDULE_STATUS.scheduled, SCHEDULE_STATUS.failed] }, silent: true },
    );
    if (!released && row.scheduleStatus !== SCHEDULE_STATUS.canceled && row.scheduleStatus !== SCHEDULE_STATUS.sent) throw beingSent();
  }

  /** The Scheduled box: the user's drafts waiting, going out or failed, soonest first. */
  async list(userId: number, accountId?: unknown): Promise<ScheduledView[]> {
    let accountIds = (await this.s.accounts.ownedModels(userId)).map((a) => Number(a.get('id')));
    if (accountId != null && accountId !== '') {
      if (!accountIds.includes(Number(accountId))) throw new UserError('Mail account not found', 404, 'accountId');
      accountIds = [Number(accountId)];
    }
    if (!accountIds.length) return [];
    const rows = await this.messages.findAll({
      attributes: ['id', 'accountId', 'subject', 'to', 'scheduledAt', 'scheduleStatus', 'scheduleError'],
      where: { accountId: accountIds, draft: true, scheduleStatus: [...SCHEDULED_BOX_STATUSES] },
      order: [['scheduledAt', 'ASC'], ['id', 'ASC']],
      limit: MAX_SCHEDULED_LISTED,
    });
    return rows.map((row) => ({
      id: Number(row.get('id')),
      accountId: Number(row.get('accountId')),
      subject: row.get('subject') || '',
      to: jsonValue<MailAddress[]>(row.get('to'), []),
      scheduledAt: new Date(row.get('scheduledAt')).toISOString(),
      scheduleStatus: row.get('scheduleStatus'),
      scheduleError: row.get('scheduleError') || null,
    }));
  }
}

/** Any state but `sending` (NULL included, which `<>` alone would leave out). */
function notSending() {
  return { [Op.or]: [{ scheduleStatus: null }, { scheduleStatus: { [Op.ne]: SCHEDULE_STATUS.sending } }] };
}

function beingSent() {
  return new UserError('This email is being sent and can no longer be changed', 409, 'draftId');
}
