import { createMockCluster, MockCluster } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator } from '../../dev/emulators';
import PluginEmailManagerServer from '../../src/server';
import { USER_PLUGINS } from '../helpers/app';
import { configureProviders, connectAccount, GOOGLE, Google, pluginOf } from '../helpers/mail';

/**
 * S-LIFE-5: three app instances on one database (PostgreSQL, or the server database of the
 * pass) → each account is synced by one instance at a time, and the provider sees the fetches of
 * one instance only.
 */
const dialect = process.env.DB_DIALECT === 'mariadb' || process.env.DB_DIALECT === 'mysql' ? process.env.DB_DIALECT : 'postgres';
const database =
  dialect === 'postgres'
    ? {
        dialect,
        host: process.env.DB_DIALECT === 'postgres' ? process.env.DB_HOST || '127.0.0.1' : '127.0.0.1',
        port: Number(process.env.DB_DIALECT === 'postgres' ? process.env.DB_PORT || 5432 : 5432),
        database: process.env.DB_DIALECT === 'postgres' ? process.env.DB_DATABASE || 'test' : 'test',
        username: process.env.DB_DIALECT === 'postgres' ? process.env.DB_USER || 'postgres' : 'postgres',
        password: process.env.DB_DIALECT === 'postgres' ? process.env.DB_PASSWORD || '' : '',
      }
    : {
        dialect,
        host: process.env.DB_HOST || '127.0.0.1',
        port: Number(process.env.DB_PORT || 3306),
        database: process.env.DB_DATABASE || 'test',
        username: process.env.DB_USER || 'root',
        password: process.env.DB_PASSWORD || '',
      };

describe(`three instances on one ${dialect} database`, () => {
  let cluster: MockCluster;
  let google: Google;
  let accountId: number;
  const EMAIL = 'cluster@gmail.test';
  const savedEnv = { ...process.env };
  const stored = async () => {
    const rows: any[] = await cluster.nodes[0].db.getCollection('mailMessages').model.findAll({ where: { accountId }, attributes: ['providerMessageId'], raw: true });
    return rows.map((r) => r.providerMessageId);
  };

  beforeAll(async () => {
    // Answers take a little time, so the three runs really overlap.
    google = await startGoogleEmulator({ seed: 'cluster', latencyMs: 15 } as any);
    Object.assign(process.env, google.env);
    google.addClient(GOOGLE);
    google.addUser({ email: EMAIL });
    await google.generateMailbox(EMAIL, { count: 400, seed: 7 });
    cluster = await createMockCluster({
      number: 3,
      acl: true,
      database,
      resourcer: { prefix: '/api' },
      plugins: [...USER_PLUGINS, [PluginEmailManagerServer, { name: 'email-manager', scheduler: false }]],
    } as any);
    const [first] = cluster.nodes;
    const root = await first.db.getRepository('users').findOne({ filter: { id: 1 } });
    const member = await first.db.getRepository('users').create({ values: { nickname: 'm', roles: ['member'] } });
    await configureProviders(await first.agent().login(root, 'root'));
    accountId = (await connectAccount(await first.agent().login(member), google, 'gmail', EMAIL, '2000-01-01T00:00:00.000Z')).id;
  });
  afterAll(async () => {
    await cluster?.destroy();
    await google?.close();
    process.env = savedEnv;
  });

  it('runs the first import on exactly one instance; the provider sees one import', async () => {
    google.resetUsage();
    const results = await Promise.all(cluster.nodes.map((node) => pluginOf(node).scheduler.runLocked(accountId, 'initial')));
    const ran = results.filter(Boolean);
    expect(ran).toHaveLength(1);
    expect(ran[0]!.outcome).toBe('ok');
    const ids = await stored();
    expect(ids).toHaveLength(400);
    expect(new Set(ids).size).toBe(400);
    // Every message fetched once (batch parts), plus the listing.
    const usage: any = google.usage(EMAIL);
    expect(usage.batchParts).toBe(400);
  });

  it('keeps one run at a time over several rounds of changes, with no duplicates', async () => {
    for (let round = 0; round < 3; round++) {
      await google.generateMailbox(EMAIL, { count: 20, seed: 100 + round });
      google.resetUsage();
      const results = await Promise.all(cluster.nodes.map((node) => pluginOf(node).scheduler.runLocked(accountId, 'incremental')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((google.usage(EMAIL) as any).batchParts).toBe(20);
    }
    const ids = await stored();
    expect(ids).toHaveLength(460);
    expect(new Set(ids).size).toBe(460);
    const account = await cluster.nodes[1].db.getRepository('mailAccounts').findOne({ filterByTk: accountId });
    expect(account.get('syncLeaseUntil')).toBeNull();
  });
});
