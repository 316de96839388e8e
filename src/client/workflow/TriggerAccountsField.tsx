/**
 * "Mailboxes" of the trigger "Email received": every mailbox that allows workflows, the
 * mailboxes of one user, or chosen mailboxes. Only mailboxes whose owner allows workflows are
 * offered, as only those ever fire; the server asks again at each new mail.
 */
import { Alert, Radio, Select, Space } from 'antd';
import React from 'react';
import type { WorkflowAccountOption } from '../../shared/accounts-api';
import type { TriggerAccounts } from '../../shared/workflow-api';
import { useT } from '../locale';
import { accountLabel, useEditorList } from './editor-api';

/** While editing, "a user's mailboxes" may have no user yet; the server refuses to save it so. */
export type TriggerAccountsDraft = TriggerAccounts | { mode: 'user'; userId?: number };

export interface TriggerAccountsFieldProps {
  value?: TriggerAccountsDraft | null;
  onChange?(value: TriggerAccountsDraft): void;
}

/** The owners among the accounts, each once, in list order. */
export function ownersOf(accounts: WorkflowAccountOption[]) {
  const seen = new Map<number, string>();
  for (const a of accounts) if (!seen.has(a.userId)) seen.set(a.userId, a.userName || `#${a.userId}`);
  return [...seen].map(([value, label]) => ({ value, label }));
}

export function TriggerAccountsField({ value, onChange }: TriggerAccountsFieldProps) {
  const t = useT();
  const { list, error, loading } = useEditorList((api) => api.accounts());
  const current: TriggerAccountsDraft = value?.mode ? value : { mode: 'all-visible' };
  const accounts = list || [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="trigger-accounts">
      <Radio.Group
        value={current.mode}
        onChange={(e) => {
          const mode = e.target.value as TriggerAccounts['mode'];
          if (mode === 'all-visible') onChange?.({ mode });
          // The picker below starts empty: a user or mailbox is a choice, never a guess.
          else if (mode === 'user') onChange?.({ mode });
          else onChange?.({ mode, ids: [] });
        }}
        options={[
          { value: 'all-visible', label: t('All mailboxes that allow workflows') },
          { value: 'user', label: t("A user's mailboxes") },
          { value: 'accounts', label: t('Chosen mailboxes') },
        ]}
      />
      {current.mode === 'user' && (
        <Select
          data-testid="trigger-accounts-user"
          style={{ width: '100%' }}
          loading={loading}
          placeholder={t('Select a user')}
          value={current.userId ?? undefined}
          options={ownersOf(accounts)}
          onChange={(userId: number) => onChange?.({ mode: 'user', userId })}
        />
      )}
      {current.mode === 'accounts' && (
        <Select
          data-testid="trigger-accounts-ids"
          mode="multiple"
          style={{ width: '100%' }}
          loading={loading}
          placeholder={t('Select mailboxes')}
          value={current.ids}
          options={accounts.map((a) => ({ value: a.id, label: accountLabel(a) }))}
          onChange={(ids: number[]) => onChange?.({ mode: 'accounts', ids })}
        />
      )}
      {list && !list.length && <Alert type="info" showIcon message={t('No mailbox allows workflows yet. Its owner turns it on in Email accounts.')} />}
      {error && <Alert type="error" showIcon message={error} />}
    </Space>
  );
}
