import { Modal, Tabs } from 'antd';
import React from 'react';
import type { LabelView } from '../../shared/mail-center-api';
import { AccountsPanel } from '../accounts/AccountsPanel';
import type { AccountsApi } from '../accounts/types';
import { useT } from '../locale';
import { LabelsManager } from './LabelsManager';
import type { MailApi } from './mail-api';

export type SettingsTab = 'accounts' | 'labels';

export interface SettingsDialogProps {
  /** The tab to show, or null when closed. */
  tab: SettingsTab | null;
  onTab(tab: SettingsTab): void;
  onClose(): void;
  api: MailApi;
  accountsApi: AccountsApi;
  labels: LabelView[];
  onLabelsChanged(): void;
}

/**
 * The mail center's Settings (S-CENTER-2): the user's mailboxes and personal labels. Signature and
 * Templates join when composing is built.
 */
export function SettingsDialog({ tab, onTab, onClose, api, accountsApi, labels, onLabelsChanged }: SettingsDialogProps) {
  const t = useT();
  return (
    <Modal open={tab !== null} title={t('Settings')} width={860} footer={null} onCancel={onClose} destroyOnClose data-testid="mail-settings">
      {tab && (
        <Tabs
          activeKey={tab}
          onChange={(key) => onTab(key as SettingsTab)}
          items={[
            { key: 'accounts', label: t('Accounts'), children: <AccountsPanel api={accountsApi} /> },
            { key: 'labels', label: t('Labels'), children: <LabelsManager api={api} labels={labels} onChanged={onLabelsChanged} /> },
          ]}
        />
      )}
    </Modal>
  );
}
