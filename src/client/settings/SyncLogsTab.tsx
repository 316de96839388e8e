import { Alert, Table } from 'antd';
import React, { useEffect, useState } from 'react';
import { syncLogColumns } from '../accounts/SyncLogDialog';
import { SyncLogRow } from '../accounts/types';
import { useT } from '../locale';
import { ApiRequester } from './settings-api';

type AdminRow = SyncLogRow & { email: string | null };
const PAGE_SIZE = 50;

/** Settings → Email settings → Sync logs: every account's runs, for admins (S-SYNC-10). */
export function SyncLogsTab({ api }: { api: ApiRequester }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ rows: AdminRow[]; count: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setData(null);
    api
      .request({ url: `mailSyncLogs:listAll?page=${page}&pageSize=${PAGE_SIZE}`, skipNotify: true })
      .then((res) => setData({ rows: res.data.data, count: res.data.meta?.count ?? 0 }), (e: any) => setError(e?.response?.data?.errors?.[0]?.message || e.message));
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
