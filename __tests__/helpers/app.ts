import { createMockCluster, createMockServer, MockCluster, MockServer } from '@nocobase/test';
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

/** This plugin as the tests load it (a class, new options for each app): the scheduler's cron and queue stay off, tests run syncs themselves, deterministically. */
const emailManager = () => [PluginEmailManagerServer, { name: 'email-manager', scheduler: false }];

/** A real NocoBase app with ACL on, these NocoBase plugins (the user plugins by default) and this plugin. */
export async function createApp(plugins: string[] = USER_PLUGINS): Promise<MockServer> {
  return createMockServer({ acl: true, resourcer: { prefix: '/api' }, plugins: [...plugins, emailManager()] } as any);
}

/** The database several instances share: PostgreSQL (from DB_* when the pass runs on it), or MariaDB/MySQL from DB_*. */
export function sharedDatabase(dialect: 'postgres' | 'mariadb' | 'mysql') {
  const env = process.env;
  if (dialect !== 'postgres') {
    return { dialect, host: env.DB_HOST || '127.0.0.1', port: Number(env.DB_PORT || 3306), database: env.DB_DATABASE || 'test', username: env.DB_USER || 'root', password: env.DB_PASSWORD || '' };
  }
  const onPostgres = env.DB_DIALECT === 'postgres';
  return {
    dialect,
    host: onPostgres ? env.DB_HOST || '127.0.0.1' : '127.0.0.1',
    port: Number(onPostgres ? env.DB_PORT || 5432 : 5432),
    database: onPostgres ? env.DB_DATABASE || 'test' : 'test',
    username: onPostgres ? env.DB_USER || 'postgres' : 'postgres',
    password: onPostgres ? env.DB_PASSWORD || '' : '',
  };
}

/** `nodes` app instances (as createApp's, with these NocoBase plugins) on one shared database. */
export async function createCluster(nodes: number, database: ReturnType<typeof sharedDatabase>, plugins: string[] = USER_PLUGINS): Promise<MockCluster> {
  return createMockCluster({ number: nodes, acl: true, database, resourcer: { prefix: '/api' }, plugins: [...plugins, emailManager()] } as any);
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
