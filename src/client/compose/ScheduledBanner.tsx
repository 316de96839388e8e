import { Alert, Button, Popconfirm } from 'antd';
import dayjs from 'dayjs';
import React, { useState } from 'react';
import type { ScheduledView } from '../../shared/compose-api';
import { useT } from '../locale';

export interface ScheduledBannerProps {
  scheduled: ScheduledView;
  /** Cancels the schedule (the mail goes back to Drafts); rejects with the server's message. */
  onCancel(): Promise<void>;
}

/**
 * A draft opened from the Scheduled box (S-SCHED-2): when it goes out (or why it failed), and
 * "Cancel scheduled send", confirmed first. Sending it now or scheduling it again also works.
 */
export function ScheduledBanner({ scheduled, onCancel }: ScheduledBannerProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const when = dayjs(scheduled.scheduledAt).format('YYYY-MM-DD HH:mm');
  const failed = scheduled.scheduleStatus === 'failed';
  return (
    <Alert
      type={failed ? 'error' : 'info'}
      showIcon
      style={{ margin: '8px 12px 0' }}
      data-testid="compose-scheduled"
      message={failed ? t('Scheduled send failed: {{reason}}', { reason: scheduled.scheduleError || '' }) : t('Scheduled to be sent at {{time}}', { time: when })}
      description={error || undefined}
      action={
        <Popconfirm
          title={t('Cancel scheduled send?')}
          description={t('The email goes back to Drafts.')}
          okText={t('Cancel scheduled send')}
          cancelText={t('Keep it')}
          zIndex={1100}
          okButtonProps={{ 'data-testid': 'compose-cancel-schedule-ok' } as any}
          onConfirm={async () => {
            setBusy(true);
            setError(null);
            try {
              await onCancel();
            } catch (e) {
              setError((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Button size="small" loading={busy} data-testid="compose-cancel-schedule">
            {t('Cancel scheduled send')}
          </Button>
        </Popconfirm>
      }
    />
  );
}
