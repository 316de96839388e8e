/**
 * The "Email" block on classic (v1, schema) pages and popups: an item in their "Add block" menus
 * that inserts a CardItem schema, the component that schema names, and its block settings
 * (title, height, delete). The schema is stored with the page in uiSchemas like any block's.
 */
import { MailOutlined } from '@ant-design/icons';
import {
  SchemaInitializerItem,
  SchemaSettings,
  SchemaSettingsBlockHeightItem,
  SchemaSettingsBlockTitleItem,
  useBlockHeight,
  useSchemaInitializer,
  useSchemaInitializerItem,
} from '@nocobase/client';
import React from 'react';
import { useT } from '../locale';
import {
  DEFAULT_HEIGHT,
  EMAIL_TITLE,
  LEGACY_ADD_BLOCK_MENUS,
  LEGACY_COMPONENT,
  LEGACY_INITIALIZER_COMPONENT,
  LEGACY_ITEM,
  LEGACY_SETTINGS,
} from './constants';
import { useMailAllowed } from './use-mail-allowed';
import { MailBlockView, MailCenterComponent } from './MailBlockView';

/** The schema a new block gets; `x-component-props` receives the height setting. */
export function legacyBlockSchema() {
  return {
    type: 'void',
    'x-settings': LEGACY_SETTINGS,
    'x-decorator': 'CardItem',
    'x-decorator-props': { name: 'emailManagerMailCenter' },
    'x-component': LEGACY_COMPONENT,
    'x-component-props': {},
  };
}

function MailBlockInitializer() {
  const { insert } = useSchemaInitializer();
  const itemConfig = useSchemaInitializerItem();
  return <SchemaInitializerItem {...itemConfig} icon={<MailOutlined />} onClick={() => insert(legacyBlockSchema())} />;
}

const legacySettings = new SchemaSettings({
  name: LEGACY_SETTINGS,
  items: [
    { name: 'title', Component: SchemaSettingsBlockTitleItem },
    { name: 'setTheBlockHeight', Component: SchemaSettingsBlockHeightItem },
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

export function registerLegacyMailBlock(app: any, MailCenter: MailCenterComponent) {
  /** `heightMode`/`height` arrive as props from the height setting; useBlockHeight turns them into px. */
  function LegacyMailCenterBlock() {
    const t = useT();
    const height = Number(useBlockHeight());
    return (
      <MailBlockView
        MailCenter={MailCenter}
        height={height > 0 ? height : DEFAULT_HEIGHT}
        allowed={useMailAllowed()}
        noPermission={t('You do not have permission to use email')}
      />
    );
  }

  app.addComponents({ [LEGACY_COMPONENT]: LegacyMailCenterBlock, [LEGACY_INITIALIZER_COMPONENT]: MailBlockInitializer });
  app.schemaSettingsManager.add(legacySettings);
  for (const menu of LEGACY_ADD_BLOCK_MENUS) {
    app.schemaInitializerManager.addItem(menu, LEGACY_ITEM, {
      title: EMAIL_TITLE,
      Component: LEGACY_INITIALIZER_COMPONENT,
      useVisible: useMailAllowed,
    });
  }
}
