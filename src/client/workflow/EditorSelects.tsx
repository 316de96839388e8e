/**
 * The node's pickers that need the server: the mailbox it sends from ("a fixed mailbox": only
 * mailboxes whose owner allows workflows) and one of the editor's templates.
 */
import { Select } from 'antd';
import React from 'react';
import { useT } from '../locale';
import { accountLabel, useEditorList } from './editor-api';

export interface IdSelectProps {
  value?: number | null;
  onChange?(value: number | null): void;
}

export function WorkflowMailboxSelect({ value, onChange }: IdSelectProps) {
  const t = useT();
  const { list, error, loading } = useEditorList((api) => api.accounts());
  return (
    <Select
      data-testid="send-account-select"
      style={{ width: '100%' }}
      loading={loading}
      status={error ? 'error' : undefined}
      placeholder={error || t('Select a mailbox')}
      value={value ?? undefined}
      onChange={(id: number) => onChange?.(id)}
      notFoundContent={t('No mailbox allows workflows yet. Its owner turns it on in Email accounts.')}
      options={(list || []).map((a) => ({ value: a.id, label: accountLabel(a) }))}
    />
  );
}

export function WorkflowTemplateSelect({ value, onChange }: IdSelectProps) {
  const t = useT();
  const { list, error, loading } = useEditorList((api) => api.templates());
  return (
    <Select
      data-testid="send-template-select"
      style={{ width: '100%' }}
      allowClear
      loading={loading}
      status={error ? 'error' : undefined}
      placeholder={error || t('No template')}
      value={value ?? undefined}
      onChange={(id?: number) => onChange?.(id ?? null)}
      notFoundContent={t('No templates yet')}
      options={(list || []).map((tpl) => ({ value: tpl.id, label: tpl.name }))}
    />
  );
}
