import { Alert, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import React, { useEffect, useState } from 'react';
import type { AccountView, CompleteResult, ServerAccountInput, ServerCheck, ServerSecurity, ServerTestResult } from '../../shared/accounts-api';
import { DEFAULT_PORTS, SERVER_PRESETS } from '../../shared/server-presets';
import { errorMessage } from '../api';
import { useT } from '../locale';
import { defaultStartDate } from './ConnectDialog';

export interface ServerConnectDialogProps {
  open: boolean;
  /** Enter the password of this account again (its address and servers are kept); null: a new mailbox. */
  account: AccountView | null;
  onCancel(): void;
  test(input: ServerAccountInput): Promise<ServerTestResult>;
  connect(input: ServerAccountInput): Promise<CompleteResult>;
  onConnected(result: CompleteResult): void;
}

interface FormValues {
  preset?: string;
  email: string;
  displayName?: string;
  username?: string;
  password: string;
  imapHost: string;
  imapPort?: number;
  imapSecurity: ServerSecurity;
  smtpHost: string;
  smtpPort?: number;
  smtpSecurity: ServerSecurity;
}

const OTHER = 'other';

const toInput = (v: FormValues, start: Dayjs, account: AccountView | null): ServerAccountInput => ({
  ...(account ? { accountId: account.id } : { email: v.email, displayName: v.displayName || undefined, syncStartDate: start.toISOString() }),
  username: v.username || undefined,
  password: v.password,
  imap: { host: v.imapHost, port: v.imapPort ?? DEFAULT_PORTS.imap[v.imapSecurity], security: v.imapSecurity },
  smtp: { host: v.smtpHost, port: v.smtpPort ?? DEFAULT_PORTS.smtp[v.smtpSecurity], security: v.smtpSecurity },
});

/** One server's line of the test result: OK, or what failed. */
function CheckLine({ name, check }: { name: string; check: ServerCheck }) {
  const t = useT();
  return (
    <Alert
      type={check.ok ? 'success' : 'error'}
      showIcon
      data-testid={`server-test-${name.toLowerCase()}`}
      message={check.ok ? t('{{server}}: connected', { server: name }) : t('{{server}}: {{message}}', { server: name, message: check.error ?? '' })}
    />
  );
}

/**
 * "Connect other mailbox" (S-IMAP-1): an IMAP/SMTP mailbox with a password or app password. A
 * preset fills the servers; "Test connection" checks both without saving; Connect tests again
 * and adds the account. For an account whose password the server refused, only the password
 * (and, if they changed, the servers) is asked again.
 */
export function ServerConnectDialog({ open, account, onCancel, test, connect, onConnected }: ServerConnectDialogProps) {
  const t = useT();
  const [form] = Form.useForm<FormValues>();
  const [start, setStart] = useState<Dayjs>(defaultStartDate);
  const [busy, setBusy] = useState<'test' | 'connect' | null>(null);
  const [result, setResult] = useState<ServerTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setResult(null);
    setError(null);
    form.resetFields();
    const server = account?.server;
    form.setFieldsValue(
      server
        ? {
            email: account.email,
            username: server.username,
            imapHost: server.imap.host,
            imapPort: server.imap.port,
            imapSecurity: server.imap.security,
            smtpHost: server.smtp.host,
            smtpPort: server.smtp.port,
            smtpSecurity: server.smtp.security,
          }
        : { preset: OTHER, imapSecurity: 'tls', smtpSecurity: 'starttls' },
    );
  }, [open, account, form]);

  const applyPreset = (id: string) => {
    const preset = SERVER_PRESETS.find((p) => p.id === id);
    if (!preset) return;
    form.setFieldsValue({
      imapHost: preset.imap.host,
      imapPort: preset.imap.port,
      imapSecurity: preset.imap.security,
      smtpHost: preset.smtp.host,
      smtpPort: preset.smtp.port,
      smtpSecurity: preset.smtp.security,
    });
  };

  const run = async (what: 'test' | 'connect') => {
    const values = await form.validateFields();
    setBusy(what);
    setError(null);
    try {
      const input = toInput(values, start, account);
      if (what === 'test') setResult(await test(input));
      else onConnected(await connect(input));
    } catch (e) {
      setResult(null);
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const security = (
    <Select
      options={[
        { value: 'tls', label: 'SSL/TLS' },
        { value: 'starttls', label: 'STARTTLS' },
      ]}
    />
  );
  const serverRow = (kind: 'imap' | 'smtp', label: string) => (
    <Row gutter={8}>
      <Col span={12}>
        <Form.Item name={`${kind}Host`} label={t('{{server}} server', { server: label })} rules={[{ required: true, whitespace: true, message: t('Enter the {{server}} server name', { server: label }) }]}>
          <Input placeholder={kind === 'imap' ? 'imap.example.com' : 'smtp.example.com'} data-testid={`server-${kind}-host`} autoComplete="off" />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={`${kind}Port`} label={t('Port')}>
          <InputNumber min={1} max={65535} style={{ width: '100%' }} placeholder={String(DEFAULT_PORTS[kind].tls)} data-testid={`server-${kind}-port`} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={`${kind}Security`} label={t('Security')}>
          {security}
        </Form.Item>
      </Col>
    </Row>
  );

  return (
    <Modal
      open={open}
      width={640}
      title={account ? t('Enter the password of {{email}} again', { email: account.email }) : t('Connect other mailbox')}
      onCancel={onCancel}
      destroyOnClose
      data-testid="server-connect-dialog"
      footer={
        <Space>
          <Button onClick={() => run('test')} loading={busy === 'test'} disabled={busy === 'connect'} data-testid="server-test">
            {t('Test connection')}
          </Button>
          <Button type="primary" onClick={() => run('connect')} loading={busy === 'connect'} disabled={busy === 'test'} data-testid="server-connect">
            {account ? t('Save') : t('Connect')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        {!account && (
          <Form.Item name="preset" label={t('Mail service')}>
            <Select
              data-testid="server-preset"
              onChange={applyPreset}
              options={[{ value: OTHER, label: t('Other (enter the servers)') }, ...SERVER_PRESETS.map((p) => ({ value: p.id, label: p.name }))]}
            />
          </Form.Item>
        )}
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="email" label={t('Email address')} rules={[{ required: true, type: 'email', message: t('Enter the email address of the mailbox') }]}>
              <Input disabled={Boolean(account)} data-testid="server-email" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            {!account && (
              <Form.Item name="displayName" label={t('Display name')}>
                <Input data-testid="server-display-name" autoComplete="off" />
              </Form.Item>
            )}
          </Col>
        </Row>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="username" label={t('User name')} extra={t('Usually the email address')}>
              <Input data-testid="server-username" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="password"
              label={t('Password or app password')}
              rules={[{ required: true, message: t('Enter the password (or app password) of the mailbox') }]}
            >
              <Input.Password data-testid="server-password" autoComplete="new-password" />
            </Form.Item>
          </Col>
        </Row>
        {serverRow('imap', 'IMAP')}
        {serverRow('smtp', 'SMTP')}
        {!account && (
          <Form.Item label={t('Sync mail from')} extra={t('By default, only emails from the past month will be synced')}>
            <DatePicker value={start} allowClear={false} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} onChange={(d) => d && setStart(d.startOf('day'))} />
          </Form.Item>
        )}
      </Form>
      <Space direction="vertical" style={{ width: '100%' }}>
        {result && <CheckLine name="IMAP" check={result.imap} />}
        {result && <CheckLine name="SMTP" check={result.smtp} />}
        {error && <Alert type="error" showIcon message={error} data-testid="server-error" />}
        <Typography.Text type="secondary">
          {t('If the mailbox uses two-step sign-in, create an app password at your mail service and enter it here.')}
        </Typography.Text>
      </Space>
    </Modal>
  );
}
