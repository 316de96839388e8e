import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, List, Modal, Popconfirm, Space, Typography } from 'antd';
import React, { useCallback, useEffect, useState } from 'react';
import { COMPOSE_NAME_MAX, TEMPLATE_SUBJECT_MAX, type TemplateView } from '../../../shared/compose-extras-api';
import { useT } from '../../locale';
import { fromEditorHtml } from '../body-html';
import type { ComposeApi } from '../compose-api';
import { HtmlField } from './HtmlField';

export interface TemplatesPanelProps {
  api: Pick<ComposeApi, 'templates' | 'saveTemplate' | 'removeTemplate'>;
}

interface Draft {
  id?: number;
  name: string;
  subject: string;
  html: string;
}

/** Settings → Templates (S-TPL-1): the user's templates, each a unique name, an optional subject and a body. */
export function TemplatesPanel({ api }: TemplatesPanelProps) {
  const t = useT();
  const { message } = App.useApp();
  const [list, setList] = useState<TemplateView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editorKey, setEditorKey] = useState(0);

  const reload = useCallback(() => api.templates().then(setList, (e: Error) => setError(e.message)), [api]);
  useEffect(() => {
    reload();
  }, [reload]);

  const open = (draft: Draft) => {
    setSaveError(null);
    setEditing(draft);
    setEditorKey((k) => k + 1);
  };

  const save = async () => {
    if (!editing) return;
    setBusy(true);
    setSaveError(null);
    try {
      await api.saveTemplate({ ...editing, html: fromEditorHtml(editing.html) });
      setEditing(null);
      await reload();
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="templates-panel">
      <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ name: '', subject: '', html: '' })} data-testid="template-add">
        {t('Add template')}
      </Button>
      {error && <Alert type="error" showIcon message={error} />}
      <List
        bordered
        loading={list === null && !error}
        dataSource={list || []}
        locale={{ emptyText: t('No templates yet') }}
        renderItem={(tpl) => (
          <List.Item
            data-testid="template-item"
            actions={[
              <Button key="edit" type="text" size="small" icon={<EditOutlined />} aria-label={t('Edit')} onClick={() => open({ ...tpl })} data-testid="template-edit" />,
              <Popconfirm
                key="delete"
                title={t('Delete the template "{{name}}"?', { name: tpl.name })}
                okText={t('Delete')}
                okButtonProps={{ danger: true, 'data-testid': 'template-delete-ok' } as any}
                onConfirm={async () => {
                  try {
                    await api.removeTemplate(tpl.id);
                    await reload();
                  } catch (e) {
                    message.error((e as Error).message);
                  }
                }}
              >
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('Delete')} data-testid="template-delete" />
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta title={<span data-testid="template-name">{tpl.name}</span>} description={tpl.subject || undefined} />
          </List.Item>
        )}
      />
      <Modal
        open={editing !== null}
        title={editing?.id ? t('Edit template') : t('Add template')}
        width={720}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText={t('Save')}
        okButtonProps={{ loading: busy, disabled: !editing?.name.trim(), 'data-testid': 'template-save' } as any}
        destroyOnClose
      >
        {editing && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="template-form">
            <Input value={editing.name} maxLength={COMPOSE_NAME_MAX} placeholder={t('Name')} onChange={(e) => setEditing({ ...editing, name: e.target.value })} data-testid="template-name-input" />
            <Input
              value={editing.subject}
              maxLength={TEMPLATE_SUBJECT_MAX}
              placeholder={t('Subject (optional)')}
              onChange={(e) => setEditing({ ...editing, subject: e.target.value })}
              data-testid="template-subject-input"
            />
            <HtmlField key={editorKey} initialHtml={editing.html} placeholder={t('Write the template')} onChange={(html) => setEditing((d) => d && { ...d, html })} testId="template-editor" />
            <Typography.Text type="secondary">{t('Applying a template fills the subject only when the email has none.')}</Typography.Text>
            {saveError && <Alert type="error" showIcon message={saveError} data-testid="template-save-error" />}
          </Space>
        )}
      </Modal>
    </Space>
  );
}
