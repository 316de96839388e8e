/**
 * The "Email table" block on classic (v1, schema) pages and record popups: an "Add block" item,
 * the component, and block settings that write into the block's `x-component-props` (stored in
 * uiSchemas with the page). A data-scope value may be a classic variable such as
 * `{{$nPopupRecord.email}}`; it is resolved here, on the client, before the list request.
 */
import { TableOutlined } from '@ant-design/icons';
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
import { BLOCK_DEFAULT_PAGE_SIZE, BlockFilter } from '../../shared/block-api';
import { useT } from '../locale';
import {
  LEGACY_ADD_BLOCK_MENUS,
  LEGACY_EMAIL_TABLE_COMPONENT,
  LEGACY_EMAIL_TABLE_INITIALIZER,
  LEGACY_EMAIL_TABLE_ITEM,
  LEGACY_EMAIL_TABLE_SETTINGS,
} from './constants';
import { useSchemaPatch } from './legacy-schema';
import { useClassicVariables } from './legacy-variables';
import { useMailAllowed } from './use-mail-allowed';
import { ConnectedEmailTable } from './email-table/ConnectedEmailTable';
import { DataScope, dataScopeToFilter, isVariable, ScopeCondition } from './email-table/data-scope';
import { DEFAULT_EMAIL_COLUMNS, EMAIL_PAGE_SIZES, normalizeButtons, normalizeColumns } from './email-table/fields';
import { columnsSchema, dataScopeSchema, detailButtonsSchema, tx } from './flow-settings';

export function legacyEmailTableSchema() {
  return {
    type: 'void',
    'x-settings': LEGACY_EMAIL_TABLE_SETTINGS,
    'x-decorator': 'CardItem',
    'x-decorator-props': { name: 'emailManagerEmailTable' },
    'x-component': LEGACY_EMAIL_TABLE_COMPONENT,
    'x-component-props': { scope: 'mine', pageSize: BLOCK_DEFAULT_PAGE_SIZE, columns: DEFAULT_EMAIL_COLUMNS, clickToOpen: true },
  };
}

const schemaT = (t: ReturnType<typeof useT>) => ({ t });

const legacySettings = new SchemaSettings({
  name: LEGACY_EMAIL_TABLE_SETTINGS,
  items: [
    { name: 'title', Component: SchemaSettingsBlockTitleItem },
    { name: 'setTheBlockHeight', Component: SchemaSettingsBlockHeightItem },
    {
      name: 'scope',
      type: 'select',
      useComponentProps() {
        const t = useT();
        const { props, patch } = useSchemaPatch();
        return {
          title: t('Scope'),
          options: [
            { value: 'mine', label: t("Current user's emails") },
            { value: 'all', label: t('All emails') },
          ],
          value: props.scope || 'mine',
          onChange: (scope: string) => patch({ scope }),
        };
      },
    },
    {
      name: 'dataScope',
      type: 'modal',
      useComponentProps() {
        const t = useT();
        const { props, patch } = useSchemaPatch();
        return {
          title: t('Data scope'),
          schema: { type: 'object', title: t('Data scope'), properties: dataScopeSchema(schemaT(t), 'Input') },
          initialValues: props.dataScope || { logic: '$and', conditions: [] },
          onSubmit: (dataScope: DataScope) => patch({ dataScope }),
        };
      },
    },
    {
      name: 'fields',
      type: 'modal',
      useComponentProps() {
        const t = useT();
        const { props, patch } = useSchemaPatch();
        return {
          title: t('Fields'),
          schema: { type: 'object', title: t('Fields'), properties: columnsSchema(schemaT(t)) },
          initialValues: { columns: normalizeColumns(props.columns), clickToOpen: props.clickToOpen !== false },
          onSubmit: (values: { columns: string[]; clickToOpen: boolean }) => patch(values),
        };
      },
    },
    {
      name: 'detailButtons',
      type: 'modal',
      useComponentProps() {
        const t = useT();
        const { props, patch } = useSchemaPatch();
        return {
          title: t('Email details buttons'),
          schema: { type: 'object', title: t('Email details buttons'), properties: detailButtonsSchema(schemaT(t)) },
          initialValues: { buttons: normalizeButtons(props.detailButtons) },
          onSubmit: (values: { buttons: string[] }) => patch({ detailButtons: values.buttons }),
        };
      },
    },
    {
      name: 'pageSize',
      type: 'select',
      useComponentProps() {
        const t = useT();
        const { props, patch } = useSchemaPatch();
        return {
          title: t('Page size'),
          options: EMAIL_PAGE_SIZES.map((n) => ({ value: n, label: String(n) })),
          value: props.pageSize || BLOCK_DEFAULT_PAGE_SIZE,
          onChange: (pageSize: number) => patch({ pageSize }),
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

/** The data scope with its classic variables ({{$nPopupRecord.email}}, {{$user.email}}) resolved. */
function useResolvedFilter(dataScope: DataScope | undefined): BlockFilter | null {
  return useClassicVariables(dataScope, async (parse, scope) => {
    const conditions = await Promise.all(
      (scope?.conditions || []).map(async (c): Promise<ScopeCondition> => (isVariable(c.value) ? { ...c, value: await parse(c.value) } : c)),
    );
    return dataScopeToFilter({ ...scope, conditions });
  });
}

function LegacyEmailTableBlock(props: Record<string, any>) {
  const t = useT();
  const height = Number(useBlockHeight());
  const allowed = useMailAllowed();
  const filter = useResolvedFilter(props.dataScope);
  if (!allowed) return <div data-testid="email-table-forbidden">{t('You do not have permission to use email')}</div>;
  if (!filter) return null;
  return (
    <ConnectedEmailTable
      scope={props.scope === 'all' ? 'all' : 'mine'}
      filter={filter}
      pageSize={Number(props.pageSize) || BLOCK_DEFAULT_PAGE_SIZE}
      columns={normalizeColumns(props.columns)}
      clickToOpen={props.clickToOpen !== false}
      detailButtons={normalizeButtons(props.detailButtons)}
      height={height > 0 ? Math.max(200, height - 160) : undefined}
    />
  );
}

function EmailTableInitializer() {
  const { insert } = useSchemaInitializer();
  const itemConfig = useSchemaInitializerItem();
  return <SchemaInitializerItem {...itemConfig} icon={<TableOutlined />} onClick={() => insert(legacyEmailTableSchema())} />;
}

export function registerLegacyEmailTable(app: any) {
  app.addComponents({ [LEGACY_EMAIL_TABLE_COMPONENT]: LegacyEmailTableBlock, [LEGACY_EMAIL_TABLE_INITIALIZER]: EmailTableInitializer });
  app.schemaSettingsManager.add(legacySettings);
  for (const menu of LEGACY_ADD_BLOCK_MENUS) {
    app.schemaInitializerManager.addItem(menu, LEGACY_EMAIL_TABLE_ITEM, {
      title: tx('Email table'),
      Component: LEGACY_EMAIL_TABLE_INITIALIZER,
      useVisible: useMailAllowed,
    });
  }
}
