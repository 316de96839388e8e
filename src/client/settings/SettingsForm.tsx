/** Settings → Email settings' form: the Google, Microsoft and General tabs and their inline checks (S-CONF-1…5). */
import { App, Button, Form, Input, InputNumber, Popconfirm, Space, Switch, Tabs, Tag } from 'antd';
import React, { useEffect, useState } from 'react';
import {
  DEFAULT_MICROSOFT_TENANT,
  GOOGLE_CLIENT_ID_SUFFIX,
  GUID,
  isValidTenant,
  looksLikeSecretId,
  MASS_SEND_INTERVAL_MS,
  SYNC_INTERVAL_MINUTES,
} from '../../shared/settings-rules';
import { useT } from '../locale';
import { RedirectUri } from './RedirectUri';
import { SecretInput } from './SecretInput';
import { ServerSettingsTab } from './ServerSettingsTab';
import type { SettingsUpdate, SettingsView } from '../../shared/settings-api';
import { ApiError } from '../api';
import { changedFields, formValuesOf, type FormValues, TAB_OF_FIELD } from './form-values';

export interface SettingsFormProps {
  settings: SettingsView;
  /** Saves the changed fields; rejects with an ApiError (its `errors` name the bad fields). Resolves with the new settings. */
  onSave(update: SettingsUpdate): Promise<SettingsView>;
  /** Tabs after General that are not part of the form (Sync logs). */
  extraTabs?: { key: string; label: React.ReactNode; children: React.ReactNode }[];
}

/** Tabs whose fields the Save button saves; extra tabs (Sync logs) have no fields. */
const FORM_TABS: string[] = ['google', 'microsoft', 'general', 'servers'];

const PROVIDER_LABEL = { google: 'Google', microsoft: 'Microsoft' } as const;

/** Settings → Email settings: Google, Microsoft and General tabs (S-CONF-1…5). */
export function SettingsForm({ settings, onSave, extraTabs }: SettingsFormProps) {
  const t = useT();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [tab, setTab] = useState<string>('google');
  const [saving, setSaving] = useState(false);

  useEffect(() => form.setFieldsValue(formValuesOf(settings)), [form, settings]);

  /** Tokens belong to the client that issued them: a new Client ID needs every account reauthorized. */
  const confirmClientChange = (update: SettingsUpdate) => {
    const changed = (['google', 'microsoft'] as const).filter((p) => {
      const next = update[`${p}ClientId`];
      return next !== undefined && settings[`${p}ClientId`] && next !== settings[`${p}ClientId`];
    });
    if (!changed.length) return Promise.resolve(true);
    return new Promise<boolean>((resolve) =>
      modal.confirm({
        title: t('Change the Client ID?'),
        content: t('Accounts linked through the old {{provider}} client must be reauthorized by their owners.', {
          provider: changed.map((p) => PROVIDER_LABEL[p]).join(', '),
        }),
        okText: t('Change'),
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    );
  };

  const submit = async (update: SettingsUpdate) => {
    setSaving(true);
    try {
      await onSave(update);
      message.success(t('Saved'));
    } catch (error) {
      const fieldErrors = error instanceof ApiError ? error.errors : [];
      const known = fieldErrors.filter((e) => e.field && e.field in TAB_OF_FIELD);
      if (known.length) {
        form.setFields(known.map((e) => ({ name: e.field as keyof FormValues, errors: [e.message] })));
        setTab(TAB_OF_FIELD[known[0].field as keyof FormValues]);
      }
      message.error((error as Error).message || t('Saving failed'));
    } finally {
      setSaving(false);
    }
  };

  const save = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch (error: any) {
      const first = error?.errorFields?.[0]?.name?.[0] as keyof FormValues | undefined;
      if (first) setTab(TAB_OF_FIELD[first]);
      return;
    }
    const update = changedFields(settings, values);
    if (!Object.keys(update).length) {
      message.info(t('Nothing to save'));
      return;
    }
    if (await confirmClientChange(update)) await submit(update);
  };

  const removeCredentials = (provider: 'google' | 'microsoft') =>
    submit({ [`${provider}ClientId`]: '', [`${provider}ClientSecret`]: null });

  const providerHeader = (provider: 'google' | 'microsoft') => {
    const configured = settings[`${provider}Configured`];
    const anything = settings[`${provider}ClientId`] || settings[`${provider}ClientSecretSet`];
    return (
      <Space style={{ marginBottom: 16 }} wrap>
        <Tag color={configured ? 'success' : 'default'} data-testid={`${provider}-status`}>
          {configured ? t('Configured') : t('Not configured')}
        </Tag>
        {anything && (
          <Popconfirm
            title={t('Remove the {{provider}} credentials?', { provider: PROVIDER_LABEL[provider] })}
            description={t('Linked accounts stop syncing until credentials are set again. Their mail is kept.')}
            okText={t('Remove')}
            onConfirm={() => removeCredentials(provider)}
          >
            <Button size="small" danger type="link">
              {t('Remove credentials')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    );
  };

  const googleTab = (
    <>
      {providerHeader('google')}
      <RedirectUri uri={settings.redirectUri} />
      <Form.Item
        name="googleClientId"
        label={t('Client ID')}
        rules={[
          {
            warningOnly: true,
            validator: async (_, value: string) => {
              if (value && !value.trim().endsWith(GOOGLE_CLIENT_ID_SUFFIX)) {
                throw new Error(t('Google client IDs usually end with {{suffix}}', { suffix: GOOGLE_CLIENT_ID_SUFFIX }));
              }
            },
          },
        ]}
      >
        <Input placeholder="1234567890-abc.apps.googleusercontent.com" autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="googleClientSecret"
        label={t('Client Secret')}
        dependencies={['googleClientId']}
        rules={[secretNeedsId('googleClientId', 'Google')]}
      >
        <SecretInput id="googleClientSecret" isSet={settings.googleClientSecretSet} />
      </Form.Item>
    </>
  );

  const microsoftTab = (
    <>
      {providerHeader('microsoft')}
      <RedirectUri uri={settings.redirectUri} />
      <Form.Item
        name="microsoftClientId"
        label={t('Application (client) ID')}
        rules={[
          {
            validator: async (_, value: string) => {
              if (value && !GUID.test(value.trim())) throw new Error(t('Microsoft Client ID must be a GUID (Application (client) ID)'));
            },
          },
        ]}
      >
        <Input placeholder="00000000-0000-0000-0000-000000000000" autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="microsoftClientSecret"
        label={t('Client Secret')}
        extra={t("The secret's Value, not its Secret ID")}
        dependencies={['microsoftClientId']}
        rules={[
          secretNeedsId('microsoftClientId', 'Microsoft'),
          {
            warningOnly: true,
            validator: async (_, value: string) => {
              if (value && looksLikeSecretId(value)) throw new Error(t('This looks like the Secret ID; paste the secret Value'));
            },
          },
        ]}
      >
        <SecretInput id="microsoftClientSecret" isSet={settings.microsoftClientSecretSet} />
      </Form.Item>
      <Form.Item
        name="microsoftTenant"
        label={t('Tenant')}
        extra={t('common, organizations, consumers, a tenant ID or a domain')}
        rules={[
          {
            validator: async (_, value: string) => {
              if (value && value.trim() && !isValidTenant(value.trim())) {
                throw new Error(t('Tenant must be common, organizations, consumers, a tenant ID or a domain'));
              }
            },
          },
        ]}
      >
        <Input placeholder={DEFAULT_MICROSOFT_TENANT} autoComplete="off" />
      </Form.Item>
    </>
  );

  const generalTab = (
    <>
      <Form.Item
        name="syncInterval"
        label={t('Sync Interval (minutes)')}
        rules={[integerRule(t('Sync Interval (minutes)'), SYNC_INTERVAL_MINUTES)]}
      >
        <InputNumber style={{ width: 200 }} precision={0} />
      </Form.Item>
      <Form.Item
        name="massSendInterval"
        label={t('Mass send interval (milliseconds)')}
        extra={t('Wait between two mails of a bulk send from one account')}
        rules={[integerRule(t('Mass send interval (milliseconds)'), MASS_SEND_INTERVAL_MS)]}
      >
        <InputNumber style={{ width: 200 }} precision={0} />
      </Form.Item>
      <Form.Item
        name="viewByDepartment"
        label={t('View messages by department')}
        valuePropName="checked"
        extra={
          settings.departmentsAvailable
            ? t('Department owners can read, but not change, the mail of the users in their departments and sub-departments')
            : t('Needs the Departments plugin')
        }
      >
        <Switch disabled={!settings.departmentsAvailable} data-testid="view-by-department" />
      </Form.Item>
    </>
  );

  function secretNeedsId(idField: 'googleClientId' | 'microsoftClientId', provider: string) {
    return ({ getFieldValue }: { getFieldValue: (name: string) => any }) => ({
      validator: async (_: unknown, value: string) => {
        if (value && value.trim() && !String(getFieldValue(idField) || '').trim()) {
          throw new Error(t('{{provider}} Client ID is required with a client secret', { provider }));
        }
      },
    });
  }

  function integerRule(label: string, range: { min: number; max: number }) {
    return {
      validator: async (_: unknown, value: unknown) => {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
          throw new Error(t('{{label}} must be a whole number from {{min}} to {{max}}', { label, ...range }));
        }
      },
    };
  }

  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 760 }} initialValues={formValuesOf(settings)} requiredMark={false}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'google', label: 'Google', forceRender: true, children: googleTab },
          { key: 'microsoft', label: 'Microsoft', forceRender: true, children: microsoftTab },
          { key: 'general', label: t('General'), forceRender: true, children: generalTab },
          { key: 'servers', label: t('Other mail servers (IMAP/SMTP)'), forceRender: true, children: <ServerSettingsTab /> },
          ...(extraTabs || []),
        ]}
      />
      {FORM_TABS.includes(tab) && (
        <Button type="primary" onClick={save} loading={saving} data-testid="save-settings">
          {t('Save')}
        </Button>
      )}
    </Form>
  );
}
