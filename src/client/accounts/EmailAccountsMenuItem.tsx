import { DropdownVisibleContext, SchemaSettingsItem, useAPIClient } from '@nocobase/client';
import { Drawer } from 'antd';
import React, { useContext, useMemo, useState } from 'react';
import { useT } from '../locale';
import { accountsApi } from './accounts-api';
import { AccountsPanel } from './AccountsPanel';

/** "Email accounts" in the user menu (top-right avatar): opens the accounts panel in a drawer. */
export function EmailAccountsMenuItem() {
  const t = useT();
  const dropdown = useContext(DropdownVisibleContext);
  const [open, setOpen] = useState(false);
  const apiClient = useAPIClient();
  const api = useMemo(() => accountsApi(apiClient as any), [apiClient]);
  return (
    <>
      <SchemaSettingsItem
        eventKey="emailAccounts"
        title={t('Email accounts')}
        onClick={() => {
          dropdown?.setVisible?.(false);
          setOpen(true);
        }}
      >
        <span data-testid="user-menu-email-accounts">{t('Email accounts')}</span>
      </SchemaSettingsItem>
      <Drawer title={t('Email accounts')} open={open} width={720} onClose={() => setOpen(false)} destroyOnClose>
        <div onClick={(e) => e.stopPropagation()}>{open && <AccountsPanel api={api} />}</div>
      </Drawer>
    </>
  );
}
