/**
 * Jobs and recipients as the tracking UI reads them (BulkJobView, BulkRecipientView). The status
 * is derived again from the counts at read time, so a Scheduled job whose time has come shows
 * Pending even before the runner's next beat; `paused` and its reason come from the account.
 */
import { type BulkCounts, type BulkJobView, type BulkRecipientView, type BulkSource, deriveJobStatus } from '../../shared/bulk-api';
import { ACCOUNT_STATUS } from '../constants';
import type { JobRow, RecipientRow } from '../db-types';
import type { MailAddress } from '../mime/parse';
import { jsonOf } from './bulk-state';

/** Why a job waits for its account (stored untranslated; the client translates). */
const PAUSE_REASON: Record<string, string> = {
  [ACCOUNT_STATUS.reauthorize]: 'The account needs to be reauthorized; sending goes on afterwards',
  [ACCOUNT_STATUS.error]: 'The account has an error; sending goes on once it is fixed',
  [ACCOUNT_STATUS.disabled]: 'The account is paused; sending goes on once it is resumed',
};

const iso = (value: unknown) => (value == null ? null : new Date(value as string).toISOString());

export function countsOf(job: JobRow): BulkCounts {
  return {
    total: Number(job.total) || 0,
    pending: Number(job.pendingCount) || 0,
    sending: Number(job.sendingCount) || 0,
    sent: Number(job.sentCount) || 0,
    failed: Number(job.failedCount) || 0,
    canceled: Number(job.canceledCount) || 0,
  };
}

/** `job`: a raw mailMassMessages row; `account`: its raw account row (email, status). */
export function jobView(job: JobRow, account: { email?: string; status?: string } | null, withHtml = false): BulkJobView {
  const counts = countsOf(job);
  const source: Partial<BulkSource> = jsonOf<BulkSource>(job.source) || {};
  const active = counts.pending + counts.sending > 0;
  const pause = active && account?.status ? PAUSE_REASON[account.status] : undefined;
  const waitingUntil = job.waitingUntil && new Date(job.waitingUntil).getTime() > Date.now() ? iso(job.waitingUntil) : null;
  return {
    id: Number(job.id),
    accountId: Number(job.accountId),
    accountEmail: account?.email || '',
    from: jsonOf<MailAddress>(job.from) || { address: account?.email || '' },
    subject: job.subject || '',
    ...(withHtml ? { html: job.html || '' } : {}),
    status: deriveJobStatus(counts, job.scheduledAt, new Date(), Boolean(job.startedAt)),
    counts,
    paused: Boolean(pause),
    reason: pause ?? job.reason ?? null,
    waitingUntil: active ? waitingUntil : null,
    scheduledAt: iso(job.scheduledAt),
    source: { collection: source.collection ?? null, emailFieldNames: source.emailFieldNames ?? [], all: Boolean(source.all) },
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    finishedAt: active ? null : iso(job.finishedAt),
  };
}

export function recipientView(row: RecipientRow): BulkRecipientView {
  return {
    id: Number(row.id),
    address: row.address || '',
    name: row.name || null,
    status: row.status,
    reason: row.reason || null,
    attempts: Number(row.attempts) || 0,
    recordKey: row.recordKey ?? null,
    sentAt: iso(row.sentAt),
    messageId: row.messageId == null ? null : Number(row.messageId),
  };
}
