import { CheckOutlined, MailOutlined, ReloadOutlined, SendOutlined, SettingOutlined } from '@ant-design/icons';
import { Alert, App, Button, Space, Table } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import React, { useEffect, useMemo, useState } from 'react';
import { BLOCK_SORTS, BlockFilter, BlockRow, BlockScope, BlockSort } from '../../../shared/block-api';
import type { LabelView } from '../../../shared/mail-center-api';
import type { AccountsApi } from '../../accounts/types';
import type { OpenComposeOptions } from '../../compose/compose-load';
import { useT } from '../../locale';
import type { MailApi } from '../../mail-center/mail-api';
import { notifyMailChanged, onMailChanged } from '../../mail-center/mail-events';
import { SettingsDialog, SettingsTab } from '../../mail-center/SettingsDialog';
import type { BlockApi } from './block-api';
import { emailColumns } from './columns';
import { EmailDetailsDrawer } from './EmailDetails';
import { DetailButton, EmailField, SORTABLE_FIELDS } from './fields';
import { useEmailRows } from './use-email-rows';

export interface EmailTableSettings {
  scope: BlockScope;
  /** The data scope, variables already resolved (dataScopeToFilter). */
  filter: BlockFilter;
  pageSize: number;
  columns: EmailField[];
  /** "Enable click to open" of the Subject field. */
  clickToOpen: boolean;
  detailButtons: DetailButton[];
  /** Fixed height of the table body in px; none lets it grow. */
  height?: number;
}

export interface EmailTableViewProps extends EmailTableSettings {
  api: BlockApi;
  mail: MailApi;
  accounts: AccountsApi;
  /** The compose editor (absent outside the app's ComposeProvider: Send and Reply then hide). */
  openCompose?: (options: OpenComposeOptions) => void;
  /** The server's "mail changed" WebSocket events. */
  subscribeRemote?: (listener: () => void) => () => void;
}

const DEFAULT_SORT: BlockSort = '-date';

/** The Email table block's content (S-BLOCK-1): toolbar, the server-paged table, the details drawer. */
export function EmailTableView(props: EmailTableViewProps) {
  const t = useT();
  const { message } = App.useApp();
  const { api, mail, scope, filter, pageSize, columns, clickToOpen, openCompose, subscribeRemote } = props;
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(pageSize);
  const [sort, setSort] = useState<BlockSort>(DEFAULT_SORT);
  const [selected, setSelected] = useState<number[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [settingsTab, setSettingsTab] = useState<SettingsTab | null>(null);
  const [labels, setLabels] = useState<LabelView[]>([]);
  const [busy, setBusy] = useState(false);
  const filterKey = JSON.stringify(filter);

  // A changed setting starts again from the first page.
  useEffect(() => setSize(pageSize), [pageSize]);
  useEffect(() => {
    setPage(1);
    setSelected([]);
  }, [filterKey, scope, size]);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- filterKey stands for filter: an equal filter in a new object loads nothing again
  const query = useMemo(() => ({ scope, filter, page, pageSize: size, sort }), [scope, filterKey, page, size, sort]);
  const { rows, meta, loading, error, refresh } = useEmailRows(api, query);

  // Changes made here, in the mail center, the editor or by a sync refresh the page.
  useEffect(() => onMailChanged(refresh), [refresh]);
  useEffect(() => subscribeRemote?.(refresh), [subscribeRemote, refresh]);

  const own = useMemo(() => new Set(rows.filter((r) => !r.readOnly).map((r) => r.id)), [rows]);
  const ownSelected = selected.filter((id) => own.has(id));

  const setRead = async (read: boolean) => {
    if (!ownSelected.length) return;
    setBusy(true);
    try {
      await mail.setRead({ ids: ownSelected, scope: 'message', read });
      notifyMailChanged();
      setSelected([]);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const openSettings = () => {
    setSettingsTab('accounts');
    mail.labels().then(setLabels, () => undefined);
  };

  const onOpen = (row: BlockRow) => {
    // A draft of one's own opens in the editor (S-BLOCK-5).
    if (row.draft && !row.readOnly && openCompose) return openCompose({ draftId: row.id });
    setOpenId(row.id);
  };

  const tableColumns = emailColumns(columns, { t, clickToOpen, onOpen, sort });

  const onChange = (pagination: { current?: number; pageSize?: number }, _filters: unknown, sorter: SorterResult<BlockRow> | SorterResult<BlockRow>[]) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? SORTABLE_FIELDS[s.columnKey as EmailField] : undefined;
    const next = key ? ((s.order === 'descend' ? `-${key}` : key) as BlockSort) : DEFAULT_SORT;
    if (BLOCK_SORTS.includes(next) && next !== sort) {
      setSort(next);
      setPage(1);
      return;
    }
    if (pagination.pageSize && pagination.pageSize !== size) return setSize(pagination.pageSize);
    if (pagination.current) setPage(pagination.current);
  };

  return (
    <div data-testid="email-table-block">
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'flex-end' }}>
        <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="email-table-refresh">
          {t('Refresh')}
        </Button>
        <Button icon={<MailOutlined />} disabled={!ownSelected.length || busy} onClick={() => setRead(true)} data-testid="email-table-mark-read">
          {t('Mark as read')}
        </Button>
        <Button icon={<CheckOutlined />} disabled={!ownSelected.length || busy} onClick={() => setRead(false)} data-testid="email-table-mark-unread">
          {t('Mark as unread')}
        </Button>
        <Button icon={<SettingOutlined />} onClick={openSettings} data-testid="email-table-account-settings">
          {t('Account settings')}
        </Button>
        {openCompose && (
          <Button type="primary" icon={<SendOutlined />} onClick={() => openCompose({})} data-testid="email-table-send">
            {t('Send email')}
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="email-table-error" />}
      <Table<BlockRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        columns={tableColumns}
        scroll={props.height ? { y: props.height, x: 'max-content' } : { x: 'max-content' }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
          getCheckboxProps: (row) => ({ disabled: row.readOnly }),
        }}
        onRow={(row) => ({ 'data-testid': 'email-table-row', 'data-id': row.id } as React.HTMLAttributes<HTMLElement>)}
        pagination={{
          current: page,
          pageSize: size,
          total: meta?.count || 0,
          showSizeChanger: true,
          showTotal: (total) => t('Total {{count}} items', { count: total }),
        }}
        onChange={onChange as any}
      />
      <EmailDetailsDrawer
        messageId={openId}
        onClose={() => setOpenId(null)}
        api={api}
        mail={mail}
        buttons={props.detailButtons}
        openCompose={openCompose}
      />
      <SettingsDialog
        tab={settingsTab}
        onTab={setSettingsTab}
        onClose={() => setSettingsTab(null)}
        api={mail}
        accountsApi={props.accounts}
        labels={labels}
        onLabelsChanged={() => mail.labels().then(setLabels, () => undefined)}
      />
    </div>
  );
}
