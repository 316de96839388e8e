import { Progress, Tag, theme, Tooltip } from 'antd';
import React from 'react';
import type { BulkCounts, BulkJobStatus, BulkJobView, BulkRecipientStatus } from '../../../shared/bulk-api';
import { useT } from '../../locale';
import { BULK_POLL_MS, BULK_SCHEDULED_POLL_MS } from './use-live-load';

/** S-BULK-5 job statuses as the UI names them; the English text is the translation key. */
export const JOB_STATUS_TITLE: Record<BulkJobStatus, string> = {
  scheduled: 'Scheduled',
  pending: 'Pending',
  sending: 'Sending',
  someSent: 'Some sent',
  sent: 'Sent',
  failed: 'Failed',
  canceled: 'Canceled',
};
const JOB_STATUS_COLOR: Record<BulkJobStatus, string> = {
  scheduled: 'purple',
  pending: 'default',
  sending: 'processing',
  someSent: 'warning',
  sent: 'success',
  failed: 'error',
  canceled: 'default',
};

export const RECIPIENT_STATUS_TITLE: Record<BulkRecipientStatus, string> = {
  pending: 'Pending',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  canceled: 'Canceled',
};
const RECIPIENT_STATUS_COLOR: Record<BulkRecipientStatus, string> = {
  pending: 'default',
  sending: 'processing',
  sent: 'success',
  failed: 'error',
  canceled: 'default',
};

/** How often a job on screen is asked for news: often while it sends, now and then while scheduled. */
export function jobPollMs(job: Pick<BulkJobView, 'status'>): number | false {
  if (job.status === 'pending' || job.status === 'sending') return BULK_POLL_MS;
  return job.status === 'scheduled' ? BULK_SCHEDULED_POLL_MS : false;
}

/** The most urgent of several jobs' poll intervals. */
export function jobsPollMs(jobs: Pick<BulkJobView, 'status'>[]): number | false {
  const intervals = jobs.map(jobPollMs).filter((ms): ms is number => ms !== false);
  return intervals.length ? Math.min(...intervals) : false;
}

export function JobStatusTag({ job }: { job: Pick<BulkJobView, 'status' | 'paused' | 'reason'> }) {
  const t = useT();
  const tag = (
    <Tag color={JOB_STATUS_COLOR[job.status]} data-testid="bulk-job-status" data-status={job.status} style={{ marginInlineEnd: 0 }}>
      {t(JOB_STATUS_TITLE[job.status])}
      {job.paused ? ` · ${t('Paused')}` : ''}
    </Tag>
  );
  return job.reason ? <Tooltip title={job.reason}>{tag}</Tooltip> : tag;
}

export function RecipientStatusTag({ status }: { status: BulkRecipientStatus }) {
  const t = useT();
  return (
    <Tag color={RECIPIENT_STATUS_COLOR[status]} data-testid="bulk-recipient-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(RECIPIENT_STATUS_TITLE[status])}
    </Tag>
  );
}

/** "3 sent · 1 failed · 1 pending": only the numbers that are not zero, Sent always. */
export function CountsText({ counts }: { counts: BulkCounts }) {
  const t = useT();
  const parts: [keyof BulkCounts, string][] = [
    ['sent', t('{{n}} sent', { n: counts.sent })],
    ['failed', t('{{n}} failed', { n: counts.failed })],
    ['canceled', t('{{n}} canceled', { n: counts.canceled })],
    ['pending', t('{{n}} pending', { n: counts.pending + counts.sending })],
  ];
  const shown = parts.filter(([key]) => key === 'sent' || (key === 'pending' ? counts.pending + counts.sending : counts[key]) > 0);
  return (
    <span data-testid="bulk-counts" style={{ fontSize: 12 }}>
      {shown.map(([key, text], i) => (
        <span key={key} data-testid={`bulk-count-${key}`}>
          {i > 0 ? ' · ' : ''}
          {text}
        </span>
      ))}
    </span>
  );
}

/** Green for Sent; then red when some failed, else grey for Canceled (the user's choice, no error); light for what is to go. */
export function CountsProgress({ counts, width }: { counts: BulkCounts; width?: number }) {
  const { token } = theme.useToken();
  const total = Math.max(1, counts.total);
  const percent = (n: number) => Math.round((n / total) * 1000) / 10;
  const done = counts.sent + counts.failed + counts.canceled;
  return (
    <Progress
      data-testid="bulk-progress"
      size="small"
      style={{ width, margin: 0 }}
      percent={percent(done)}
      success={{ percent: percent(counts.sent), strokeColor: token.colorSuccess }}
      strokeColor={counts.failed > 0 ? token.colorError : token.colorTextQuaternary}
      status="normal"
      showInfo={false}
    />
  );
}
