import { useAPIClient } from '@nocobase/client';
import { App } from 'antd';
import React, { useMemo } from 'react';
import { accountsApi } from './accounts-api';
import { OAuthReturnPage } from './OAuthReturnPage';

/** The OAuth return page as a route of the app, outside the admin layout. */
export function OAuthReturnRoute() {
  const apiClient = useAPIClient();
  const api = useMemo(() => accountsApi(apiClient as any), [apiClient]);
  return (
    <App>
      <div style={{ paddingTop: '10vh' }}>
        <OAuthReturnPage api={api} search={window.location.search} />
      </div>
    </App>
  );
}
