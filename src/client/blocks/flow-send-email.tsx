/**
 * "Send email" on modern pages (S-BLOCK-6): an action for any collection table's top bar, its
 * rows and details blocks (ActionModel in both scenes), and the "Email send" block. The action
 * opens the app's compose editor through the bridge (the top bar with rows ticked, or "All
 * records", in bulk mode); the block is that editor laid out in the page, filled from its default
 * values.
 */
import { ActionModel, ActionSceneEnum, BlockModel, TextAreaWithContextSelector } from '@nocobase/client';
import React from 'react';
import { NAMESPACE } from '../locale';
import { bridgedOpenCompose } from './compose-bridge';
import { FLOW_EMAIL_SEND_MODEL, FLOW_SEND_ACTION_MODEL } from './constants';
import { mailAllowed } from './flow';
import { tx } from './flow-settings';
import { recipientsSchema } from './send/recipients';
import { composeDefaults, EMAIL_SEND_FIELDS, EmailSendDefaults } from './send/email-send-defaults';
import { InlineCompose } from './send/InlineCompose';
import { recordLoader, runSendEmail } from './send/run-send-email';
import type { SendEmailSettings } from './send/send-email';

const tr = (ctx: any, text: string) => ctx.t(text, { ns: NAMESPACE });

function collectionOf(ctx: any) {
  return ctx.blockModel?.collection || ctx.collection;
}

function sendSettingsSchema(ctx: any) {
  const fields = collectionOf(ctx)?.getFields?.() || [];
  const fieldTitle = (text: string) => (typeof ctx.t === 'function' ? ctx.t(text) : text);
  return recipientsSchema((text) => tr(ctx, text), fields, fieldTitle, true);
}

async function onSendEmail(ctx: any, params: SendEmailSettings) {
  const collection = collectionOf(ctx);
  const resource = ctx.blockModel?.resource;
  const selected: any[] = !ctx.record && typeof resource?.getSelectedRows === 'function' ? resource.getSelectedRows() || [] : [];
  await runSendEmail({
    settings: params,
    collection,
    translate: (text) => (typeof ctx.t === 'function' ? ctx.t(text, { ns: [NAMESPACE, 'client'] }) : text),
    warn: (message) => ctx.message.warning(message),
    open: bridgedOpenCompose(),
    context: {
      record: ctx.record,
      collectionName: collection?.name,
      dataSourceKey: collection?.dataSourceKey,
      selectedKeys: selected.map((row) => collection.getFilterByTK(row)),
      blockFilter: typeof resource?.getFilter === 'function' ? resource.getFilter() : undefined,
      loadRecord: recordLoader(ctx.api, collection, ctx.record),
    },
  });
}

export function createSendEmailActionModel() {
  const Base: any = ActionModel;
  class EmailManagerSendEmailActionModel extends Base {
    static scene = ActionSceneEnum.all;
    defaultProps = { title: tx('Send email'), icon: 'SendOutlined' };
  }
  const Model: any = EmailManagerSendEmailActionModel;
  Model.define({ label: tx('Send email'), hide: (ctx: any) => !mailAllowed(ctx) });
  Model.registerFlow({
    key: 'sendEmailSettings',
    title: tx('Send email settings'),
    on: 'click',
    steps: {
      recipients: {
        title: tx('Recipients'),
        uiSchema: sendSettingsSchema,
        useRawParams: true,
        defaultParams: { emailFieldNames: [], defaultSelectAllRecords: false },
        handler: onSendEmail,
      },
    },
  });
  return Model;
}

function defaultValuesSchema(ctx: any) {
  const field = (title: string, rows = 1) => ({
    type: 'string',
    title: tr(ctx, title),
    'x-decorator': 'FormItem',
    'x-component': TextAreaWithContextSelector,
    'x-component-props': { rows },
  });
  return { to: field('To'), cc: field('Cc'), bcc: field('Bcc'), subject: field('Subject'), content: field('Content', 4) };
}

export function createEmailSendBlockModel() {
  const Base: any = BlockModel;
  class EmailManagerEmailSendBlockModel extends Base {
    renderComponent() {
      return <InlineCompose defaults={composeDefaults((this as any).props as EmailSendDefaults)} userId={(this as any).context?.user?.id} />;
    }
  }
  const Model: any = EmailManagerEmailSendBlockModel;
  Model.define({ label: tx('Email send'), hide: (ctx: any) => !mailAllowed(ctx) });
  Model.registerFlow({
    key: 'emailSendSettings',
    title: tx('Email send settings'),
    steps: {
      defaults: {
        title: tx('Default values'),
        uiSchema: defaultValuesSchema,
        defaultParams: { to: '', cc: '', bcc: '', subject: '', content: '' },
        // variables (the popup record's email) arrive resolved
        handler(ctx: any, params: EmailSendDefaults) {
          ctx.model.setProps(Object.fromEntries(EMAIL_SEND_FIELDS.map((f) => [f, params[f]])));
        },
      },
    },
  });
  return Model;
}

export function registerFlowSendEmail(app: any) {
  app.flowEngine?.registerModels?.({
    [FLOW_SEND_ACTION_MODEL]: createSendEmailActionModel(),
    [FLOW_EMAIL_SEND_MODEL]: createEmailSendBlockModel(),
  });
}
