import { Button, DatePicker, Modal, Space, Typography } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import React, { useEffect, useState } from 'react';
import { earliestSendAt, latestSendAt } from '../../shared/compose-api';
import { useT } from '../locale';

export interface ScheduleDialogProps {
  open: boolean;
  busy: boolean;
  onCancel(): void;
  /** The chosen time as ISO 8601 with the user's offset ("2030-05-01T09:00:00+02:00"). */
  onSchedule(sendAt: string): void;
  /** The clock, for tests. */
  now?: () => Date;
}

/** Morning and afternoon of the quick choices, in the user's own time zone. */
const MORNING_HOUR = 8;
const AFTERNOON_HOUR = 13;

/** The user's IANA zone, named in the dialog so the time is not misread. */
function timeZoneName() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return '';
  }
}

/** Tomorrow morning, tomorrow afternoon and next Monday morning: the times mail clients offer. */
function quickChoices(now: Dayjs) {
  const tomorrow = now.add(1, 'day').startOf('day');
  const daysToMonday = ((8 - now.day()) % 7) || 7;
  return [
    { key: 'tomorrow-morning', label: 'Tomorrow morning', at: tomorrow.hour(MORNING_HOUR) },
    { key: 'tomorrow-afternoon', label: 'Tomorrow afternoon', at: tomorrow.hour(AFTERNOON_HOUR) },
    { key: 'monday-morning', label: 'Monday morning', at: now.add(daysToMonday, 'day').startOf('day').hour(MORNING_HOUR) },
  ];
}

/**
 * Schedule send (S-SCHED-1): a date and time in the user's time zone, between now + 1 minute and
 * one year ahead, with three quick choices. The server checks the range again.
 */
export function ScheduleDialog({ open, busy, onCancel, onSchedule, now = () => new Date() }: ScheduleDialogProps) {
  const t = useT();
  const [value, setValue] = useState<Dayjs | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      setValue(null);
      setError(null);
    }
  }, [open]);

  const submit = (at: Dayjs | null) => {
    if (!at) {
      setError(t('Choose when to send'));
      return;
    }
    const current = now();
    if (at.valueOf() < earliestSendAt(current).getTime()) return setError(t('Choose a time at least 1 minute from now'));
    if (at.valueOf() > latestSendAt(current).getTime()) return setError(t('Choose a time within one year'));
    onSchedule(at.second(0).millisecond(0).format());
  };

  const today = dayjs(now());
  const zone = timeZoneName();
  return (
    <Modal
      open={open}
      title={t('Schedule send')}
      zIndex={1100}
      onCancel={onCancel}
      destroyOnClose
      footer={[
        <Button key="cancel" onClick={onCancel}>
          {t('Cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => submit(value)} data-testid="compose-schedule-ok">
          {t('Schedule send')}
        </Button>,
      ]}
    >
      <div data-testid="compose-schedule-dialog">
        <Space direction="vertical" style={{ width: '100%' }}>
          {quickChoices(today).map((choice) => (
            <Button
              key={choice.key}
              block
              style={{ justifyContent: 'space-between' }}
              disabled={busy}
              onClick={() => submit(choice.at)}
              data-testid={`compose-schedule-${choice.key}`}
            >
              <span>{t(choice.label)}</span>
              <Typography.Text type="secondary">{choice.at.format('ddd, MMM D, HH:mm')}</Typography.Text>
            </Button>
          ))}
          <Typography.Text strong style={{ marginTop: 8 }}>
            {t('Pick date and time')}
          </Typography.Text>
          <DatePicker
            showTime={{ format: 'HH:mm', minuteStep: 1 }}
            format="YYYY-MM-DD HH:mm"
            value={value}
            onChange={(v) => {
              setValue(v);
              setError(null);
            }}
            disabledDate={(d) => d.isBefore(today.startOf('day')) || d.isAfter(dayjs(latestSendAt(now())))}
            style={{ width: '100%' }}
            getPopupContainer={(node) => node.parentElement || document.body}
            data-testid="compose-schedule-picker"
          />
          {zone && <Typography.Text type="secondary">{t('Time zone: {{zone}}', { zone })}</Typography.Text>}
          {error && (
            <Typography.Text type="danger" data-testid="compose-schedule-error">
              {error}
            </Typography.Text>
          )}
        </Space>
      </div>
    </Modal>
  );
}
