import { ArrowLeftOutlined, RedoOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Popconfirm, Segmented, Space, Typography } from 'antd';
import React, { useCallback, useState } from 'react';
import { BULK_RECIPIENT_STATUSES, BULK_RECIPIENTS_PAGE_SIZE, BulkJobView, BulkRecipientStatus, BulkRecipientView } from '../../../shared/bulk-api';
import { useT } from '../../locale';
import { addressFull, fullDate } from '../format';
import type { BulkApi } from './bulk-api-client';
import { CountsProgress, CountsText, JobStatusTag, jobPollMs, RECIPIENT_STATUS_TITLE } from './bulk-status';
import { RecipientTable } from './RecipientTable';
import { useLiveLoad } from './use-live-load';

export interface BulkJobPageProps {
  api: BulkApi;
  jobId: number;
  onBack(): void;
  onOpenMail(messageId: number): void;
  subscribeRemote?: (listener: () => void) => () => void;
}

type StatusFilter = BulkRecipientStatus | 'all';

/** One job (S-BULK-5): its numbers, Cancel all pending / Resend failed and canceled, the recipients. */
export function BulkJobPage({ api, jobId, onBack, onOpenMail, subscribeRemote }: BulkJobPageProps) {
  const t = useT();
  const { message } = App.useApp();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(BULK_RECIPIENTS_PAGE_SIZE);
  /** 'all' while a job-wide action runs, a recipient's id while its own does. */
  const [busy, setBusy] = useState<'all' | number | null>(null);

  // One load for the job and then its recipients: polling stops when the job is finished, and rows
  // read after that answer are final too (two separate polls could stop with a row still Pending).
  const load = useCallback(async () => {
    const job = await api.job(jobId);
    const recipients = await api.recipients(jobId, { status: status === 'all' ? undefined : status, page, pageSize });
    return { job, recipients };
  }, [api, jobId, status, page, pageSize]);
  const live = useLiveLoad({ load, live: (d) => jobPollMs(d.job), subscribeRemote });

  /** Runs one cancel/resend; the server's refusal (409: already sent, account cannot send…) is shown, never swallowed. */
  const act = async (key: 'all' | number, call: () => Promise<BulkJobView>, done: string) => {
    setBusy(key);
    try {
      await call();
      message.success(done);
    } catch (error) {
      message.error((error as Error).message);
    } finally {
      setBusy(null);
      live.reload();
    }
  };
  const cancelOne = (row: BulkRecipientView) => act(row.id, () => api.cancel(jobId, row.id), t('The mail was canceled'));
  const resendOne = (row: BulkRecipientView) => act(row.id, () => api.resend(jobId, row.id), t('The mail will be sent again'));
  const cancelAll = () => act('all', () => api.cancel(jobId), t('The pending mails were canceled'));
  const resendAll = () => act('all', () => api.resend(jobId), t('The failed and canceled mails will be sent again'));

  const data = live.data?.job;
  const recipients = live.data?.recipients;
  const pending = data?.counts.pending || 0;
  const retryable = (data?.counts.failed || 0) + (data?.counts.canceled || 0);

  return (
    <div className="emc-bulk" data-testid="bulk-job-page" data-job-id={jobId}>
      <div className="emc-bulk-head">
        <Space size={8} style={{ minWidth: 0 }}>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('Back to the mass sends')} data-testid="bulk-job-back" />
          <Typography.Title level={5} style={{ margin: 0 }} ellipsis data-testid="bulk-job-title">
            {data ? data.subject || t('(no subject)') : ''}
          </Typography.Title>
          {data && <JobStatusTag job={data} />}
        </Space>
        <Button icon={<ReloadOutlined />} onClick={live.reload} data-testid="bulk-job-refresh">
          {t('Refresh')}
        </Button>
      </div>
      {live.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('The mass send could not be loaded')}
          description={live.error}
          action={<Button onClick={live.reload}>{t('Try again')}</Button>}
          data-testid="bulk-job-error"
        />
      )}
      {data && (
        <>
          <div className="emc-bulk-meta" data-testid="bulk-job-meta">
            <span>
              {t('From')}: {addressFull(data.from)}
            </span>
            <span>
              {t('Created')}: {fullDate(data.createdAt)}
            </span>
            {data.scheduledAt && (
              <span>
                {t('Scheduled for')}: {fullDate(data.scheduledAt)}
              </span>
            )}
            {data.finishedAt && (
              <span>
                {t('Finished')}: {fullDate(data.finishedAt)}
              </span>
            )}
          </div>
          {(data.paused || data.reason || data.waitingUntil) && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="bulk-job-waiting"
              message={data.paused ? t('The mass send is paused: it goes on by itself once the account can send again') : data.reason}
              description={
                [data.paused ? data.reason : null, data.waitingUntil ? t('Next try at {{time}}', { time: fullDate(data.waitingUntil) }) : null].filter(Boolean).join(' · ') ||
                undefined
              }
            />
          )}
          <div className="emc-bulk-progress">
            <CountsProgress counts={data.counts} />
            <CountsText counts={data.counts} />
          </div>
          <div className="emc-bulk-toolbar">
            <Segmented<StatusFilter>
              size="small"
              value={status}
              data-testid="bulk-recipient-filter"
              onChange={(value) => {
                setStatus(value);
                setPage(1);
              }}
              options={[
                { value: 'all', label: `${t('All')} (${data.counts.total})` },
                ...BULK_RECIPIENT_STATUSES.map((s) => ({ value: s, label: `${t(RECIPIENT_STATUS_TITLE[s])} (${data.counts[s]})` })),
              ]}
            />
            <Space>
              <Popconfirm
                title={t('Cancel all {{n}} pending mails?', { n: pending })}
                description={t('They will not be sent. You can send them again later.')}
                okText={t('Cancel all pending')}
                cancelText={t('Keep them')}
                okButtonProps={{ danger: true, 'data-testid': 'bulk-confirm-cancel-all' } as any}
                onConfirm={cancelAll}
                disabled={!pending}
              >
                <Button icon={<StopOutlined />} disabled={!pending} loading={busy === 'all'} data-testid="bulk-cancel-all">
                  {t('Cancel all pending')}
                </Button>
              </Popconfirm>
              <Popconfirm
                title={t('Send the {{n}} failed and canceled mails again?', { n: retryable })}
                description={t('Mails already sent are not sent again.')}
                okText={t('Resend')}
                okButtonProps={{ 'data-testid': 'bulk-confirm-resend-all' } as any}
                onConfirm={resendAll}
                disabled={!retryable}
              >
                <Button icon={<RedoOutlined />} disabled={!retryable} loading={busy === 'all'} data-testid="bulk-resend-all">
                  {t('Resend failed and canceled')}
                </Button>
              </Popconfirm>
            </Space>
          </div>
          <RecipientTable
            rows={recipients?.rows || []}
            count={recipients?.count || 0}
            page={page}
            pageSize={pageSize}
            loading={live.loading}
            busyId={typeof busy === 'number' ? busy : null}
            onPage={(next, size) => {
              if (size !== pageSize) {
                setPageSize(size);
                setPage(1);
              } else setPage(next);
            }}
            onCancel={cancelOne}
            onResend={resendOne}
            onOpenMail={onOpenMail}
          />
        </>
      )}
    </div>
  );
}
