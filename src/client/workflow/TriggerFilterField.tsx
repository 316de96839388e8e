/** "Only emails that match" of the trigger: a list of conditions (trigger-filter.ts), all or any. */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Select, Space } from 'antd';
import React from 'react';
import type { BlockFilter } from '../../shared/block-api';
import { TRIGGER_FILTER_FIELDS, type TriggerFilterField as FilterField } from '../../shared/workflow-api';
import { useT } from '../locale';
import { draftToFilter, FIELD_OPERATORS, FIELD_TITLES, filterToDraft, newRow, OPERATOR_TITLES, VALUELESS, type FilterDraft, type FilterRow } from './trigger-filter';

export interface TriggerFilterFieldProps {
  value?: BlockFilter | null;
  onChange?(value: BlockFilter | null): void;
}

const PLACEHOLDERS: Partial<Record<FilterField, string>> = {
  domain: 'acme.com, beta.io',
  label: 'Clients',
};

export function TriggerFilterField({ value, onChange }: TriggerFilterFieldProps) {
  const t = useT();
  const draft = filterToDraft(value);
  const emit = (next: FilterDraft) => onChange?.(draftToFilter(next));
  const setRow = (index: number, row: FilterRow) => emit({ ...draft, rows: draft.rows.map((r, i) => (i === index ? row : r)) });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="trigger-filter">
      {draft.unreadable && <Alert type="warning" showIcon message={t('Some conditions of this filter cannot be shown here; saving keeps only those listed.')} />}
      {draft.rows.length > 1 && (
        <Space>
          <span>{t('Emails that match')}</span>
          <Select
            size="small"
            value={draft.logic}
            onChange={(logic) => emit({ ...draft, logic })}
            options={[
              { value: '$and', label: t('all conditions') },
              { value: '$or', label: t('any condition') },
            ]}
          />
        </Space>
      )}
      {draft.rows.map((row, index) => (
        <Space key={index} wrap data-testid="trigger-filter-row">
          <Select
            style={{ width: 160 }}
            value={row.field}
            onChange={(field: FilterField) => setRow(index, newRow(field))}
            options={TRIGGER_FILTER_FIELDS.map((f) => ({ value: f, label: t(FIELD_TITLES[f]) }))}
          />
          <Select
            style={{ width: 150 }}
            value={row.operator}
            onChange={(operator: string) => setRow(index, { ...row, operator, value: VALUELESS.has(operator) ? true : typeof row.value === 'string' ? row.value : '' })}
            options={FIELD_OPERATORS[row.field].map((op) => ({ value: op, label: t(OPERATOR_TITLES[op]) }))}
          />
          {!VALUELESS.has(row.operator) && (
            <Input
              style={{ width: 240 }}
              value={String(row.value)}
              placeholder={PLACEHOLDERS[row.field] ?? (row.field === 'subject' || row.field === 'text' ? t('Text') : 'ann@acme.com')}
              onChange={(e) => setRow(index, { ...row, value: e.target.value })}
            />
          )}
          <Button type="text" icon={<DeleteOutlined />} aria-label={t('Remove')} onClick={() => emit({ ...draft, rows: draft.rows.filter((_, i) => i !== index) })} />
        </Space>
      ))}
      <Button size="small" icon={<PlusOutlined />} onClick={() => emit({ ...draft, rows: [...draft.rows, newRow()] })} data-testid="trigger-filter-add">
        {t('Add condition')}
      </Button>
    </Space>
  );
}
