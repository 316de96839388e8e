import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, Checkbox, DatePicker, Form, Input, Popover, Select, Space } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import React, { useState } from 'react';
import type { LabelView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { LabelDot } from './label-colors';
import { activeFilterCount, MailFilters } from './types';

interface FormValues {
  unread?: boolean;
  hasAttachments?: boolean;
  from?: string;
  to?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  labelId?: number;
}

/** A date range of whole days: `after` inclusive, `before` exclusive, as the API takes them. */
export function toFilters(values: FormValues, q?: string): MailFilters {
  const [start, end] = values.dates || [];
  return {
    q,
    unread: values.unread || undefined,
    hasAttachments: values.hasAttachments || undefined,
    from: values.from?.trim() || undefined,
    to: values.to?.trim() || undefined,
    after: start ? start.startOf('day').toISOString() : undefined,
    before: end ? end.add(1, 'day').startOf('day').toISOString() : undefined,
    labelId: values.labelId || undefined,
  };
}

function toValues(filters: MailFilters): FormValues {
  return {
    unread: filters.unread,
    hasAttachments: filters.hasAttachments,
    from: filters.from,
    to: filters.to,
    dates: filters.after || filters.before ? [filters.after ? dayjs(filters.after) : null, filters.before ? dayjs(filters.before).subtract(1, 'day') : null] : null,
    labelId: filters.labelId,
  };
}

export interface FilterPopoverProps {
  filters: MailFilters;
  labels: LabelView[];
  onChange(filters: MailFilters): void;
}

/** The toolbar's filter button (S-CENTER-4): unread, attachments, from, to, dates, label. */
export function FilterPopover({ filters, labels, onChange }: FilterPopoverProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const active = activeFilterCount(filters);

  const apply = () => {
    onChange(toFilters(form.getFieldsValue(), filters.q));
    setOpen(false);
  };

  const content = (
    // The popover's content unmounts on close (destroyTooltipOnHide), so each opening starts from the applied filters.
    <Form form={form} layout="vertical" style={{ width: 320 }} onFinish={apply} initialValues={toValues(filters)} data-testid="mail-filter-form">
      <Space size="large">
        <Form.Item name="unread" valuePropName="checked" noStyle>
          <Checkbox data-testid="mail-filter-unread">{t('Unread')}</Checkbox>
        </Form.Item>
        <Form.Item name="hasAttachments" valuePropName="checked" noStyle>
          <Checkbox data-testid="mail-filter-attachments">{t('Has attachments')}</Checkbox>
        </Form.Item>
      </Space>
      <Form.Item name="from" label={t('From')} style={{ marginTop: 12, marginBottom: 8 }}>
        <Input allowClear placeholder={t('Name or address')} data-testid="mail-filter-from" />
      </Form.Item>
      <Form.Item name="to" label={t('To')} style={{ marginBottom: 8 }}>
        <Input allowClear placeholder={t('Name or address')} data-testid="mail-filter-to" />
      </Form.Item>
      <Form.Item name="dates" label={t('Date')} style={{ marginBottom: 8 }}>
        <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="labelId" label={t('Label')} style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('Any label')}
          options={labels.map((l) => ({
            value: l.id,
            label: (
              <Space size={6}>
                <LabelDot color={l.color} />
                {l.name}
              </Space>
            ),
          }))}
        />
      </Form.Item>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <Button
          onClick={() => {
            onChange({ q: filters.q });
            setOpen(false);
          }}
          data-testid="mail-filter-reset"
        >
          {t('Reset')}
        </Button>
        <Button type="primary" htmlType="submit" data-testid="mail-filter-apply">
          {t('Apply')}
        </Button>
      </Space>
    </Form>
  );

  return (
    <Popover trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} content={content} title={t('Filter')} destroyTooltipOnHide>
      <Badge count={active} size="small">
        <Button icon={<FilterOutlined />} data-testid="mail-action-filter" type={active ? 'primary' : 'default'} ghost={Boolean(active)}>
          {t('Filter')}
        </Button>
      </Badge>
    </Popover>
  );
}
