import { useAPIClient, useCurrentUserContext } from '@nocobase/client';
import React, { useMemo } from 'react';
import { accountsApi } from '../accounts/accounts-api';
import { composeApi } from './compose-api';
import { ComposeProvider } from './ComposeProvider';

/**
 * The compose windows for the whole app (the mail center, and page blocks and actions later):
 * an app provider, so a half-written mail survives moving between pages. Wires NocoBase's API
 * client and the signed-in user (whose id keys the remembered auto-save choice) to the view.
 */
export function ComposeAppProvider({ children }: React.PropsWithChildren) {
  const apiClient = useAPIClient();
  const user = useCurrentUserContext();
  const api = useMemo(() => composeApi(apiClient as any), [apiClient]);
  const accounts = useMemo(() => accountsApi(apiClient as any), [apiClient]);
  const userId = user?.data?.data?.id ?? null;
  return (
    <ComposeProvider api={api} accountsApi={accounts} userId={userId}>
      {children}
    </ComposeProvider>
  );
}
