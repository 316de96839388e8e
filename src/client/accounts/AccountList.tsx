import { Badge, Button, List, Popconfirm, Progress, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import React from 'react';
import { useT } from '../locale';
import { PROVIDER_TITLE } from './ConnectDialog';
import { AccountStatus, AccountView } from './types';

const STATUS_BADGE: Record<AccountStatus, 'success' | 'processing' | 'warning' | 'error' | 'default'> = {
  connected: 'success',
  syncing: 'processing',
  reauthorize: 'warning',
  error: 'error',
  disabled: 'default',
};

const STATUS_LABEL: Record<AccountStatus, string> = {
  connected: 'Connected',
  syncing: 'Syncing',
  reauthorize: 'Reauthorize needed',
  error: 'Error',
  disabled: 'Paused',
};

/** Where a user withdraws the app's access at the provider (S-ERR-2); a server login has no such page. */
const REVOKE_PAGES: Partial<Record<AccountView['provider'], string>> = {
  gmail: 'https://myaccount.google.com/connections',
  outlook: 'https://account.microsoft.com/privacy/app-access',
};

export interface AccountListProps {
  accounts: AccountView[];
  busy: Record<number, string | undefined>;
  onReauthorize(account: AccountView): void;
  onSyncAliases(account: AccountView): void;
  onDelete(account: AccountView): void;
  onSyncNow(account: AccountView): void;
  onResync(account: AccountView): void;
  onShowLog(account: AccountView): void;
  /** The owner's consent for workflows (off by default); the switch shows the server's answer. */
  onWorkflowAccess(account: AccountView, allowed: boolean): void;
}

export function AccountList({ accounts, busy, onReauthorize, onSyncAliases, onDelete, onSyncNow, onResync, onShowLog, onWorkflowAccess }: AccountListProps) {
  const t = useT();
  return (
    <List
      bordered
      dataSource={accounts}
      locale={{ emptyText: t('No mailbox is linked yet') }}
      renderItem={(account) => {
        const needsGrant = account.status === 'reauthorize' || account.status === 'error';
        const progress = account.importProgress;
        const running = account.status === 'syncing';
        const actions = [
          !needsGrant && (
            <Button key="sync" size="small" data-testid="sync-now" loading={busy[account.id] === 'sync' || running} onClick={() => onSyncNow(account)}>
              {running ? t('Syncing') : t('Sync now')}
            </Button>
          ),
          !needsGrant && (
            <Popconfirm
              key="resync"
              title={t('Resync {{email}}?', { email: account.email })}
              description={<div style={{ maxWidth: 320 }}>{t('All mail from the start date is imported again and threads are rebuilt. Labels, notes and to-dos are kept.')}</div>}
              okText={t('Resync')}
              onConfirm={() => onResync(account)}
            >
              <Button size="small" loading={busy[account.id] === 'resync'} disabled={running}>
                {t('Resync')}
              </Button>
            </Popconfirm>
          ),
          <Button key="log" size="small" type="link" onClick={() => onShowLog(account)}>
            {t('Sync log')}
          </Button>,
          needsGrant && (
            <Button key="reauthorize" type="primary" size="small" loading={busy[account.id] === 'reauthorize'} onClick={() => onReauthorize(account)}>
              {account.capabilities?.signIn === 'password' ? t('Enter password again') : t('Reauthorize')}
            </Button>
          ),
          account.capabilities?.aliases && (
            <Button key="aliases" size="small" loading={busy[account.id] === 'aliases'} onClick={() => onSyncAliases(account)}>
              {t('Sync aliases')}
            </Button>
          ),
          <Popconfirm
            key="delete"
            title={t('Delete {{email}}?', { email: account.email })}
            description={
              <div style={{ maxWidth: 320 }}>
                {t('Its synced mail, attachments, notes and logs are deleted from NocoBase. The mailbox itself is not touched.')}{' '}
                {REVOKE_PAGES[account.provider] && (
                  <a href={REVOKE_PAGES[account.provider]} target="_blank" rel="noopener noreferrer">
                    {t('Review app access at {{provider}}', { provider: PROVIDER_TITLE[account.provider] })}
                  </a>
                )}
              </div>
            }
            okText={t('Delete')}
            okButtonProps={{ danger: true, 'data-testid': 'confirm-delete' } as any}
            onConfirm={() => onDelete(account)}
          >
            <Button size="small" danger loading={busy[account.id] === 'delete'}>
              {t('Delete')}
            </Button>
          </Popconfirm>,
        ].filter(Boolean);
        return (
          <List.Item actions={actions as React.ReactNode[]} data-testid={`account-${account.email}`}>
            <List.Item.Meta
              title={
                <Space wrap>
                  <Typography.Text strong>{account.email}</Typography.Text>
                  <Tag>{PROVIDER_TITLE[account.provider]}</Tag>
                  <Badge status={STATUS_BADGE[account.status] || 'default'} text={t(STATUS_LABEL[account.status] || account.status)} data-testid="account-status" />
                </Space>
              }
              description={
                <Space direction="vertical" size={2}>
                  {account.displayName && <span>{account.displayName}</span>}
                  {account.statusMessage && (
                    <Typography.Text type={needsGrant ? 'danger' : 'secondary'}>
                      {t(account.statusMessage, { email: account.email })}
                    </Typography.Text>
                  )}
                  <Typography.Text type="secondary">
                    {account.lastSyncedAt
                      ? t('Last synced {{time}}', { time: dayjs(account.lastSyncedAt).format('YYYY-MM-DD HH:mm') })
                      : t('Not synced yet')}
                    {account.syncStartDate && ` · ${t('Mail from {{date}}', { date: dayjs(account.syncStartDate).format('YYYY-MM-DD') })}`}
                  </Typography.Text>
                  {account.throttledUntil && dayjs(account.throttledUntil).isAfter(dayjs()) && (
                    <Typography.Text type="warning">{t('Throttled until {{time}}', { time: dayjs(account.throttledUntil).format('HH:mm') })}</Typography.Text>
                  )}
                  {account.lastSyncError && !needsGrant && (
                    <Typography.Text type="danger">{t('Last sync failed: {{error}}', { error: account.lastSyncError })}</Typography.Text>
                  )}
                  {progress && typeof progress.percent === 'number' && progress.percent < 100 && (
                    <Tooltip title={t('{{imported}} of {{total}} imported', { imported: progress.imported, total: progress.total })}>
                      <Progress percent={Math.floor(progress.percent)} size="small" style={{ width: 240 }} />
                    </Tooltip>
                  )}
                  <Space size={6}>
                    <Switch
                      size="small"
                      data-testid="workflow-access"
                      checked={Boolean(account.workflowAccess)}
                      loading={busy[account.id] === 'workflow'}
                      onChange={(allowed) => onWorkflowAccess(account, allowed)}
                    />
                    <Typography.Text type="secondary">{t('Allow workflows to use this mailbox')}</Typography.Text>
                  </Space>
                  {account.aliases.length > 1 && (
                    <Typography.Text type="secondary">
                      {t('Send as: {{addresses}}', { addresses: account.aliases.map((a) => a.email).join(', ') })}
                    </Typography.Text>
                  )}
                </Space>
              }
            />
          </List.Item>
        );
      }}
    />
  );
}
