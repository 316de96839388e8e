/**
 * The "Email" block on modern (v2, flow engine) pages and popups: a BlockModel subclass. Every
 * BlockModel subclass the engine knows is listed under "Other blocks" of a block grid's
 * "Add block" menu; the added model is saved with the page (flowModels) like any block.
 * BlockModel brings the card and its settings: title & description, block height, delete.
 */
import { BlockModel } from '@nocobase/client';
import React from 'react';
import { useT } from '../locale';
import { USER_SNIPPET } from '../../shared/acl-snippets';
import { DEFAULT_HEIGHT, EMAIL_TITLE, FLOW_MODEL } from './constants';
import { MailBlockView, MailCenterComponent } from './MailBlockView';
import { snippetAllowed } from './snippets';

/**
 * The current role as the flow engine's ACL loaded it from `roles:check` ({ allowAll, snippets }).
 * `acl.data` is not a typed API of flow-engine 2.2: when it is missing, the block shows and the
 * server's snippet check decides.
 */
function roleOf(ctx: any): { allowAll?: boolean; snippets?: string[] } | undefined {
  return ctx?.acl?.data;
}

/** True unless the role is known and lacks the snippet (the server refuses anyway). */
export function mailAllowed(ctx: any) {
  const role = roleOf(ctx);
  if (!role || (!role.allowAll && !Array.isArray(role.snippets))) return true;
  return snippetAllowed(role.snippets || [], USER_SNIPPET, !!role.allowAll);
}

function FlowMailBlock(props: { MailCenter: MailCenterComponent; heightMode?: string; allowed: boolean }) {
  const t = useT();
  // "Specify height" / "Full height" size the card itself; the view then fills the card body.
  const fill = props.heightMode === 'specifyValue' || props.heightMode === 'fullHeight';
  return (
    <MailBlockView
      MailCenter={props.MailCenter}
      height={fill ? undefined : DEFAULT_HEIGHT}
      allowed={props.allowed}
      noPermission={t('You do not have permission to use email')}
    />
  );
}

export function createMailBlockModel(MailCenter: MailCenterComponent) {
  const Base: any = BlockModel;
  class EmailManagerMailCenterBlockModel extends Base {
    renderComponent() {
      const self = this as any;
      return (
        <FlowMailBlock
          MailCenter={MailCenter}
          heightMode={self.decoratorProps?.heightMode}
          allowed={mailAllowed(self.context)}
        />
      );
    }
  }
  (EmailManagerMailCenterBlockModel as any).define({
    label: EMAIL_TITLE,
    hide: (ctx: any) => !mailAllowed(ctx),
  });
  return EmailManagerMailCenterBlockModel;
}

export function registerFlowMailBlock(app: any, MailCenter: MailCenterComponent) {
  const engine = app.flowEngine;
  if (!engine?.registerModels) return;
  engine.registerModels({ [FLOW_MODEL]: createMailBlockModel(MailCenter) });
}
