import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Space, Table, Typography } from 'antd';
import React, { useCallback, useState } from 'react';
import { BULK_JOBS_PAGE_SIZE, BulkJobView } from '../../../shared/bulk-api';
import { useT } from '../../locale';
import { fullDate } from '../format';
import type { BulkApi } from './bulk-api-client';
import { CountsProgress, CountsText, JobStatusTag, jobsPollMs } from './bulk-status';
import { useLiveLoad } from './use-live-load';

export interface BulkJobListProps {
  api: BulkApi;
  onOpen(jobId: number): void;
  subscribeRemote?: (listener: () => void) => () => void;
}

/** "Mass Send Tracking" (S-BULK-5): the user's jobs, newest first, live while one sends. */
export function BulkJobList({ api, onOpen, subscribeRemote }: BulkJobListProps) {
  const t = useT();
  const [page, setPage] = useState(1);
  const load = useCallback(() => api.jobs({ page, pageSize: BULK_JOBS_PAGE_SIZE }), [api, page]);
  const { data, error, loading, reload } = useLiveLoad({ load, live: (p) => jobsPollMs(p.rows), subscribeRemote });

  return (
    <div className="emc-bulk" data-testid="bulk-jobs">
      <div className="emc-bulk-head">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('Mass Send Tracking')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="bulk-jobs-refresh">
          {t('Refresh')}
        </Button>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('The mass sends could not be loaded')}
          description={error}
          action={<Button onClick={reload}>{t('Try again')}</Button>}
          data-testid="bulk-jobs-error"
        />
      )}
      <Table<BulkJobView>
        size="middle"
        rowKey="id"
        loading={loading}
        dataSource={data?.rows || []}
        locale={{ emptyText: <Empty description={t('No mass sends yet')} data-testid="bulk-jobs-empty" /> }}
        pagination={
          (data?.count || 0) > BULK_JOBS_PAGE_SIZE && { current: page, pageSize: BULK_JOBS_PAGE_SIZE, total: data?.count || 0, onChange: setPage, showSizeChanger: false }
        }
        onRow={(job) => ({ onClick: () => onOpen(job.id), style: { cursor: 'pointer' }, 'data-testid': `bulk-job-${job.id}` } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          {
            title: t('Subject'),
            key: 'subject',
            ellipsis: true,
            render: (_, job) => (
              <span data-testid="bulk-job-subject" style={{ fontWeight: 500 }}>
                {job.subject || t('(no subject)')}
              </span>
            ),
          },
          { title: t('Account'), key: 'account', width: 220, ellipsis: true, render: (_, job) => job.accountEmail },
          { title: t('Created'), key: 'created', width: 150, render: (_, job) => fullDate(job.createdAt) },
          {
            title: t('Status'),
            key: 'status',
            width: 130,
            render: (_, job) => (
              <Space direction="vertical" size={0}>
                <JobStatusTag job={job} />
                {job.status === 'scheduled' && job.scheduledAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fullDate(job.scheduledAt)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('Progress'),
            key: 'progress',
            width: 260,
            render: (_, job) => (
              <div>
                <CountsProgress counts={job.counts} />
                <CountsText counts={job.counts} />
              </div>
            ),
          },
        ]}
      />
    </div>
  );
}
