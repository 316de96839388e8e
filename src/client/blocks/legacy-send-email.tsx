/**
 * "Send email" on classic (v1) pages (S-BLOCK-6): an item in the actions menus of a table's top
 * bar, its rows and details blocks, an Action schema saved with the page, the props hook that
 * runs it (the same plan as on modern pages) and its settings: Recipients (`emailFieldNames`;
 * on the top bar also "All records"), button title, delete.
 */
import { useFieldSchema } from '@formily/react';
import {
  ButtonEditor,
  SchemaInitializerItem,
  SchemaSettings,
  useAPIClient,
  useCollection,
  useCollectionRecordData,
  useCompile,
  useDataBlockRequest,
  useSchemaInitializer,
  useSchemaInitializerItem,
  useSchemaToolbar,
  useTableBlockContext,
} from '@nocobase/client';
import { App } from 'antd';
import React from 'react';
import { useComposeContext } from '../compose/ComposeProvider';
import { useT } from '../locale';
import { bridgedOpenCompose } from './compose-bridge';
import {
  LEGACY_BLOCK_ACTION_MENUS,
  LEGACY_RECORD_ACTION_MENUS,
  LEGACY_SEND_ACTION,
  LEGACY_SEND_ACTION_INITIALIZER,
  LEGACY_SEND_ACTION_PROPS,
  LEGACY_SEND_ACTION_SETTINGS,
} from './constants';
import { tx } from './flow-settings';
import { useSchemaPatch } from './legacy-schema';
import { recipientsSchema } from './send/recipients';
import { recordLoader, runSendEmail } from './send/run-send-email';
import type { SendEmailSettings } from './send/send-email';
import { useMailAllowed } from './use-mail-allowed';

type Placement = 'block' | 'record';
interface ActionSettings extends SendEmailSettings {
  placement?: Placement;
}

function sendActionSchema(placement: Placement) {
  return {
    type: 'void',
    title: tx('Send email'),
    'x-action': LEGACY_SEND_ACTION,
    'x-toolbar': 'ActionSchemaToolbar',
    'x-settings': LEGACY_SEND_ACTION_SETTINGS,
    'x-component': placement === 'record' ? 'Action.Link' : 'Action',
    'x-use-component-props': LEGACY_SEND_ACTION_PROPS,
    'x-component-props': { icon: 'SendOutlined' },
    'x-action-settings': { placement, emailFieldNames: [], defaultSelectAllRecords: false },
    ...(placement === 'block' ? { 'x-align': 'right' } : {}),
  };
}

function SendActionInitializer() {
  const { insert } = useSchemaInitializer();
  const itemConfig = useSchemaInitializerItem();
  return <SchemaInitializerItem {...itemConfig} onClick={() => insert(sendActionSchema(itemConfig.placement))} />;
}

/** `x-use-component-props` of the action: its click plans the mail and opens the editor. */
function useSendEmailActionProps() {
  const fieldSchema = useFieldSchema();
  const settings = (fieldSchema['x-action-settings'] || {}) as ActionSettings;
  const collection: any = useCollection();
  const record = useCollectionRecordData();
  const table: any = useTableBlockContext?.();
  const request: any = useDataBlockRequest?.();
  const api = useAPIClient();
  const compose = useComposeContext();
  const t = useT();
  const { message } = App.useApp();
  const onRecord = settings.placement === 'record';
  return {
    async onClick() {
      await runSendEmail({
        settings,
        collection,
        translate: (text) => t(text),
        warn: (text) => message.warning(text),
        open: compose?.openCompose ?? bridgedOpenCompose(),
        context: {
          record: onRecord ? record : null,
          collectionName: collection?.name,
          dataSourceKey: collection?.dataSource,
          selectedKeys: onRecord ? [] : table?.field?.data?.selectedRowKeys || [],
          blockFilter: onRecord ? undefined : request?.params?.[0]?.filter,
          loadRecord: recordLoader(api, collection, record),
        },
      });
    },
  };
}

const sendActionSettings = new SchemaSettings({
  name: LEGACY_SEND_ACTION_SETTINGS,
  items: [
    {
      name: 'editButton',
      Component: ButtonEditor,
      useComponentProps() {
        const { buttonEditorProps } = useSchemaToolbar();
        return buttonEditorProps;
      },
    },
    {
      name: 'recipients',
      type: 'modal',
      useComponentProps() {
        const t = useT();
        const compile = useCompile();
        const collection: any = useCollection();
        const { props, patch } = useSchemaPatch('x-action-settings');
        const fields = collection?.getFields?.() || [];
        const onBlock = props.placement !== 'record';
        return {
          title: t('Recipients'),
          schema: { type: 'object', title: t('Recipients'), properties: recipientsSchema(t, fields, (text) => compile(text), onBlock) },
          initialValues: { emailFieldNames: props.emailFieldNames || [], defaultSelectAllRecords: Boolean(props.defaultSelectAllRecords) },
          onSubmit: (values: SendEmailSettings) => patch({ emailFieldNames: values.emailFieldNames || [], defaultSelectAllRecords: Boolean(values.defaultSelectAllRecords) }),
        };
      },
    },
    { name: 'divider', type: 'divider' },
    { name: 'delete', type: 'remove' },
  ],
});

export function registerLegacySendEmailAction(app: any) {
  app.addComponents({ [LEGACY_SEND_ACTION_INITIALIZER]: SendActionInitializer });
  app.addScopes({ [LEGACY_SEND_ACTION_PROPS]: useSendEmailActionProps });
  app.schemaSettingsManager.add(sendActionSettings);
  const menus: [string, Placement][] = [
    ...LEGACY_BLOCK_ACTION_MENUS.map((m): [string, Placement] => [m, 'block']),
    ...LEGACY_RECORD_ACTION_MENUS.map((m): [string, Placement] => [m, 'record']),
  ];
  for (const [menu, placement] of menus) {
    app.schemaInitializerManager.addItem(menu, LEGACY_SEND_ACTION, {
      type: 'item',
      title: tx('Send email'),
      Component: LEGACY_SEND_ACTION_INITIALIZER,
      placement,
      useVisible: useMailAllowed,
    });
  }
}
