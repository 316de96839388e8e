import type Application from '@nocobase/server';
import { COLLECTIONS, SETTINGS_SNIPPET, USER_SNIPPET } from './constants';

const OWN_COLLECTIONS = new Set<string>(Object.values(COLLECTIONS));
/** Roles that never get the personal-use snippet by default. */
const ROLES_WITHOUT_MAIL = new Set(['anonymous']);

/**
 * ACL wiring (S-ACL-1…3).
 * - Settings actions belong to the `pm.mail` snippet, which root and admin hold by default.
 * - Personal actions belong to the `email-manager` snippet, which every role gets by default;
 *   the actions themselves scope every query to the signed-in user.
 * - The plugin's collections are not general data: NocoBase would otherwise serve them through
 *   its generic CRUD actions to roles whose strategy covers all collections. Only the actions
 *   this plugin registers may touch them.
 */
export function registerAcl(app: Application, actions: { settings: string[]; personal: string[] }) {
  app.acl.registerSnippet({ name: SETTINGS_SNIPPET, actions: actions.settings });
  app.acl.registerSnippet({ name: USER_SNIPPET, actions: actions.personal });

  const allowed = new Set([...actions.settings, ...actions.personal]);
  app.resourceManager.use(
    async function emailManagerGuard(ctx: any, next: () => Promise<void>) {
      const resourceName: string = ctx.action?.resourceName || '';
      const actionName: string = ctx.action?.actionName || '';
      if (OWN_COLLECTIONS.has(resourceName.split('.')[0]) && !allowed.has(`${resourceName}:${actionName}`)) {
        ctx.throw(403, `${resourceName}:${actionName} is not available`);
      }
      await next();
    },
    { tag: 'emailManagerGuard', before: 'acl' },
  );

  // New roles get the personal snippet like the existing ones (see grantUserSnippet).
  app.db.on('roles.beforeCreate', (model: any) => {
    const snippets: string[] = model.get('snippets') || [];
    if (!ROLES_WITHOUT_MAIL.has(model.get('name')) && !snippets.some((s) => s.replace(/^!/, '') === USER_SNIPPET)) {
      model.set('snippets', [...snippets, USER_SNIPPET]);
    }
  });
}

/** Gives every existing role the personal snippet unless an admin explicitly removed it. */
export async function grantUserSnippet(app: Application) {
  const roles = app.db.getRepository('roles');
  if (!roles) return;
  for (const role of await roles.find()) {
    const snippets: string[] = role.get('snippets') || [];
    if (ROLES_WITHOUT_MAIL.has(role.get('name')) || snippets.some((s) => s.replace(/^!/, '') === USER_SNIPPET)) continue;
    await roles.update({ filterByTk: role.get('name'), values: { snippets: [...snippets, USER_SNIPPET] } });
  }
}
