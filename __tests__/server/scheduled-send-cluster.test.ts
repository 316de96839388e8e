import { MockCluster } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Google, pluginOf } from '../helpers/mail';
import { mailWorld, MailWorld } from '../helpers/world';

/**
 * S-SCHED-1 in a cluster: three app instances on one PostgreSQL database (as sync-cluster.test.ts)
 * all reach the same due mails at the same beat → each mail leaves once, and the provider sees one
 * send per mail.
 */
describe('scheduled send on three instances sharing one postgres database', () => {
  let w: MailWorld<'member'>;
  let cluster: MockCluster;
  let google: Google;
  let member: any;
  let accountId: number;
  const EMAIL = 'scheduled-cluster@gmail.test';
  const MAILS = 5;

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'scheduled-cluster',
      // Answers take a little time, so the instances' sends really overlap.
      google: { latencyMs: 15 },
      users: { google: [EMAIL] },
      cluster: { nodes: 3, dialect: 'postgres' },
      connect: { member: { provider: 'gmail', email: EMAIL } },
    });
    ({ google, accounts: { member: accountId } } = w);
    cluster = w.cluster!;
    member = w.as.memberA;
  });
  afterAll(() => w?.close());

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
