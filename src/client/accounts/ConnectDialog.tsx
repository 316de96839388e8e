import { DatePicker, Form, Modal, Typography } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import React, { useState } from 'react';
import { useT } from '../locale';
import { ProviderName } from './types';

/** Default sync window (S-CONN-2): mail of the past month. */
export const defaultStartDate = () => dayjs().subtract(1, 'month').startOf('day');

export const PROVIDER_TITLE: Record<ProviderName, string> = { gmail: 'Gmail', outlook: 'Outlook', imap: 'IMAP' };

export interface ConnectDialogProps {
  provider: ProviderName | null;
  onCancel(): void;
  /** Starts the provider's consent with the chosen start date (ISO). */
  onConnect(provider: ProviderName, syncStartDate: string): void;
}

/**
 * Asks where the first import starts before sending the user to the provider, so the code the
 * provider returns is exchanged at once instead of waiting while the user decides.
 */
export function ConnectDialog({ provider, onCancel, onConnect }: ConnectDialogProps) {
  const t = useT();
  const [start, setStart] = useState<Dayjs>(defaultStartDate);
  if (!provider) return null;
  return (
    <Modal
      open
      title={t('Connect {{provider}}', { provider: PROVIDER_TITLE[provider] })}
      okText={t('Continue to {{provider}}', { provider: PROVIDER_TITLE[provider] })}
      okButtonProps={{ 'data-testid': 'connect-continue' } as any}
      onCancel={onCancel}
      onOk={() => onConnect(provider, start.toISOString())}
      destroyOnClose
    >
      <Form layout="vertical">
        <Form.Item label={t('Sync mail from')} extra={t('By default, only emails from the past month will be synced')}>
          <DatePicker
            value={start}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs().endOf('day'))}
            onChange={(d) => d && setStart(d.startOf('day'))}
            data-testid="sync-start-date"
          />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary">
        {t('A new tab opens where you sign in to {{provider}} and allow access. Come back here when it is done.', {
          provider: PROVIDER_TITLE[provider],
        })}
      </Typography.Paragraph>
    </Modal>
  );
}
