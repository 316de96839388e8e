/**
 * The "Email table" block on modern (flow engine) pages and popups (S-BLOCK-1…5): a BlockModel
 * listed under "Other blocks" of every "Add block" menu. Its settings are flow steps, saved with
 * the page's flowModels like any block's; the data scope's variables (`{{ctx.popup.record.email}}`)
 * are resolved by the flow engine before the step runs, so the server only ever sees values.
 */
import { BlockModel } from '@nocobase/client';
import React from 'react';
import { BLOCK_DEFAULT_PAGE_SIZE, BlockFilter, BlockScope } from '../../shared/block-api';
import { FLOW_EMAIL_TABLE_MODEL } from './constants';
import { ConnectedEmailTable } from './email-table/ConnectedEmailTable';
import { DataScope, dataScopeToFilter } from './email-table/data-scope';
import { DEFAULT_EMAIL_COLUMNS, DetailButton, EmailField, normalizeButtons, normalizeColumns } from './email-table/fields';
import { mailAllowed } from './flow';
import { columnsSchema, dataScopeSchema, detailButtonsSchema, pageSizeSchema, scopeSchema, tx } from './flow-settings';

const SETTINGS_FLOW = 'emailTableSettings';

interface EmailTableProps {
  scope?: BlockScope;
  filter?: BlockFilter;
  pageSize?: number;
  columns?: EmailField[];
  clickToOpen?: boolean;
  detailButtons?: DetailButton[];
}

export function createEmailTableModel() {
  const Base: any = BlockModel;
  class EmailManagerEmailTableBlockModel extends Base {
    renderComponent() {
      const props = (this as any).props as EmailTableProps;
      return (
        <ConnectedEmailTable
          scope={props.scope || 'mine'}
          filter={props.filter || {}}
          pageSize={props.pageSize || BLOCK_DEFAULT_PAGE_SIZE}
          columns={normalizeColumns(props.columns)}
          clickToOpen={props.clickToOpen !== false}
          detailButtons={normalizeButtons(props.detailButtons)}
        />
      );
    }
  }
  const Model: any = EmailManagerEmailTableBlockModel;
  Model.define({ label: tx('Email table'), hide: (ctx: any) => !mailAllowed(ctx) });
  Model.registerFlow({
    key: SETTINGS_FLOW,
    title: tx('Email table settings'),
    steps: {
      scope: {
        title: tx('Scope'),
        uiSchema: scopeSchema,
        defaultParams: { scope: 'mine' },
        handler(ctx: any, params: { scope?: BlockScope }) {
          ctx.model.setProps({ scope: params.scope === 'all' ? 'all' : 'mine' });
        },
      },
      dataScope: {
        title: tx('Data scope'),
        uiSchema: (ctx: any) => dataScopeSchema(ctx),
        defaultParams: { logic: '$and', conditions: [] },
        // params arrive with their variables resolved (the popup record's fields)
        handler(ctx: any, params: DataScope) {
          ctx.model.setProps({ filter: dataScopeToFilter(params) });
        },
      },
      columns: {
        title: tx('Fields'),
        uiSchema: columnsSchema,
        useRawParams: true,
        defaultParams: { columns: DEFAULT_EMAIL_COLUMNS, clickToOpen: true },
        handler(ctx: any, params: { columns?: EmailField[]; clickToOpen?: boolean }) {
          ctx.model.setProps({ columns: normalizeColumns(params.columns), clickToOpen: params.clickToOpen !== false });
        },
      },
      detailButtons: {
        title: tx('Email details buttons'),
        uiSchema: detailButtonsSchema,
        useRawParams: true,
        defaultParams: { buttons: ['reply', 'replyAll', 'forward', 'markUnread', 'archive', 'trash'] },
        handler(ctx: any, params: { buttons?: DetailButton[] }) {
          ctx.model.setProps({ detailButtons: normalizeButtons(params.buttons) });
        },
      },
      pageSize: {
        title: tx('Page size'),
        uiSchema: pageSizeSchema,
        useRawParams: true,
        defaultParams: { pageSize: BLOCK_DEFAULT_PAGE_SIZE },
        handler(ctx: any, params: { pageSize?: number }) {
          ctx.model.setProps({ pageSize: Number(params.pageSize) || BLOCK_DEFAULT_PAGE_SIZE });
        },
      },
    },
  });
  return Model;
}

export function registerFlowEmailTable(app: any) {
  app.flowEngine?.registerModels?.({ [FLOW_EMAIL_TABLE_MODEL]: createEmailTableModel() });
}
