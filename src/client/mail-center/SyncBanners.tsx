import { Alert, Button, Progress, Space, Typography } from 'antd';
import React from 'react';
import { useT } from '../locale';
import type { MailAccount } from './types';

export interface SyncBannersProps {
  /** The accounts in view: the selected one, or all. */
  accounts: MailAccount[];
  onReauthorize(account: MailAccount): void;
}

/** Import progress, reauthorization (S-ERR-3) and the last sync error of the accounts in view. */
export function SyncBanners({ accounts, onReauthorize }: SyncBannersProps) {
  const t = useT();
  return (
    <div className="emc-banners">
      {accounts.map((account) => {
        if (account.status === 'reauthorize') {
          return (
            <Alert
              key={account.id}
              type="warning"
              showIcon
              data-testid={`mail-reauthorize-${account.id}`}
              message={t('The email address {{email}} has an invalid grant. Please reauthorize your account.', { email: account.email })}
              action={
                <Button size="small" type="primary" onClick={() => onReauthorize(account)}>
                  {t('Reauthorize')}
                </Button>
              }
            />
          );
        }
        const percent = account.importProgress?.percent;
        if (account.syncStage === 'importing') {
          return (
            <div key={account.id} data-testid={`mail-sync-progress-${account.id}`} style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {t('Importing mail of {{email}}…', { email: account.email })}
              </Typography.Text>
              {typeof percent === 'number' && <Progress percent={Math.floor(percent)} size="small" style={{ maxWidth: 320, margin: 0 }} />}
            </div>
          );
        }
        const error = account.status === 'error' ? account.statusMessage || account.lastSyncError : account.lastSyncError;
        if (error) {
          return (
            <Alert
              key={account.id}
              type="error"
              showIcon
              closable
              data-testid={`mail-sync-error-${account.id}`}
              message={
                <Space size={4} wrap>
                  <span>{account.email}:</span>
                  <span>{t('Last sync failed: {{error}}', { error: t(error, { email: account.email }) })}</span>
                </Space>
              }
            />
          );
        }
        return null;
      })}
    </div>
  );
}
