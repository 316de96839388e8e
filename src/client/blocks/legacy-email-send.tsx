/**
 * The "Email send" block on classic (v1) pages and popups (S-BLOCK-6): the editor laid out in
 * the page, as on modern pages, starting from the block's default values. A default may hold
 * classic variables (`{{$nPopupRecord.email}}`, `Hello {{$nPopupRecord.name}}`), resolved here
 * in the browser before the form starts.
 */
import { SendOutlined } from '@ant-design/icons';
import {
  SchemaInitializerItem,
  SchemaSettings,
  SchemaSettingsBlockTitleItem,
  useSchemaInitializer,
  useSchemaInitializerItem,
} from '@nocobase/client';
import React from 'react';
import { useT } from '../locale';
import { LEGACY_ADD_BLOCK_MENUS, LEGACY_EMAIL_SEND_COMPONENT, LEGACY_EMAIL_SEND_INITIALIZER, LEGACY_EMAIL_SEND_ITEM, LEGACY_EMAIL_SEND_SETTINGS } from './constants';
import { tx } from './flow-settings';
import { useSchemaPatch } from './legacy-schema';
import { useClassicVariables } from './legacy-variables';
import { InlineCompose } from './send/InlineCompose';
import { composeDefaults, EMAIL_SEND_FIELDS, EmailSendDefaults } from './send/email-send-defaults';
import { useMailAllowed } from './use-mail-allowed';

const VARIABLE = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** The defaults with every `{{…}}` in them replaced by its value (a variable that fails gives ''). */
function useResolvedDefaults(values: EmailSendDefaults): EmailSendDefaults | null {
  return useClassicVariables(values, async (parse, input) => {
    const resolve = async (text: unknown) => {
      if (typeof text !== 'string' || !text.includes('{{')) return text;
      const parts = await Promise.all(
        [...text.matchAll(VARIABLE)].map(async (m) => {
          const value = await parse(m[0]);
          return Array.isArray(value) ? value.join(', ') : value == null ? '' : String(value);
        }),
      );
      let i = 0;
      return text.replace(VARIABLE, () => parts[i++]);
    };
    return Object.fromEntries(await Promise.all(EMAIL_SEND_FIELDS.map(async (f) => [f, await resolve(input[f])] as const)));
  });
}

function LegacyEmailSendBlock(props: EmailSendDefaults) {
  const t = useT();
  const allowed = useMailAllowed();
  const values = useResolvedDefaults(props);
  if (!allowed) return <div data-testid="email-send-forbidden">{t('You do not have permission to use email')}</div>;
  if (!values) return null;
  return <InlineCompose defaults={composeDefaults(values)} />;
}

const settings = new SchemaSettings({
  name: LEGACY_EMAIL_SEND_SETTINGS,
  items: [
    { name: 'title', Component: SchemaSettingsBlockTitleItem },
    {
      name: 'defaults',
      type: 'modal',
      useComponentProps() {
        const t = useT();
        const { props, patch } = useSchemaPatch();
        const field = (title: string, rows = 1) => ({
          type: 'string',
          title: t(title),
          'x-decorator': 'FormItem',
          'x-component': 'Input.TextArea',
          'x-component-props': { autoSize: { minRows: rows } },
        });
        return {
          title: t('Default values'),
          schema: {
            type: 'object',
            title: t('Default values'),
            properties: {
              hint: { type: 'void', 'x-component': 'div', 'x-content': t('Variables are written as {{popupEmail}} or {{userName}}.', { popupEmail: '{{$nPopupRecord.email}}', userName: '{{$user.nickname}}' }) },
              to: field('To'),
              cc: field('Cc'),
              bcc: field('Bcc'),
              subject: field('Subject'),
              content: field('Content', 4),
            },
          },
          initialValues: Object.fromEntries(EMAIL_SEND_FIELDS.map((f) => [f, props[f] ?? ''])),
          onSubmit: (values: EmailSendDefaults) => patch(Object.fromEntries(EMAIL_SEND_FIELDS.map((f) => [f, values[f] ?? '']))),
        };
      },
    },
    { name: 'divider', type: 'divider' },
    {
      name: 'delete',
      type: 'remove',
      useComponentProps() {
        return { removeParentsIfNoChildren: true, breakRemoveOn: { 'x-component': 'Grid' } };
      },
    },
  ],
});

function EmailSendInitializer() {
  const { insert } = useSchemaInitializer();
  const itemConfig = useSchemaInitializerItem();
  const schema = {
    type: 'void',
    'x-settings': LEGACY_EMAIL_SEND_SETTINGS,
    'x-decorator': 'CardItem',
    'x-decorator-props': { name: 'emailManagerEmailSend' },
    'x-component': LEGACY_EMAIL_SEND_COMPONENT,
    'x-component-props': { to: '', cc: '', bcc: '', subject: '', content: '' },
  };
  return <SchemaInitializerItem {...itemConfig} icon={<SendOutlined />} onClick={() => insert(schema)} />;
}

export function registerLegacyEmailSend(app: any) {
  app.addComponents({ [LEGACY_EMAIL_SEND_COMPONENT]: LegacyEmailSendBlock, [LEGACY_EMAIL_SEND_INITIALIZER]: EmailSendInitializer });
  app.schemaSettingsManager.add(settings);
  for (const menu of LEGACY_ADD_BLOCK_MENUS) {
    app.schemaInitializerManager.addItem(menu, LEGACY_EMAIL_SEND_ITEM, { title: tx('Email send'), Component: LEGACY_EMAIL_SEND_INITIALIZER, useVisible: useMailAllowed });
  }
}
