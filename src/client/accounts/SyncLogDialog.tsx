/** An account's sync log (S-SYNC-10): the owner's dialog, and the columns the admin's list shares. */
import { Alert, Modal, Table, TableColumnsType, Tag } from 'antd';
import dayjs from 'dayjs';
import React, { useEffect, useState } from 'react';
import { useT } from '../locale';
import type { SyncLogRow } from '../../shared/accounts-api';
import { AccountView } from './types';

const OUTCOME_COLOR: Record<SyncLogRow['outcome'], string> = {
  running: 'processing',
  ok: 'success',
  failed: 'error',
  throttled: 'warning',
  reauthorize: 'warning',
};
const OUTCOME_LABEL: Record<SyncLogRow['outcome'], string> = {
  running: 'Running',
  ok: 'OK',
  failed: 'Failed',
  throttled: 'Throttled',
  reauthorize: 'Reauthorize needed',
};
const KIND_LABEL: Record<SyncLogRow['kind'], string> = {
  initial: 'First import',
  incremental: 'Scheduled',
  manual: 'Sync now',
  resync: 'Resync',
};

const duration = (row: SyncLogRow) => (row.endedAt ? `${((dayjs(row.endedAt).valueOf() - dayjs(row.startedAt).valueOf()) / 1000).toFixed(1)} s` : '—');

/** The columns of a sync log, shared by the owner's dialog and the admin's Sync logs tab. */
export function syncLogColumns(t: (text: string, options?: any) => string): TableColumnsType<SyncLogRow> {
  return [
    { title: t('Started'), dataIndex: 'startedAt', render: (v) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
    { title: t('Kind'), dataIndex: 'kind', render: (v: SyncLogRow['kind']) => t(KIND_LABEL[v] || v) },
    { title: t('Outcome'), dataIndex: 'outcome', render: (v: SyncLogRow['outcome']) => <Tag color={OUTCOME_COLOR[v]}>{t(OUTCOME_LABEL[v] || v)}</Tag> },
    { title: t('Added'), dataIndex: 'added', align: 'right' },
    { title: t('Updated'), dataIndex: 'updated', align: 'right' },
    { title: t('Deleted'), dataIndex: 'deleted', align: 'right' },
    { title: t('API calls'), dataIndex: 'apiCalls', align: 'right' },
    { title: t('Duration'), key: 'duration', render: (_, row) => duration(row) },
    { title: t('Error'), dataIndex: 'error', ellipsis: true },
  ];
}

export interface SyncLogDialogProps {
  account: AccountView | null;
  load(accountId: number): Promise<SyncLogRow[]>;
  onClose(): void;
}

/** The account's sync health log (S-SYNC-10): its last 100 runs. */
export function SyncLogDialog({ account, load, onClose }: SyncLogDialogProps) {
  const t = useT();
  const [rows, setRows] = useState<SyncLogRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!account) return;
    setRows(null);
    load(account.id).then(setRows, (e: Error) => setError(e.message));
  }, [account, load]);

  if (!account) return null;
  return (
    <Modal open width={880} title={t('Sync log of {{email}}', { email: account.email })} footer={null} onCancel={onClose}>
      {error && <Alert type="error" showIcon message={error} />}
      <Table<SyncLogRow>
        size="small"
        rowKey="id"
        loading={!rows && !error}
        dataSource={rows || []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="sync-log"
        columns={syncLogColumns(t)}
      />
    </Modal>
  );
}
