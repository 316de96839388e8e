import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Input, List, Select, Space, Tag, Tooltip, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import { COMPOSE_NAME_MAX, type SignatureView } from '../../../shared/compose-api';
import type { AccountView } from '../../accounts/types';
import { useT } from '../../locale';
import type { ComposeApi } from '../compose-api';
import { EditorDialog, useItemActions } from './editable-list-parts';
import { HtmlField } from './HtmlField';
import { useEditableList } from './use-editable-list';

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
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const { list, error, editing, setEditing, saveError, editorKey, reload, open, remove, dialog } = useEditableList<SignatureView, Draft>(
    { fetchList: () => api.signatures(), saveDraft: (draft) => api.saveSignature(draft), remove: (s) => api.removeSignature(s.id) },
    [api],
  );
  const itemActions = useItemActions('signature');
  // Once per opening of the tab (loadAccounts may be a new function every render).
  useEffect(() => {
    loadAccounts().then(setAccounts, () => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new loadAccounts must not reload (see above)
  }, [reload]);

  const scopeName = (accountId: number | null) => (accountId == null ? t('All accounts') : accounts.find((a) => a.id === accountId)?.email || `#${accountId}`);

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
            actions={itemActions({ deleteTitle: t('Delete the signature "{{name}}"?', { name: s.name }), onEdit: () => open({ ...s }), onDelete: () => remove(s) })}
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
      <EditorDialog
        title={editing?.id ? t('Edit signature') : t('Add signature')}
        width={680}
        testIdPrefix="signature"
        {...dialog}
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
      </EditorDialog>
    </Space>
  );
}
