/**
 * A push (an IDLE notice: an incremental run narrowed to the Inbox) that finds its account busy
 * is not dropped: the scheduler asks again every 2 seconds for a minute, so the new mail is
 * stored soon after the run holding the account ends, not at the next full round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginOf } from '../helpers/mail';
import { mailWorld, type MailWorld } from '../helpers/world';

const ADA = 'ada@push-retry.test';
const raw = (subject: string) => Buffer.from(`From: Bob <bob@x.test>\r\nTo: ${ADA}\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@x.test>\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\r\nhello\r\n`);

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('a push that finds its account busy', () => {
  let world: MailWorld<'ada'>;
  beforeAll(async () => {
    world = await mailWorld({ google: true, users: { google: [ADA] }, connect: { ada: { provider: 'gmail', email: ADA } }, sync: true });
  }, 120_000);
  afterAll(async () => {
    pluginOf(world?.app)?.scheduler.stop();
    await world?.close();
  });

  it('is run again once the account is free', async () => {
    const { app, google, accounts } = world;
    const scheduler = pluginOf(app).scheduler;
    // Connecting asked for a first run, which the test ran itself (the scheduler was not started).
    scheduler.queued.clear();
    scheduler.start();
    const table = app.db.getCollection('mailAccounts').model;
    const stored = () => app.db.getCollection('mailMessages').model.count({ where: { accountId: accounts.ada, subject: 'pushed' } });
    // Another node holds the account (a long run in progress).
    await table.update({ syncLeaseOwner: 'another-node', syncLeaseUntil: new Date(Date.now() + 60_000) }, { where: { id: accounts.ada } });
    google.addMessage(ADA, { raw: raw('pushed'), labelIds: ['INBOX'] });
    await scheduler.request(accounts.ada, 'incremental', { folders: ['INBOX'] });
    // The queue took the push (and found the account busy): it is no longer waiting in the queue.
    await waitFor('the push to be tried', async () => !scheduler.queued.has(accounts.ada));
    expect(await stored()).toBe(0);
    await table.update({ syncLeaseOwner: null, syncLeaseUntil: null }, { where: { id: accounts.ada } });
    await waitFor('the retried push to store the mail', async () => (await stored()) === 1);
  }, 60_000);
});
