import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, List, Space, Typography } from 'antd';
import React from 'react';
import { COMPOSE_NAME_MAX, TEMPLATE_SUBJECT_MAX, type TemplateView } from '../../../shared/compose-api';
import { useT } from '../../locale';
import type { ComposeApi } from '../compose-api';
import { EditorDialog, useItemActions } from './editable-list-parts';
import { HtmlField } from './HtmlField';
import { useEditableList } from './use-editable-list';

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
  const { list, error, editing, setEditing, saveError, editorKey, open, remove, dialog } = useEditableList<TemplateView, Draft>(
    { fetchList: () => api.templates(), saveDraft: (draft) => api.saveTemplate(draft), remove: (tpl) => api.removeTemplate(tpl.id) },
    [api],
  );
  const itemActions = useItemActions('template');

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
            actions={itemActions({ deleteTitle: t('Delete the template "{{name}}"?', { name: tpl.name }), onEdit: () => open({ ...tpl }), onDelete: () => remove(tpl) })}
          >
            <List.Item.Meta title={<span data-testid="template-name">{tpl.name}</span>} description={tpl.subject || undefined} />
          </List.Item>
        )}
      />
      <EditorDialog
        title={editing?.id ? t('Edit template') : t('Add template')}
        width={720}
        testIdPrefix="template"
        {...dialog}
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
      </EditorDialog>
    </Space>
  );
}
