/**
 * A job's counts and status come from its recipient rows (S-BULK-5): after every change they are
 * counted again in one GROUP BY and written to the job, so the list shows them without a join
 * and the status follows one rule everywhere (deriveJobStatus).
 */
import type Application from '@nocobase/server';
import { type BulkCounts, deriveJobStatus } from '../../shared/bulk-api';
import { COLLECTIONS } from '../constants';
import { type JobRow, rawRow, rawRows, type Transaction } from '../db-types';

export class JobStatus {
  constructor(private readonly app: Application) {}

  private get jobs() {
    return this.app.db.getCollection(COLLECTIONS.massMessages).model;
  }

  private get recipients() {
    return this.app.db.getCollection(COLLECTIONS.massRecipients).model;
  }

  async counts(jobId: number, transaction?: Transaction): Promise<BulkCounts> {
    const rows = rawRows<{ status: string; n: number | string }>(await this.recipients.findAll({
      attributes: ['status', [this.app.db.sequelize.fn('COUNT', this.app.db.sequelize.col('id')), 'n']],
      where: { jobId },
      group: ['status'],
      raw: true,
      transaction,
    }));
    const counts: BulkCounts = { total: 0, pending: 0, sending: 0, sent: 0, failed: 0, canceled: 0 };
    for (const row of rows) {
      const n = Number(row.n) || 0;
      if (row.status in counts) counts[row.status as keyof BulkCounts] += n;
      counts.total += n;
    }
    return counts;
  }

  /** Counts again and stores counts, status and the finish time; answers the counts. */
  async refresh(jobId: number, transaction?: Transaction): Promise<BulkCounts> {
    const counts = await this.counts(jobId, transaction);
    const job = rawRow<JobRow>(await this.jobs.findOne({ attributes: ['scheduledAt', 'finishedAt', 'startedAt'], where: { id: jobId }, raw: true, transaction }));
    if (!job) return counts;
    const active = counts.pending + counts.sending > 0;
    await this.jobs.update(
      {
        status: deriveJobStatus(counts, job.scheduledAt, new Date(), Boolean(job.startedAt)),
        active,
        total: counts.total,
        pendingCount: counts.pending,
        sendingCount: counts.sending,
        sentCount: counts.sent,
        failedCount: counts.failed,
        canceledCount: counts.canceled,
        finishedAt: active ? null : (job.finishedAt ?? new Date()),
        ...(active ? {} : { waitingUntil: null, dailyLimitSince: null }),
      },
      { where: { id: jobId }, transaction, silent: true },
    );
    return counts;
  }
}
