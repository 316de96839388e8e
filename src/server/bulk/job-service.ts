/**
 * Bulk jobs of the signed-in user (S-BULK-1…5, S-ACL-3): create (and preview), list, read, cancel
 * and resend. Every read and change is scoped to the user's own jobs; another user's answers 404.
 * Sending itself is the runner's (jobs/bulk-runner.ts); this service only writes rows and wakes it.
 */
import type { Context } from '@nocobase/actions';
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import {
  BULK_HTML_MAX_BYTES,
  BULK_JOBS_PAGE_SIZE,
  BULK_JOBS_PAGE_SIZE_MAX,
  BULK_MAX_RECIPIENTS,
  BULK_RECIPIENT_STATUSES,
  BULK_RECIPIENTS_PAGE_SIZE,
  BULK_RECIPIENTS_PAGE_SIZE_MAX,
  BULK_SUBJECT_MAX,
  type BulkJobPage,
  type BulkJobView,
  type BulkPreview,
  type BulkRecipientPage,
  type BulkRecipientStatus,
  type BulkSource,
} from '../../shared/bulk-api';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import { type AccountRow, type JobRow, type Model, rawRow, rawRows, type RecipientRow } from '../db-types';
import { UserError } from '../errors';
import type { MailAddress } from '../mime/parse';
import { parseRecipients } from '../send/addresses';
import { assertCanSend } from '../send/send-input';
import { sendAtOf } from '../send/schedule-state';
import { identitiesOf } from '../send/stored-mail';
import { newJobToken, RECIPIENT, recipientMessageId } from './bulk-state';
import type { JobStatus } from './job-status';
import { jobView, recipientView } from './job-view';
import type { RecipientSource, ResolvedRecipients } from './recipient-source';
import { variablesOf } from './variables';

/** Same shape as the editor's send key (send-requests.ts). */
const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Recipient rows written per INSERT. */
const INSERT_CHUNK = 500;
/** Examples of invalid values in a preview. */
const PREVIEW_EXAMPLES = 5;

export interface BulkServices {
  accounts: AccountService;
  source: RecipientSource;
  status: JobStatus;
  /** Tells the runner there is new work (a no-op when it is not started). */
  wake: () => void;
}

export class BulkJobService {
  constructor(
    private readonly app: Application,
    private readonly s: BulkServices,
  ) {}

  private get jobs() {
    return this.app.db.getCollection(COLLECTIONS.massMessages).model;
  }

  private get recipients() {
    return this.app.db.getCollection(COLLECTIONS.massRecipients).model;
  }

  /** What a create would resolve, without an account (the form shows it before one is chosen). */
  async preview(ctx: Context, values: Record<string, unknown>): Promise<BulkPreview> {
    const resolved = await this.resolve(ctx, values, textOf(values.subject), textOf(values.html));
    const invalid = resolved.recipients.filter((r) => !r.valid);
    return {
      total: resolved.recipients.length,
      valid: resolved.recipients.length - invalid.length,
      invalid: invalid.length,
      invalidExamples: invalid.slice(0, PREVIEW_EXAMPLES).map((r) => ({ value: r.address, reason: r.reason || '' })),
      duplicates: resolved.duplicates,
      records: resolved.rows,
      limit: BULK_MAX_RECIPIENTS,
    };
  }

  async create(ctx: Context, userId: number, values: Record<string, unknown>): Promise<BulkJobView> {
    const idempotencyKey = keyOf(values.idempotencyKey);
    if (idempotencyKey) {
      const earlier = rawRow<JobRow>(await this.jobs.findOne({ where: { userId, idempotencyKey }, raw: true }));
      if (earlier) return this.view(earlier, true);
    }
    const account = await this.s.accounts.owned(userId, values.accountId);
    assertCanSend(account);
    const from = fromOf(account, values.from);
    const subject = textOf(values.subject).replace(/[\r\n]+/g, ' ').trim();
    if (!subject) throw new UserError('Please enter a subject', 400, 'subject');
    if (subject.length > BULK_SUBJECT_MAX) throw new UserError('The subject can have at most {{max}} characters', 400, 'subject', { max: BULK_SUBJECT_MAX });
    const html = textOf(values.html);
    if (Buffer.byteLength(html) > BULK_HTML_MAX_BYTES) throw new UserError('The email body is too large; attach the content as a file instead', 400, 'html');
    const scheduledAt = values.sendAt == null || values.sendAt === '' ? null : sendAtOf(values.sendAt, new Date());
    const { recipients } = await this.resolve(ctx, values, subject, html);
    if (!recipients.length) throw new UserError('Please add at least one recipient', 400, 'source');

    const asked = values.source as BulkSource | undefined;
    const source = asked
      ? { collection: asked.collection, emailFieldNames: asked.emailFieldNames, all: Boolean(asked.all), filter: asked.filter ?? null, filterByTk: asked.filterByTk ?? null }
      : null;
    let jobId: number;
    try {
      jobId = await this.app.db.sequelize.transaction(async (transaction) => {
        const token = newJobToken();
        const job: Model = await this.jobs.create(
          { userId, accountId: Number(account.get('id')), from, subject, html, token, idempotencyKey, source, scheduledAt, status: scheduledAt ? 'scheduled' : 'pending', active: true },
          { transaction },
        );
        const id = Number(job.get('id'));
        const rows = recipients.map((r, position) => ({
          jobId: id,
          position,
          address: r.address,
          name: r.name,
          valid: r.valid,
          recordKey: r.recordKey,
          record: r.record,
          status: r.valid ? RECIPIENT.pending : RECIPIENT.failed,
          reason: r.reason,
          attempts: 0,
          internetMessageId: recipientMessageId(id, token, position, from.address),
        }));
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.recipients.bulkCreate(rows.slice(i, i + INSERT_CHUNK), { transaction });
        await this.s.status.refresh(id, transaction);
        return id;
      });
    } catch (error) {
      // Two submits with one key at once: the other one made the job.
      if ((error as Error)?.name === 'SequelizeUniqueConstraintError' && idempotencyKey) {
        const earlier = rawRow<JobRow>(await this.jobs.findOne({ where: { userId, idempotencyKey }, raw: true }));
        if (earlier) return this.view(earlier, true);
      }
      throw error;
    }
    this.s.wake();
    return this.get(userId, jobId);
  }

  async list(userId: number, params: Record<string, unknown>): Promise<BulkJobPage> {
    const { page, pageSize } = paging(params, BULK_JOBS_PAGE_SIZE, BULK_JOBS_PAGE_SIZE_MAX);
    const { rows: found, count } = await this.jobs.findAndCountAll({
      attributes: { exclude: ['html', 'token', 'idempotencyKey'] },
      where: { userId },
      order: [['createdAt', 'DESC'], ['id', 'DESC']],
      offset: (page - 1) * pageSize,
      limit: pageSize,
      raw: true,
    });
    const rows = rawRows<JobRow>(found);
    const accounts = await this.accountsOf(rows.map((r) => r.accountId));
    return { rows: rows.map((job) => jobView(job, accounts.get(Number(job.accountId)) ?? null)), count, page, pageSize };
  }

  async get(userId: number, jobId: unknown): Promise<BulkJobView> {
    return this.view(await this.own(userId, jobId), true);
  }

  async recipientsOf(userId: number, jobId: unknown, params: Record<string, unknown>): Promise<BulkRecipientPage> {
    const job = await this.own(userId, jobId);
    const { page, pageSize } = paging(params, BULK_RECIPIENTS_PAGE_SIZE, BULK_RECIPIENTS_PAGE_SIZE_MAX);
    const status = params.status == null || params.status === '' ? null : String(params.status);
    if (status && !BULK_RECIPIENT_STATUSES.includes(status as BulkRecipientStatus)) throw new UserError('Unknown status {{status}}', 400, 'status', { status });
    const { rows, count } = await this.recipients.findAndCountAll({
      attributes: { exclude: ['record', 'internetMessageId'] },
      where: { jobId: job.id, ...(status ? { status } : {}) },
      order: [['position', 'ASC']],
      offset: (page - 1) * pageSize,
      limit: pageSize,
      raw: true,
    });
    return { rows: rawRows<RecipientRow>(rows).map(recipientView), count, page, pageSize };
  }

  /** S-BULK-5: one pending mail, or every pending one, becomes Canceled. */
  async cancel(userId: number, jobId: unknown, recipientId: unknown): Promise<BulkJobView> {
    const job = await this.own(userId, jobId);
    const one = await this.recipientOf(job, recipientId);
    const [changed] = await this.recipients.update(
      { status: RECIPIENT.canceled, reason: null },
      { where: { jobId: job.id, status: RECIPIENT.pending, ...(one ? { id: one } : {}) } },
    );
    if (one && !changed) throw new UserError('Only an email waiting to be sent can be canceled', 409, 'recipientId');
    await this.s.status.refresh(job.id);
    return this.get(userId, job.id);
  }

  /** S-BULK-5: one failed or canceled mail, or all of them, are queued again; a Sent one never. */
  async resend(userId: number, jobId: unknown, recipientId: unknown): Promise<BulkJobView> {
    const job = await this.own(userId, jobId);
    assertCanSend(await this.s.accounts.owned(userId, job.accountId));
    const one = await this.recipientOf(job, recipientId);
    const [changed] = await this.recipients.update(
      { status: RECIPIENT.pending, reason: null, claimedAt: null },
      { where: { jobId: job.id, valid: true, status: { [Op.in]: [RECIPIENT.failed, RECIPIENT.canceled] }, ...(one ? { id: one } : {}) } },
    );
    if (one && !changed) throw new UserError('Only a failed or canceled email can be sent again', 409, 'recipientId');
    if (changed) {
      // A fresh start: a daily-limit wait or its 24 hours begin again.
      await this.jobs.update({ dailyLimitSince: null, waitingUntil: null, reason: null, finishedAt: null }, { where: { id: job.id }, silent: true });
    }
    await this.s.status.refresh(job.id);
    this.s.wake();
    return this.get(userId, job.id);
  }

  private async resolve(ctx: Context, values: Record<string, unknown>, subject: string, html: string): Promise<ResolvedRecipients> {
    if (!values.source && (values.addresses == null || values.addresses === '')) throw new UserError('Please add at least one recipient', 400, 'source');
    if (values.source != null && (typeof values.source !== 'object' || Array.isArray(values.source))) throw new UserError('Invalid recipients', 400, 'source');
    const resolved = await this.s.source.resolve(ctx, (values.source as BulkSource | null) || undefined, values.addresses, variablesOf(subject, html));
    if (resolved.recipients.length > BULK_MAX_RECIPIENTS) {
      throw new UserError('A bulk send can have at most {{limit}} recipients ({{count}} selected)', 400, 'source', { limit: BULK_MAX_RECIPIENTS, count: resolved.recipients.length }, {
        count: resolved.recipients.length,
        limit: BULK_MAX_RECIPIENTS,
      });
    }
    return resolved;
  }

  /** The user's own job as a raw row; 404 for anyone else's, as if it did not exist. */
  private async own(userId: number, jobId: unknown): Promise<JobRow> {
    const id = Number(jobId);
    const job = Number.isInteger(id) && id > 0 ? rawRow<JobRow>(await this.jobs.findOne({ where: { id, userId }, raw: true })) : null;
    if (!job) throw new UserError('Bulk send not found', 404, 'filterByTk');
    return job;
  }

  /** A recipient id of this job, or null for "all"; 404 when it is not the job's. */
  private async recipientOf(job: JobRow, recipientId: unknown): Promise<number | null> {
    if (recipientId == null || recipientId === '') return null;
    const id = Number(recipientId);
    const row = Number.isInteger(id) && id > 0 ? await this.recipients.findOne({ attributes: ['id'], where: { id, jobId: job.id }, raw: true }) : null;
    if (!row) throw new UserError('Recipient not found', 404, 'recipientId');
    return id;
  }

  private async view(job: JobRow, withHtml: boolean): Promise<BulkJobView> {
    const accounts = await this.accountsOf([job.accountId]);
    return jobView(job, accounts.get(Number(job.accountId)) ?? null, withHtml);
  }

  private async accountsOf(ids: unknown[]) {
    const unique = [...new Set(ids.map(Number))];
    const rows = unique.length
      ? rawRows<AccountRow>(await this.app.db.getCollection(COLLECTIONS.accounts).model.findAll({ attributes: ['id', 'email', 'status'], where: { id: unique }, raw: true }))
      : [];
    return new Map(rows.map((r) => [Number(r.id), { email: r.email, status: r.status }]));
  }
}

function textOf(value: unknown) {
  return typeof value === 'string' ? value : '';
}

function keyOf(value: unknown): string | null {
  if (value == null || value === '') return null;
  if (typeof value !== 'string' || !KEY.test(value)) throw new UserError('Each send needs an idempotency key (8 to 128 letters, digits or ._:-)', 400, 'idempotencyKey');
  return value;
}

/** The account's address or a verified alias (S-SEND-2), with its display name. */
function fromOf(account: Model, value: unknown): MailAddress {
  const identities = identitiesOf(account);
  const pick = (i: (typeof identities)[number]): MailAddress => (i.name ? { address: i.address, name: i.name } : { address: i.address });
  if (value == null || value === '') return pick(identities[0]);
  const { addresses } = parseRecipients(value);
  const match = addresses.length === 1 ? identities.find((i) => i.address === addresses[0].address) : undefined;
  if (!match) throw new UserError('The sender must be the account address or one of its aliases', 400, 'from');
  return pick(match);
}

function paging(params: Record<string, unknown>, fallback: number, max: number) {
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);
  const pageSize = Math.min(max, Math.max(1, Math.floor(Number(params.pageSize)) || fallback));
  return { page, pageSize };
}

