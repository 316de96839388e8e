import { useAPIClient } from '@nocobase/client';
import React, { useMemo } from 'react';
import { accountsApi } from '../../accounts/accounts-api';
import type { OpenComposeOptions } from '../../compose/compose-load';
import { useComposeContext } from '../../compose/ComposeProvider';
import { bridgedOpenCompose } from '../compose-bridge';
import { useMailCenterWiring } from '../../mail-center/MailCenterRoute';
import { blockApi } from './block-api';
import { EmailTableSettings, EmailTableView } from './EmailTableView';

/** The Email table wired to NocoBase (API client, editor, WebSocket events); both page kinds render this. */
export function ConnectedEmailTable(settings: EmailTableSettings) {
  const apiClient = useAPIClient();
  const { api: mail, subscribeRemote } = useMailCenterWiring();
  const api = useMemo(() => blockApi(apiClient as any), [apiClient]);
  const accounts = useMemo(() => accountsApi(apiClient as any), [apiClient]);
  const compose = useComposeContext();
  // Flow-engine popups render outside the app's provider tree: reach the editor through the bridge there.
  const openCompose = useMemo(
    () => compose?.openCompose ?? ((options: OpenComposeOptions) => bridgedOpenCompose()?.(options)),
    [compose],
  );
  return (
    <EmailTableView
      {...settings}
      api={api}
      mail={mail}
      accounts={accounts}
      openCompose={openCompose}
      subscribeRemote={subscribeRemote}
    />
  );
}
