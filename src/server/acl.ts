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

  // NocoBase's ACL would judge `list`/`get` by the role's collection strategy (e.g. "view own
  // records", a filter on a createdById these tables lack) before looking at snippets, and a role
  // whose strategy covers all collections would pass without the snippet. So the ACL lets signed-in
  // users through to these actions, and the guard below decides by snippet alone.
  const byResource = new Map<string, string[]>();
  for (const path of [...actions.settings, ...actions.personal]) {
    const [resource, action] = path.split(':');
    byResource.set(resource, [...(byResource.get(resource) || []), action]);
  }
  for (const [resource, names] of byResource) app.acl.allow(resource, names, 'loggedIn');

  const allowed = new Set([...actions.settings, ...actions.personal]);
  const ownPath = (ctx: any) => {
    const resourceName: string = ctx.action?.resourceName || '';
    return OWN_COLLECTIONS.has(resourceName.split('.')[0]) ? `${resourceName}:${ctx.action?.actionName || ''}` : null;
  };
  // Generic actions on these tables are refused first, before NocoBase looks at their params.
  app.dataSourceManager.use(
    async function emailManagerOnlyOwnActions(ctx: any, next: () => Promise<void>) {
      const path = ownPath(ctx);
      if (path && !allowed.has(path)) ctx.throw(403, `${path} is not available`);
      await next();
    },
    { tag: 'emailManagerOnlyOwnActions', before: 'validate-filter-params' },
  );
  // Our actions: signed in, and holding the snippet through one of the request's roles.
  app.resourceManager.use(
    async function emailManagerSnippetCheck(ctx: any, next: () => Promise<void>) {
      const path = ownPath(ctx);
      if (path) {
        if (!ctx.state.currentUser) ctx.throw(401, 'Unauthenticated');
        if (!rolesOf(ctx).some((role) => role === 'root' || app.acl.getRole(role)?.snippetAllowed(path))) {
          ctx.throw(403, 'No permissions');
        }
      }
      await next();
    },
    { tag: 'emailManagerSnippetCheck', after: 'setCurrentRole', before: 'acl' },
  );

  // New roles get the personal snippet like the existing ones (see grantUserSnippet).
  app.db.on('roles.beforeCreate', (model: any) => {
    const snippets: string[] = model.get('snippets') || [];
    if (!ROLES_WITHOUT_MAIL.has(model.get('name')) && !snippets.some((s) => s.replace(/^!/, '') === USER_SNIPPET)) {
      model.set('snippets', [...snippets, USER_SNIPPET]);
    }
  });
}

/** The roles the request acts with: all of the user's roles in union mode, else the current one. */
function rolesOf(ctx: any): string[] {
  const roles: string[] | undefined = ctx.state.currentRoles;
  if (roles?.length) return roles;
  return ctx.state.currentRole ? [ctx.state.currentRole] : [];
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
