/** Settings → Email settings → Other mail servers (S-IMAP-1): the switch and the allow-list of server hosts. */
import { Form, Select, Switch } from 'antd';
import React from 'react';
import { isHostPattern } from '../../shared/server-hosts';
import { useT } from '../locale';

export function ServerSettingsTab() {
  const t = useT();
  return (
    <>
      <Form.Item
        name="imapEnabled"
        label={t('Other mail servers (IMAP/SMTP)')}
        valuePropName="checked"
        extra={t('Let users connect mailboxes of any IMAP/SMTP server (Fastmail, iCloud, Yahoo, a company server) with a password or app password.')}
      >
        <Switch data-testid="imap-enabled" />
      </Form.Item>
      <Form.Item
        name="imapAllowedHosts"
        label={t('Allowed servers')}
        extra={t('Only these servers (mail.example.com, *.example.com). Empty: any server on the internet, none on a private network.')}
        rules={[
          {
            validator: async (_: unknown, value: string[] | undefined) => {
              const bad = (value ?? []).find((h) => !isHostPattern(h.trim().toLowerCase()));
              if (bad !== undefined) throw new Error(t('"{{host}}" is not a host name, *.domain or IP address', { host: bad }));
            },
          },
        ]}
      >
        <Select mode="tags" tokenSeparators={[',', ' ']} open={false} style={{ maxWidth: 520 }} data-testid="imap-allowed-hosts" />
      </Form.Item>
    </>
  );
}
