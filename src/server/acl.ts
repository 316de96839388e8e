import type Application from '@nocobase/server';
import { COLLECTIONS, SETTINGS_SNIPPET } from './constants';

const OWN_COLLECTIONS = new Set<string>(Object.values(COLLECTIONS));

/**
 * ACL wiring (S-ACL-1…3).
 * - The settings actions belong to the `pm.mail` snippet, which root and admin hold by default.
 * - The plugin's collections are not general data: NocoBase would otherwise serve them through
 *   its generic CRUD actions to any role whose strategy covers all collections. Only the actions
 *   this plugin registers (which apply their own owner checks) may touch them.
 */
export function registerAcl(app: Application, actions: { settings: string[]; all: string[] }) {
  app.acl.registerSnippet({ name: SETTINGS_SNIPPET, actions: actions.settings });

  const allowed = new Set(actions.all);
  app.resourceManager.use(
    async function emailManagerGuard(ctx: any, next: () => Promise<void>) {
      const resourceName: string = ctx.action?.resourceName || '';
      const actionName: string = ctx.action?.actionName || '';
      const base = resourceName.split('.')[0];
      if (OWN_COLLECTIONS.has(base) && !allowed.has(`${resourceName}:${actionName}`)) {
        ctx.throw(403, `${resourceName}:${actionName} is not available`);
      }
      await next();
    },
    { tag: 'emailManagerGuard', before: 'acl' },
  );
}
