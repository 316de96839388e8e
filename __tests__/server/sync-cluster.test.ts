import { MockCluster } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Google, pluginOf } from '../helpers/mail';
import { mailWorld, MailWorld } from '../helpers/world';

/**
 * S-LIFE-5: three app instances on one database (PostgreSQL, or the server database of the
 * pass) → each account is synced by one instance at a time, and the provider sees the fetches of
 * one instance only.
 */
const dialect = process.env.DB_DIALECT === 'mariadb' || process.env.DB_DIALECT === 'mysql' ? process.env.DB_DIALECT : 'postgres';

describe(`three instances on one ${dialect} database`, () => {
  let w: MailWorld<'member'>;
  let cluster: MockCluster;
  let google: Google;
  let accountId: number;
  const EMAIL = 'cluster@gmail.test';
  const stored = async () => {
    const rows: any[] = await cluster.nodes[0].db.getCollection('mailMessages').model.findAll({ where: { accountId }, attributes: ['providerMessageId'], raw: true });
    return rows.map((r) => r.providerMessageId);
  };

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'cluster',
      // Answers take a little time, so the three runs really overlap.
      google: { latencyMs: 15 },
      users: { google: [EMAIL] },
      mailboxes: ({ google }) => google.generateMailbox(EMAIL, { count: 400, seed: 7 }),
      cluster: { nodes: 3, dialect },
      connect: { member: { provider: 'gmail', email: EMAIL } },
    });
    cluster = w.cluster!;
    google = w.google;
    accountId = w.accounts.member;
  });
  afterAll(() => w?.close());

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
