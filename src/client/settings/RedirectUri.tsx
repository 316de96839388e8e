import { Alert, Typography } from 'antd';
import React from 'react';
import { useT } from '../locale';

/** The redirect URI both providers need, with a copy button (S-CONF-5). */
export function RedirectUri({ uri }: { uri: string }) {
  const t = useT();
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('Redirect URI to register at the provider')}
      description={
        <Typography.Text code copyable={{ text: uri, tooltips: [t('Copy'), t('Copied')] }} data-testid="redirect-uri">
          {uri}
        </Typography.Text>
      }
    />
  );
}
