import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Input, List, Modal, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import React, { useCallback, useEffect, useState } from 'react';
import { COMPOSE_NAME_MAX, type SignatureView } from '../../../shared/compose-extras-api';
import type { AccountView } from '../../accounts/types';
import { useT } from '../../locale';
import { fromEditorHtml } from '../body-html';
import type { ComposeApi } from '../compose-api';
import { HtmlField } from './HtmlField';

export interface SignaturesPanelProps {
  api: Pick<ComposeApi, 'signatures' | 'saveSignature' | 'removeSignature'>;
  /** The user's accounts: a signature is general or bound to one of them. */
  loadAccounts(): Promise<AccountView[]>;
}

interface Draft {
  id?: number;
  name: string;
  html: string;
  accountId: number | null;
  isDefault: boolean;
}

const ALL_ACCOUNTS = 'all';

/**
 * Settings → Signature (S-SIG-1): the user's signatures; create, edit (rich text), delete after a
 * confirmation; the tick makes one the default of its scope — its account, or every account
 * without a default of its own — as the server keeps one default per scope.
 */
export function SignaturesPanel({ api, loadAccounts }: SignaturesPanelProps) {
  const t = useT();
  const { message } = App.useApp();
  const [list, setList] = useState<SignatureView[] | null>(null);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editorKey, setEditorKey] = useState(0);

  const reload = useCallback(() => api.signatures().then(setList, (e: Error) => setError(e.message)), [api]);
  // Once per opening of the tab (loadAccounts may be a new function every render).
  useEffect(() => {
    reload();
    loadAccounts().then(setAccounts, () => undefined);
  }, [reload]);

  const scopeName = (accountId: number | null) => (accountId == null ? t('All accounts') : accounts.find((a) => a.id === accountId)?.email || `#${accountId}`);

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
      await api.saveSignature({ ...editing, html: fromEditorHtml(editing.html) });
      setEditing(null);
      await reload();
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const setDefault = async (signature: SignatureView, isDefault: boolean) => {
    try {
      await api.saveSignature({ id: signature.id, isDefault });
      await reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="signatures-panel">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('Tick a signature to make it the default: it goes into new emails, replies and forwards.')}
      </Typography.Paragraph>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ name: '', html: '', accountId: null, isDefault: !list?.length })} data-testid="signature-add">
        {t('Add signature')}
      </Button>
      {error && <Alert type="error" showIcon message={error} />}
      <List
        bordered
        loading={list === null && !error}
        dataSource={list || []}
        locale={{ emptyText: t('No signatures yet') }}
        renderItem={(s) => (
          <List.Item
            data-testid="signature-item"
            actions={[
              <Button key="edit" type="text" size="small" icon={<EditOutlined />} aria-label={t('Edit')} onClick={() => open({ ...s })} data-testid="signature-edit" />,
              <Popconfirm
                key="delete"
                title={t('Delete the signature "{{name}}"?', { name: s.name })}
                okText={t('Delete')}
                okButtonProps={{ danger: true, 'data-testid': 'signature-delete-ok' } as any}
                onConfirm={async () => {
                  try {
                    await api.removeSignature(s.id);
                    await reload();
                  } catch (e) {
                    message.error((e as Error).message);
                  }
                }}
              >
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('Delete')} data-testid="signature-delete" />
              </Popconfirm>,
            ]}
          >
            <Space>
              <Tooltip title={t('Default signature')}>
                <Checkbox checked={s.isDefault} onChange={(e) => setDefault(s, e.target.checked)} data-testid="signature-default" />
              </Tooltip>
              <span data-testid="signature-name">{s.name}</span>
              <Tag>{scopeName(s.accountId)}</Tag>
              {s.isDefault && <Tag color="blue">{t('Default')}</Tag>}
            </Space>
          </List.Item>
        )}
      />
      <Modal
        open={editing !== null}
        title={editing?.id ? t('Edit signature') : t('Add signature')}
        width={680}
        onCancel={() => setEditing(null)}
        onOk={save}
        okText={t('Save')}
        okButtonProps={{ loading: busy, disabled: !editing?.name.trim(), 'data-testid': 'signature-save' } as any}
        destroyOnClose
      >
        {editing && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="signature-form">
            <Input
              value={editing.name}
              maxLength={COMPOSE_NAME_MAX}
              placeholder={t('Name')}
              onChange={(e) => setEditing({ ...editing, name: e.target.value })}
              data-testid="signature-name-input"
            />
            <Space wrap>
              <Select
                style={{ minWidth: 240 }}
                value={editing.accountId == null ? ALL_ACCOUNTS : editing.accountId}
                onChange={(v) => setEditing({ ...editing, accountId: v === ALL_ACCOUNTS ? null : Number(v) })}
                options={[{ value: ALL_ACCOUNTS, label: t('All accounts') }, ...accounts.map((a) => ({ value: a.id, label: a.email }))]}
                data-testid="signature-scope"
              />
              <Checkbox checked={editing.isDefault} onChange={(e) => setEditing({ ...editing, isDefault: e.target.checked })} data-testid="signature-default-input">
                {t('Default signature')}
              </Checkbox>
            </Space>
            <HtmlField key={editorKey} initialHtml={editing.html} placeholder={t('Write your signature')} onChange={(html) => setEditing((d) => d && { ...d, html })} testId="signature-editor" />
            {saveError && <Alert type="error" showIcon message={saveError} data-testid="signature-save-error" />}
          </Space>
        )}
      </Modal>
    </Space>
  );
}
