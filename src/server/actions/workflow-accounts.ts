/**
 * mailAccounts:listForWorkflows: what the workflow editor's account and user pickers offer
 * (src/shared/accounts-api.ts). Only accounts whose owner allows workflows are listed, since no
 * other account could ever fire a trigger or send from a node, and only to a role that may edit
 * workflows: to anyone else it would reveal other users' addresses for nothing.
 */
import type { Context } from '@nocobase/actions';
import type Application from '@nocobase/server';
import { ACCOUNT_ACTIONS, type ProviderName, type WorkflowAccountOption } from '../../shared/accounts-api';
import { rolesOf } from '../acl';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { action } from './respond';

/** Any action of the Workflow plugin's editor snippet (`pm.workflow.workflows`: `workflows:*`) stands for "may edit workflows". */
const EDIT_WORKFLOWS = 'workflows:update';

function mayEditWorkflows(app: Application, ctx: Context): boolean {
  return rolesOf(ctx).some((role) => role === 'root' || Boolean(app.acl.getRole(role)?.snippetAllowed(EDIT_WORKFLOWS)));
}

const nameOf = (user: Model | undefined) => String(user?.get('nickname') || user?.get('username') || user?.get('email') || '');

export function workflowAccountActions(app: Application) {
  return {
    [ACCOUNT_ACTIONS.listForWorkflows]: action(async (ctx): Promise<WorkflowAccountOption[]> => {
      if (!mayEditWorkflows(app, ctx)) throw new UserError('No permissions', 403);
      const rows: Model[] = await app.db.getRepository(COLLECTIONS.accounts).find({ filter: { workflowAccess: true }, sort: ['userId', 'id'] });
      const userIds = [...new Set(rows.map((r) => Number(r.get('userId'))))];
      const users: Model[] = userIds.length ? await app.db.getRepository('users').find({ filter: { id: userIds } }) : [];
      const byId = new Map(users.map((u) => [Number(u.get('id')), u]));
      return rows.map((row) => ({
        id: Number(row.get('id')),
        email: String(row.get('email')),
        provider: row.get('provider') as ProviderName,
        userId: Number(row.get('userId')),
        userName: nameOf(byId.get(Number(row.get('userId')))),
      }));
    }),
  };
}
