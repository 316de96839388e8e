import { createMockServer, MockServer } from '@nocobase/test';
import PluginEmailManagerServer from '../../src/server';

/** NocoBase plugins that give a test real users, roles, sign-in and the ACL. */
export const USER_PLUGINS = [
  'field-sort',
  'users',
  'auth',
  'acl',
  'data-source-manager',
  'system-settings',
  'error-handler',
  'ui-schema-storage',
  'user-data-sync',
  'departments',
];

/** A real NocoBase app with ACL on, the user plugins and this plugin (loaded as a class). */
export async function createApp(): Promise<MockServer> {
  return createMockServer({
    acl: true,
    resourcer: { prefix: '/api' },
    // The scheduler's cron and queue stay off: tests run syncs themselves, deterministically.
    plugins: [...USER_PLUGINS, [PluginEmailManagerServer, { name: 'email-manager', scheduler: false }]],
  } as any);
}

export async function createUser(app: MockServer, nickname: string, roles: string[] = ['member']) {
  return app.db.getRepository('users').create({ values: { nickname, roles } });
}

/** Agents for the cases every permission test covers. */
export async function agents(app: MockServer) {
  const root = await app.db.getRepository('users').findOne({ filter: { id: 1 } });
  const adminUser = await createUser(app, 'admin-user', ['admin']);
  const memberA = await createUser(app, 'member-a');
  const memberB = await createUser(app, 'member-b');
  return {
    root: await app.agent().login(root, 'root'),
    admin: await app.agent().login(adminUser, 'admin'),
    memberA: await app.agent().login(memberA),
    memberB: await app.agent().login(memberB),
    anonymous: app.agent(),
    users: { root, adminUser, memberA, memberB },
  };
}

/**
 * An agent signed in with a role whose snippets leave out `email-manager` (S-ACL: every action of
 * the plugin answers it 403). Call once per app: the role name is fixed.
 */
export async function noMailAgent(app: MockServer) {
  await app.db.getRepository('roles').create({ values: { name: 'nomail', title: 'No mail', snippets: ['!email-manager'] } });
  const user = await createUser(app, 'no-mail', ['nomail']);
  return app.agent().login(user, 'nomail');
}
