/** Settings → Email settings → Sync logs: every account's runs, a page at a time (S-SYNC-10). */
import { Alert, Table } from 'antd';
import React, { useEffect, useState } from 'react';
import { ADMIN_SYNC_LOG_PAGE_SIZE as PAGE_SIZE, type AdminSyncLogRow as AdminRow } from '../../shared/settings-api';
import type { Requester } from '../api';
import { syncLogColumns } from '../accounts/SyncLogDialog';
import { useT } from '../locale';
import { loadSyncLogs, type SyncLogPage } from './settings-api';

/** Settings → Email settings → Sync logs: every account's runs, for admins (S-SYNC-10). */
export function SyncLogsTab({ api }: { api: Requester }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<SyncLogPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setData(null);
    loadSyncLogs(api, page, PAGE_SIZE).then(setData, (e: Error) => setError(e.message));
  }, [api, page]);

  if (error) return <Alert type="error" showIcon message={error} />;
  return (
    <Table<AdminRow>
      size="small"
      rowKey="id"
      loading={!data}
      dataSource={data?.rows || []}
      data-testid="admin-sync-logs"
      pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.count || 0, onChange: setPage, showSizeChanger: false }}
      columns={[{ title: t('Account'), dataIndex: 'email' }, ...(syncLogColumns(t) as any)]}
    />
  );
}
