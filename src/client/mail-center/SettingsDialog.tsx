import { Modal, Tabs } from 'antd';
import React from 'react';
import type { LabelView } from '../../shared/mail-center-api';
import { AccountsPanel } from '../accounts/AccountsPanel';
import type { AccountsApi } from '../accounts/types';
import type { ComposeApi } from '../compose/compose-api';
import { useComposeContext } from '../compose/ComposeProvider';
import { SignaturesPanel } from '../compose/settings/SignaturesPanel';
import { TemplatesPanel } from '../compose/settings/TemplatesPanel';
import { useT } from '../locale';
import { LabelsManager } from './LabelsManager';
import type { MailApi } from './mail-api';

export type SettingsTab = 'accounts' | 'labels' | 'signature' | 'templates';

export interface SettingsDialogProps {
  /** The tab to show, or null when closed. */
  tab: SettingsTab | null;
  onTab(tab: SettingsTab): void;
  onClose(): void;
  api: MailApi;
  accountsApi: AccountsApi;
  labels: LabelView[];
  onLabelsChanged(): void;
  /** Signatures and templates; by default the compose windows' API (ComposeProvider). */
  composeApi?: ComposeApi;
}

/**
 * The mail center's Settings (S-CENTER-2): the user's mailboxes, personal labels, signatures
 * (S-SIG-1) and templates (S-TPL-1).
 */
export function SettingsDialog({ tab, onTab, onClose, api, accountsApi, labels, onLabelsChanged, composeApi }: SettingsDialogProps) {
  const t = useT();
  const context = useComposeContext();
  const compose = composeApi || context?.api;
  return (
    <Modal open={tab !== null} title={t('Settings')} width={860} footer={null} onCancel={onClose} destroyOnClose data-testid="mail-settings">
      {tab && (
        <Tabs
          activeKey={tab}
          onChange={(key) => onTab(key as SettingsTab)}
          items={[
            { key: 'accounts', label: t('Accounts'), children: <AccountsPanel api={accountsApi} /> },
            { key: 'labels', label: t('Labels'), children: <LabelsManager api={api} labels={labels} onChanged={onLabelsChanged} /> },
            ...(compose
              ? [
                  { key: 'signature', label: <span data-testid="mail-settings-signature">{t('Signature')}</span>, children: <SignaturesPanel api={compose} loadAccounts={() => accountsApi.list()} /> },
                  { key: 'templates', label: <span data-testid="mail-settings-templates">{t('Templates')}</span>, children: <TemplatesPanel api={compose} /> },
                ]
              : []),
          ]}
        />
      )}
    </Modal>
  );
}
