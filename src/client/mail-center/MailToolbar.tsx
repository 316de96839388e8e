import {
  ArrowLeftOutlined,
  CheckOutlined,
  DeleteOutlined,
  EditOutlined,
  InboxOutlined,
  MailOutlined,
  ReloadOutlined,
  RollbackOutlined,
  SettingOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Button, Checkbox, Input, Popconfirm, Tooltip, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import type { BoxFilter, LabelView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { FilterPopover } from './FilterPopover';
import type { MailFilters } from './types';
import type { BatchAction } from './use-mail-actions';

export interface MailHeaderProps {
  filters: MailFilters;
  labels: LabelView[];
  syncing: boolean;
  syncBusy: boolean;
  onFilters(filters: MailFilters): void;
  onSync(): void;
  onSettings(): void;
  /** Opens a new mail (S-SEND-1); absent where no editor is available. */
  onCompose?(): void;
}

/** Send email, search, filters, Sync now and Settings (S-CENTER-4/5). */
export function MailHeader({ filters, labels, syncing, syncBusy, onFilters, onSync, onSettings, onCompose }: MailHeaderProps) {
  const t = useT();
  const [q, setQ] = useState(filters.q || '');
  useEffect(() => setQ(filters.q || ''), [filters.q]);
  return (
    <div className="emc-header">
      {onCompose && (
        <Button type="primary" icon={<EditOutlined />} onClick={onCompose} data-testid="mail-action-compose">
          {t('Send email')}
        </Button>
      )}
      <Input.Search
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(value) => onFilters({ ...filters, q: value.trim() || undefined })}
        allowClear
        placeholder={t('Search mail')}
        style={{ maxWidth: 560 }}
        data-testid="mail-search"
      />
      <FilterPopover filters={filters} labels={labels} onChange={onFilters} />
      <div style={{ flex: 1 }} />
      <Tooltip title={t('Fetch new mail from the provider now')}>
        <Button icon={<SyncOutlined spin={syncing || syncBusy} />} onClick={onSync} loading={false} disabled={syncBusy} data-testid="mail-action-sync">
          {syncing ? t('Syncing') : t('Sync now')}
        </Button>
      </Tooltip>
      <Button icon={<SettingOutlined />} onClick={onSettings} data-testid="mail-action-settings">
        {t('Settings')}
      </Button>
    </div>
  );
}

export interface ActionBarProps {
  box: BoxFilter;
  /** The reader is open: the actions apply to its conversation. */
  reading: boolean;
  selectedCount: number;
  /** Rows on this page. */
  pageCount: number;
  page: number;
  pageSize: number;
  /** The query's total, or null while `threadCount` has not answered. */
  total: number | null;
  onSelectAll(checked: boolean): void;
  onAction(action: BatchAction): void;
  onBack(): void;
  onRefresh(): void;
}

function Action({ name, title, icon, onClick, danger }: { name: string; title: string; icon: React.ReactNode; onClick?(): void; danger?: boolean }) {
  return (
    <Button type="text" icon={icon} onClick={onClick} danger={danger} data-testid={`mail-action-${name}`}>
      {title}
    </Button>
  );
}

/** Batch actions on the checked rows, or on the open conversation (S-CENTER-5/7). */
export function ActionBar({ box, reading, selectedCount, pageCount, page, pageSize, total, onSelectAll, onAction, onBack, onRefresh }: ActionBarProps) {
  const t = useT();
  const inTrash = box === 'trash';
  const first = (page - 1) * pageSize;
  const range = pageCount ? `${first + 1}–${first + pageCount}` : '0';
  return (
    <div className="emc-actions">
      {reading ? (
        <Action name="back" title={t('Back to the list')} icon={<ArrowLeftOutlined />} onClick={onBack} />
      ) : (
        <>
          <Checkbox
            style={{ margin: '0 8px 0 6px' }}
            checked={pageCount > 0 && selectedCount === pageCount}
            indeterminate={selectedCount > 0 && selectedCount < pageCount}
            onChange={(e) => onSelectAll(e.target.checked)}
            aria-label={t('Select all')}
            data-testid="mail-select-all"
          />
          <Action name="refresh" title={t('Refresh')} icon={<ReloadOutlined />} onClick={onRefresh} />
        </>
      )}
      {inTrash ? (
        <>
          <Action name="restore" title={t('Restore')} icon={<RollbackOutlined />} onClick={() => onAction('restore')} />
          {reading || selectedCount ? (
            <Popconfirm
              title={t('Delete forever?')}
              description={t('The selected mail is deleted from the mailbox at the provider too. This cannot be undone.')}
              okText={t('Delete forever')}
              okButtonProps={{ danger: true, 'data-testid': 'confirm-delete-forever' } as any}
              onConfirm={() => onAction('destroyForever')}
            >
              <span>
                <Action name="delete-forever" title={t('Delete forever')} icon={<DeleteOutlined />} danger />
              </span>
            </Popconfirm>
          ) : (
            <Action name="delete-forever" title={t('Delete forever')} icon={<DeleteOutlined />} danger onClick={() => onAction('destroyForever')} />
          )}
        </>
      ) : (
        <>
          <Action name="mark-read" title={t('Mark as read')} icon={<CheckOutlined />} onClick={() => onAction('read')} />
          <Action name="mark-unread" title={t('Mark as unread')} icon={<MailOutlined />} onClick={() => onAction('unread')} />
          {box === 'archive' || box === 'spam' ? (
            <Action name="move-to-inbox" title={t('Move to Inbox')} icon={<RollbackOutlined />} onClick={() => onAction('restore')} />
          ) : (
            <Action name="archive" title={t('Archive')} icon={<InboxOutlined />} onClick={() => onAction('archive')} />
          )}
          <Action name="trash" title={t('Move to trash')} icon={<DeleteOutlined />} onClick={() => onAction('trash')} />
        </>
      )}
      <span className="emc-spacer" />
      {!reading && selectedCount > 0 && (
        <Typography.Text type="secondary" style={{ marginRight: 12, whiteSpace: 'nowrap' }} data-testid="mail-selected-count">
          {t('{{count}} selected', { count: selectedCount })}
        </Typography.Text>
      )}
      {!reading && (pageCount > 0 || total !== null) && (
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }} data-testid="mail-range">
          {total === null ? range : t('{{range}} of {{count}}', { range, count: total })}
        </Typography.Text>
      )}
    </div>
  );
}
