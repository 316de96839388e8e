/**
 * The settings forms (flow-engine step uiSchemas) of the Email table block: scope, data scope,
 * fields, click to open, details buttons, page size. Labels are translated with the flow
 * context's `t` in the plugin's namespace; the stored values are the keys of ./email-table/fields.
 */
import { TextAreaWithContextSelector } from '@nocobase/client';
import { NAMESPACE } from '../locale';
import { SCOPE_FIELD_TITLES, SCOPE_FIELDS, SCOPE_OPERATOR_TITLES, SCOPE_OPERATORS } from './email-table/data-scope';
import { DETAIL_BUTTON_TITLES, DETAIL_BUTTONS, EMAIL_FIELD_TITLES, EMAIL_FIELDS, EMAIL_PAGE_SIZES } from './email-table/fields';

type Ctx = { t(text: string, options?: Record<string, unknown>): string };
const tr = (ctx: Ctx, text: string) => ctx.t(text, { ns: NAMESPACE });

/** A translation template in our namespace (as the flow engine's tExpr writes it), so every menu translates the title. */
export const tx = (text: string) => `{{t(${JSON.stringify(text)}, ${JSON.stringify({ ns: NAMESPACE })})}}`;

export function scopeSchema(ctx: Ctx) {
  return {
    scope: {
      type: 'string',
      title: tr(ctx, 'Scope'),
      'x-decorator': 'FormItem',
      'x-component': 'Radio.Group',
      enum: [
        { value: 'mine', label: tr(ctx, "Current user's emails") },
        { value: 'all', label: tr(ctx, 'All emails') },
      ],
      description: tr(ctx, "All emails needs the email-manager.all-mail permission (admin has it) or department ownership; without it the block shows your own. Other users' drafts, scheduled mail and Bcc are never shown."),
    },
  };
}

/** `valueComponent`: the flow engine's variable picker, or a plain input on classic pages (variables typed as {{$nPopupRecord.email}}). */
export function dataScopeSchema(ctx: Ctx, valueComponent: unknown = TextAreaWithContextSelector) {
  return {
    logic: {
      type: 'string',
      title: tr(ctx, 'Conditions'),
      'x-decorator': 'FormItem',
      'x-component': 'Radio.Group',
      default: '$and',
      enum: [
        { value: '$and', label: tr(ctx, 'All of the conditions') },
        { value: '$or', label: tr(ctx, 'Any of the conditions') },
      ],
    },
    conditions: {
      type: 'array',
      'x-decorator': 'FormItem',
      'x-component': 'ArrayItems',
      description: tr(ctx, 'The value can be a constant or a variable, e.g. the current popup record\'s email. A condition with an empty value matches no email.'),
      items: {
        type: 'object',
        properties: {
          row: {
            type: 'void',
            'x-component': 'Space',
            'x-component-props': { style: { display: 'flex', flexWrap: 'nowrap', width: '100%' } },
            properties: {
              field: {
                type: 'string',
                'x-decorator': 'FormItem',
                'x-component': 'Select',
                'x-component-props': { style: { width: 150 }, 'data-testid': 'email-scope-field' },
                default: 'participants',
                enum: SCOPE_FIELDS.map((f) => ({ value: f, label: tr(ctx, SCOPE_FIELD_TITLES[f]) })),
              },
              operator: {
                type: 'string',
                'x-decorator': 'FormItem',
                'x-component': 'Select',
                'x-component-props': { style: { width: 110 } },
                default: '$in',
                enum: SCOPE_OPERATORS.map((o) => ({ value: o, label: tr(ctx, SCOPE_OPERATOR_TITLES[o]) })),
              },
              value: {
                type: 'string',
                'x-decorator': 'FormItem',
                'x-component': valueComponent,
                'x-component-props': { rows: 1, style: { width: 320 }, placeholder: tr(ctx, 'Value or variable') },
              },
              remove: { type: 'void', 'x-decorator': 'FormItem', 'x-component': 'ArrayItems.Remove' },
            },
          },
        },
      },
      properties: {
        add: { type: 'void', title: tr(ctx, 'Add condition'), 'x-component': 'ArrayItems.Addition' },
      },
    },
  };
}

export function columnsSchema(ctx: Ctx) {
  return {
    columns: {
      type: 'array',
      title: tr(ctx, 'Fields (in display order)'),
      'x-decorator': 'FormItem',
      'x-component': 'Select',
      'x-component-props': { mode: 'multiple', style: { width: '100%' } },
      enum: EMAIL_FIELDS.map((f) => ({ value: f, label: tr(ctx, EMAIL_FIELD_TITLES[f]) })),
    },
    clickToOpen: {
      type: 'boolean',
      'x-decorator': 'FormItem',
      'x-component': 'Checkbox',
      'x-content': tr(ctx, 'Subject: Enable click to open'),
    },
  };
}

export function detailButtonsSchema(ctx: Ctx) {
  return {
    buttons: {
      type: 'array',
      title: tr(ctx, 'Buttons of the email details'),
      'x-decorator': 'FormItem',
      'x-component': 'Checkbox.Group',
      enum: DETAIL_BUTTONS.map((b) => ({ value: b, label: tr(ctx, DETAIL_BUTTON_TITLES[b]) })),
    },
  };
}

export function pageSizeSchema(ctx: Ctx) {
  return {
    pageSize: {
      type: 'number',
      title: tr(ctx, 'Page size'),
      'x-decorator': 'FormItem',
      'x-component': 'Select',
      enum: EMAIL_PAGE_SIZES.map((n) => ({ value: n, label: String(n) })),
    },
  };
}
