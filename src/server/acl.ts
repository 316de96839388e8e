import type { Context } from '@nocobase/actions';
import type Application from '@nocobase/server';
import { registerClosedTables } from './closed-tables';
import { mentions } from '../shared/acl-snippets';
import { ALL_MAIL_SNIPPET, COLLECTIONS, SETTINGS_SNIPPET, USER_SNIPPET } from './constants';
import type { Model } from './db-types';
import { handler } from './actions/respond';

const OWN_COLLECTIONS = new Set<string>(Object.values(COLLECTIONS));
/** Roles that never get the personal-use snippet by default. */
const ROLES_WITHOUT_MAIL = new Set(['anonymous']);

/**
 * ACL wiring (S-ACL-1…3).
 * - Settings actions belong to the `pm.mail` snippet, which root and admin hold by default.
 * - Personal actions belong to the `email-manager` snippet, which every role gets by default;
 *   the actions themselves scope every query to the signed-in user.
 * - The plugin's collections are not general data: NocoBase would otherwise serve them through
 *   its generic CRUD actions, charts, variables… to roles whose strategy covers all collections.
 *   Only the actions this plugin registers may touch them (closed-tables.ts).
 * - Other users' mail in the Email blocks needs the `email-manager.all-mail` snippet (block-scope.ts).
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

  const ownPath = (ctx: Context) => {
    const resourceName: string = ctx.action?.resourceName || '';
    return OWN_COLLECTIONS.has(resourceName.split('.')[0]) ? `${resourceName}:${ctx.action?.actionName || ''}` : null;
  };
  // Generic reads of these tables (CRUD, charts, variables…) are refused first, for every role.
  registerClosedTables(app, new Set([...actions.settings, ...actions.personal]));
  // Our actions: signed in, and holding the snippet through one of the request's roles.
  app.resourceManager.use(
    handler(async function emailManagerSnippetCheck(ctx, next) {
      const path = ownPath(ctx);
      if (path) {
        if (!ctx.state.currentUser) ctx.throw(401, 'Unauthenticated');
        if (!rolesOf(ctx).some((role) => role === 'root' || app.acl.getRole(role)?.snippetAllowed(path))) {
          ctx.throw(403, 'No permissions');
        }
      }
      await next();
    }),
    { tag: 'emailManagerSnippetCheck', after: 'setCurrentRole', before: 'acl' },
  );

  // New roles get the personal snippet like the existing ones (see grantUserSnippet); the admin
  // role, when it is created after this plugin (a new install), also the all-mail one.
  app.db.on('roles.beforeCreate', (model: Model) => {
    const snippets: string[] = model.get('snippets') || [];
    if (ROLES_WITHOUT_MAIL.has(model.get('name')) || mentions(snippets, USER_SNIPPET)) return;
    const added = [USER_SNIPPET];
    if (model.get('name') === 'admin' && !mentions(snippets, ALL_MAIL_SNIPPET)) added.push(ALL_MAIL_SNIPPET);
    model.set('snippets', [...snippets, ...added]);
  });
}

/** The roles the request acts with: all of the user's roles in union mode, else the current one. */
export function rolesOf(ctx: Context): string[] {
  const roles: string[] | undefined = ctx.state.currentRoles;
  if (roles?.length) return roles;
  return ctx.state.currentRole ? [ctx.state.currentRole] : [];
}


/**
 * Gives every existing role the personal snippet unless an admin explicitly removed it. The
 * first time admin gets it (a new install), admin also gets the all-mail snippet; an upgrade
 * gives it through the migration of the same name, so it is granted once and never given back
 * after an administrator took it away.
 */
export async function grantUserSnippet(app: Application) {
  const roles = app.db.getRepository('roles');
  if (!roles) return;
  for (const role of await roles.find()) {
    const snippets: string[] = role.get('snippets') || [];
    if (ROLES_WITHOUT_MAIL.has(role.get('name')) || mentions(snippets, USER_SNIPPET)) continue;
    const added = [USER_SNIPPET];
    if (role.get('name') === 'admin' && !mentions(snippets, ALL_MAIL_SNIPPET)) added.push(ALL_MAIL_SNIPPET);
    await roles.update({ filterByTk: role.get('name'), values: { snippets: [...snippets, ...added] } });
  }
}

/**
 * Upgrade from the versions where "All emails" followed NocoBase's collection permissions: admin
 * and every role given its own View permission on mailMessages keep seeing all mail (the data
 * scope of that permission still applies). Roles that had it only through a general strategy
 * do not: that is what the snippet is for.
 */
export async function grantAllMailOnUpgrade(app: Application) {
  const roles = app.db.getRepository('roles');
  if (!roles) return;
  const names = new Set<string>(['admin']);
  const resources = app.db.getCollection('dataSourcesRolesResources') ? app.db.getRepository('dataSourcesRolesResources') : null;
  for (const resource of (await resources?.find({ filter: { name: COLLECTIONS.messages, usingActionsConfig: true }, appends: ['actions'] })) || []) {
    if (((resource.get('actions') as Model[]) || []).some((a) => a.get?.('name') === 'view' || a.name === 'view')) names.add(resource.get('roleName'));
  }
  for (const role of await roles.find({ filter: { name: [...names] } })) {
    const snippets: string[] = role.get('snippets') || [];
    if (mentions(snippets, ALL_MAIL_SNIPPET)) continue;
    await roles.update({ filterByTk: role.get('name'), values: { snippets: [...snippets, ALL_MAIL_SNIPPET] } });
  }
}
