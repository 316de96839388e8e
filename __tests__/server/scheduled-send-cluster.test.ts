import { createMockCluster, MockCluster } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator } from '../../dev/emulators';
import PluginEmailManagerServer from '../../src/server';
import { USER_PLUGINS } from '../helpers/app';
import { configureProviders, connectAccount, GOOGLE, Google, pluginOf } from '../helpers/mail';

/**
 * S-SCHED-1 in a cluster: three app instances on one PostgreSQL database (as sync-cluster.test.ts)
 * all reach the same due mails at the same beat → each mail leaves once, and the provider sees one
 * send per mail.
 */
const database = {
  dialect: 'postgres',
  host: process.env.DB_DIALECT === 'postgres' ? process.env.DB_HOST || '127.0.0.1' : '127.0.0.1',
  port: Number(process.env.DB_DIALECT === 'postgres' ? process.env.DB_PORT || 5432 : 5432),
  database: process.env.DB_DIALECT === 'postgres' ? process.env.DB_DATABASE || 'test' : 'test',
  username: process.env.DB_DIALECT === 'postgres' ? process.env.DB_USER || 'postgres' : 'postgres',
  password: process.env.DB_DIALECT === 'postgres' ? process.env.DB_PASSWORD || '' : '',
};

describe('scheduled send on three instances sharing one postgres database', () => {
  let cluster: MockCluster;
  let google: Google;
  let member: any;
  let accountId: number;
  const EMAIL = 'scheduled-cluster@gmail.test';
  const MAILS = 5;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    // Answers take a little time, so the instances' sends really overlap.
    google = await startGoogleEmulator({ seed: 'scheduled-cluster', latencyMs: 15 } as any);
    Object.assign(process.env, google.env);
    google.addClient(GOOGLE);
    google.addUser({ email: EMAIL });
    cluster = await createMockCluster({
      number: 3,
      acl: true,
      database,
      resourcer: { prefix: '/api' },
      plugins: [...USER_PLUGINS, [PluginEmailManagerServer, { name: 'email-manager', scheduler: false }]],
    } as any);
    const [first] = cluster.nodes;
    const root = await first.db.getRepository('users').findOne({ filter: { id: 1 } });
    const user = await first.db.getRepository('users').create({ values: { nickname: 'm', roles: ['member'] } });
    await configureProviders(await first.agent().login(root, 'root'));
    member = await first.agent().login(user);
    accountId = (await connectAccount(member, google, 'gmail', EMAIL, '2000-01-01T00:00:00.000Z')).id;
  });
  afterAll(async () => {
    await cluster?.destroy();
    await google?.close();
    process.env = savedEnv;
  });

  it('sends every due mail exactly once', async () => {
    const sendAt = new Date(Date.now() + 5 * 60 * 1000).toISOString();
    const ids: number[] = [];
    for (let i = 0; i < MAILS; i++) {
      const res = await member.post('/api/mailMessages:schedule').send({ accountId, to: `r${i}@x.test`, subject: `Batch ${i}`, html: '<p>x</p>', sendAt });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      ids.push(res.body.data.id);
    }
    const sends = () => google.requests.filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300).length;
    const before = sends();
    const due = new Date(new Date(sendAt).getTime() + 1000);
    const results = await Promise.all(cluster.nodes.map((node) => pluginOf(node).scheduledSender.tick(due)));
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(MAILS);
    expect(results.reduce((sum, r) => sum + r.failed + r.retrying, 0)).toBe(0);
    expect(sends() - before).toBe(MAILS);
    const rows: any[] = await cluster.nodes[2].db.getCollection('mailMessages').model.findAll({ where: { id: ids }, raw: true });
    expect(rows.map((r) => [r.box, r.scheduleStatus])).toEqual(ids.map(() => ['sent', 'sent']));
    // Another beat on every node finds nothing.
    const again = await Promise.all(cluster.nodes.map((node) => pluginOf(node).scheduledSender.tick(due)));
    expect(again.reduce((sum, r) => sum + r.sent + r.failed, 0)).toBe(0);
    expect(sends() - before).toBe(MAILS);
  });
});
