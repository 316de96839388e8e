import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Input, List, Popconfirm, Space, Tag } from 'antd';
import React, { useState } from 'react';
import { LABEL_NAME_MAX, LabelView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { ColorSwatches } from './label-colors';
import type { MailApi } from './mail-api';

export interface LabelFormProps {
  initial?: { name: string; color: string };
  submitText: string;
  onSubmit(value: { name: string; color: string }): Promise<void>;
  onCancel?(): void;
  testId?: string;
}

/** Name and colour of a personal label; used to create one and to rename/recolour it. */
export function LabelForm({ initial, submitText, onSubmit, onCancel, testId = 'label-form' }: LabelFormProps) {
  const t = useT();
  const [name, setName] = useState(initial?.name || '');
  const [color, setColor] = useState(initial?.color || 'blue');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!name.trim()) return;
    setBusy(true);
    try {
      await onSubmit({ name: name.trim(), color });
      if (!initial) setName('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      <Input
        value={name}
        maxLength={LABEL_NAME_MAX}
        placeholder={t('Label name')}
        onChange={(e) => setName(e.target.value)}
        onPressEnter={submit}
        data-testid={`${testId}-name`}
        autoFocus={Boolean(initial)}
      />
      <ColorSwatches value={color} onChange={setColor} />
      <Space>
        <Button type="primary" size="small" loading={busy} disabled={!name.trim()} onClick={submit} data-testid={`${testId}-submit`}>
          {submitText}
        </Button>
        {onCancel && (
          <Button size="small" onClick={onCancel}>
            {t('Cancel')}
          </Button>
        )}
      </Space>
    </Space>
  );
}

export interface LabelsManagerProps {
  api: MailApi;
  labels: LabelView[];
  /** Reload labels (and whatever shows them) after a change. */
  onChanged(): void;
}

/** Settings → Labels: create, rename, recolour and delete the user's personal labels (S-CENTER-8). */
export function LabelsManager({ api, labels, onChanged }: LabelsManagerProps) {
  const t = useT();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<number | null>(null);

  const save = async (value: { id?: number; name: string; color: string }) => {
    try {
      await api.saveLabel(value);
      setEditing(null);
      onChanged();
    } catch (error) {
      message.error((error as Error).message);
      throw error;
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t('New label')}</div>
        <LabelForm submitText={t('Create')} onSubmit={(v) => save(v).catch(() => undefined)} testId="label-create" />
      </div>
      <List
        bordered
        dataSource={labels}
        locale={{ emptyText: t('No labels yet') }}
        renderItem={(label) =>
          editing === label.id ? (
            <List.Item data-testid={`label-item-${label.id}`}>
              <LabelForm
                initial={label}
                submitText={t('Save')}
                onSubmit={(v) => save({ id: label.id, ...v }).catch(() => undefined)}
                onCancel={() => setEditing(null)}
                testId={`label-edit-${label.id}`}
              />
            </List.Item>
          ) : (
            <List.Item
              data-testid={`label-item-${label.id}`}
              actions={[
                <Button key="edit" type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(label.id)} aria-label={t('Edit')} />,
                <Popconfirm
                  key="delete"
                  title={t('Delete the label "{{name}}"?', { name: label.name })}
                  description={t('It is removed from all mail. The mail itself stays.')}
                  okText={t('Delete')}
                  okButtonProps={{ danger: true }}
                  onConfirm={async () => {
                    try {
                      await api.removeLabel(label.id);
                      onChanged();
                    } catch (error) {
                      message.error((error as Error).message);
                    }
                  }}
                >
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('Delete')} />
                </Popconfirm>,
              ]}
            >
              <Tag color={label.color}>{label.name}</Tag>
            </List.Item>
          )
        }
      />
    </Space>
  );
}
