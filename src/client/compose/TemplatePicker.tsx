import { SnippetsOutlined } from '@ant-design/icons';
import type { Editor } from '@tiptap/core';
import { App, Button, Dropdown, Input, Modal, Typography } from 'antd';
import React, { useState } from 'react';
import { COMPOSE_NAME_MAX, type TemplateView } from '../../shared/compose-api';
import { useT } from '../locale';
import { fromEditorHtml, isBlankHtml, withoutCidImages } from './body-html';
import type { ComposeApi } from './compose-api';
import { applyTemplateBody, withoutSignature } from './signature-block';
import { pickerStatusItems, usePickerList } from './use-picker-list';

export interface TemplatePickerProps {
  api: Pick<ComposeApi, 'templates' | 'saveTemplate'>;
  editor: Editor | null;
  /** The editor's current HTML (signature included). */
  body: string;
  subject: string;
  setSubject(subject: string): void;
}

/** Above every compose dialog of the window (the window itself is at 1020–1021). */
const DIALOG_Z = 1100;

/** A template keeps no files: inline images of the mail (cid:) stay out of it. */
function templateHtmlOf(editorHtml: string) {
  return withoutCidImages(withoutSignature(fromEditorHtml(editorHtml)));
}

/**
 * The editor's template icon (S-TPL-1): apply one of the user's templates — it replaces the body
 * (after "The email body will be overwritten" when there is text), keeps the signature, fills the
 * subject only when it is empty — or save the current mail as a template.
 */
export function TemplatePicker({ api, editor, body, subject, setSubject }: TemplatePickerProps) {
  const t = useT();
  const { modal, message } = App.useApp();
  const { list, error, load } = usePickerList(() => api.templates());
  const [saving, setSaving] = useState<{ name: string; error: string | null; busy: boolean } | null>(null);

  const apply = (template: TemplateView) => {
    if (!editor) return;
    const run = () => {
      applyTemplateBody(editor, template.html);
      if (!subject.trim() && template.subject) setSubject(template.subject);
    };
    if (isBlankHtml(withoutSignature(body))) run();
    else
      modal.confirm({
        title: t('The email body will be overwritten'),
        content: t('Apply the template "{{name}}"?', { name: template.name }),
        okText: t('Apply'),
        zIndex: DIALOG_Z,
        okButtonProps: { 'data-testid': 'compose-template-overwrite-ok' } as any,
        onOk: run,
      });
  };

  const save = async () => {
    if (!saving) return;
    setSaving({ ...saving, busy: true, error: null });
    try {
      const saved = await api.saveTemplate({ name: saving.name, subject, html: templateHtmlOf(body) });
      setSaving(null);
      message.success(t('Template "{{name}}" saved', { name: saved.name }));
    } catch (e) {
      setSaving({ ...saving, busy: false, error: (e as Error).message });
    }
  };

  const items = [
    ...(list || []).map((tpl) => ({ key: `t${tpl.id}`, label: <span data-testid="compose-template-option">{tpl.name}</span> })),
    ...pickerStatusItems(list, error, { empty: t('No templates yet'), loading: t('Loading…') }),
    { type: 'divider' as const },
    { key: 'save', label: <span data-testid="compose-template-save">{t('Save as template')}</span> },
  ];

  return (
    <>
      <Dropdown
        trigger={['click']}
        onOpenChange={(open) => open && load()}
        menu={{
          items,
          onClick: ({ key }) => {
            if (key === 'save') setSaving({ name: subject.trim().slice(0, COMPOSE_NAME_MAX), error: null, busy: false });
            else {
              const template = list?.find((x) => `t${x.id}` === key);
              if (template) apply(template);
            }
          },
        }}
      >
        <span>
          <Button type="text" size="small" icon={<SnippetsOutlined />} title={t('Template')} aria-label={t('Template')} data-testid="compose-tool-template" onMouseDown={(e) => e.preventDefault()} />
        </span>
      </Dropdown>
      <Modal
        open={saving !== null}
        title={t('Save as template')}
        zIndex={DIALOG_Z}
        onCancel={() => setSaving(null)}
        onOk={save}
        okText={t('Save')}
        okButtonProps={{ loading: saving?.busy, disabled: !saving?.name.trim(), 'data-testid': 'compose-template-save-ok' } as any}
        destroyOnClose
      >
        <Typography.Paragraph type="secondary">{t('The subject and the text are saved; the signature and attachments are not.')}</Typography.Paragraph>
        <Input
          autoFocus
          value={saving?.name || ''}
          maxLength={COMPOSE_NAME_MAX}
          placeholder={t('Template name')}
          onChange={(e) => saving && setSaving({ ...saving, name: e.target.value, error: null })}
          onPressEnter={save}
          status={saving?.error ? 'error' : undefined}
          data-testid="compose-template-name"
        />
        {saving?.error && (
          <Typography.Text type="danger" data-testid="compose-template-save-error">
            {saving.error}
          </Typography.Text>
        )}
      </Modal>
    </>
  );
}
