import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../dev/emulators';
import { pluginOf } from '../helpers/mail';
import { key, OWNER, post, PROVIDERS, Provider, SendWorld, sendWorld } from '../helpers/send';

/**
 * Bulk send on the server (S-BULK-1…5, S-ACL-3, S-ACL-9) with both providers, asserting on what
 * the emulators received: one mail per recipient, variables filled and escaped, From and the
 * recipient's own Message-ID; the sender's data scope on "all records"; de-duplication, invalid
 * and empty addresses, the 2,000 cap; cancel and resend; the daily limit; a send interrupted
 * after the provider took it is not sent again.
 */
const INTERVAL_MS = 150;

/** A business collection: customers with an email (sometimes two addresses), a region and a company. */
async function defineCustomers(world: SendWorld) {
  const { app } = world;
  app.db.collection({ name: 'companies', fields: [{ type: 'string', name: 'name' }, { type: 'string', name: 'email' }] });
  app.db.collection({
    name: 'customers',
    fields: [
      { type: 'string', name: 'name' },
      { type: 'string', name: 'email' },
      { type: 'string', name: 'region' },
      { type: 'integer', name: 'score' },
      { type: 'belongsTo', name: 'company', target: 'companies', foreignKey: 'companyId' },
    ],
  });
  await app.db.sync();
  const acme = await app.db.getRepository('companies').create({ values: { name: 'Acme & Co', email: 'office@acme.test' } });
  await app.db.getRepository('customers').create({
    values: [
      { name: 'Ann <b>', email: 'Ann@Partner.test', region: 'north', companyId: acme.get('id') },
      { name: 'Bob', email: 'bob@partner.test; ANN@partner.test', region: 'north' },
      { name: 'Typo', email: 'not-an-email', region: 'north' },
      { name: 'Nobody', email: '', region: 'north' },
      { name: 'Carl', email: 'carl@partner.test', region: 'south' },
    ],
  });
  // Members see only the north (a data scope on view), and not the score; a clerk may not view customers at all.
  await app.db.getRepository('roles.resources', 'member').create({
    values: { name: 'customers', usingActionsConfig: true, actions: [{ name: 'view', fields: ['name', 'email', 'region', 'company'], scope: { name: 'North', resourceName: 'customers', scope: { region: 'north' } } }] },
  });
  await app.db.getRepository('roles').create({ values: { name: 'clerk', title: 'Clerk', strategy: { actions: [] } } });
  await app.db.getRepository('roles').create({ values: { name: 'nomail', title: 'No mail', snippets: ['!email-manager'] } });
}

describe('bulk send', () => {
  let world: SendWorld;
  let clerk: any;
  let noMail: any;

  const runner = () => pluginOf(world.app).bulkRunner;
  const jobs = () => world.app.db.getCollection('mailMassMessages').model;
  const recipients = () => world.app.db.getCollection('mailMassMessageRecipients').model;
  const create = (provider: Provider, values: Record<string, unknown>, status = 200) =>
    post(world.as.memberA, 'mailMassMessages:create', { accountId: world.accounts[provider], idempotencyKey: key(), ...values }, status);
  const get = async (agent: any, action: string, query: string, status = 200) => {
    const res = await agent.get(`/api/mailMassMessages:${action}?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  /** Mails the provider accepted with this subject, in order. */
  const delivered = (provider: Provider, subject?: string) => {
    const log = provider === 'gmail' ? world.google.requests.filter((r) => r.path.endsWith('/messages/send')) : world.microsoft.requests.filter((r) => /\/messages\/[^/]+\/send$/.test(r.path));
    return log
      .filter((r) => r.status && r.status < 300 && r.mime)
      .map((r) => ({ ...summarize(r.mime!), raw: r.mime!.toString('utf8'), time: r.time }))
      .filter((m) => subject === undefined || m.subject.startsWith(subject));
  };
  /** When Graph got each new draft (POST /me/messages) with this subject: an Outlook mail's first request. */
  const draftsMade = (subject: string) =>
    world.microsoft.requests.filter((r) => r.method === 'POST' && r.path === '/v1.0/me/messages' && r.mime && summarize(r.mime).subject.startsWith(subject)).map((r) => r.time);
  const rowsOf = async (jobId: number) => (await recipients().findAll({ where: { jobId }, order: [['position', 'ASC']], raw: true })) as any[];

  beforeAll(async () => {
    world = await sendWorld('bulk');
    await defineCustomers(world);
    await world.app.db.getCollection('mailSettings').model.update({ massSendInterval: INTERVAL_MS }, { where: {} });
    const clerkUser = await world.app.db.getRepository('users').create({ values: { nickname: 'clerk', roles: ['clerk'] } });
    clerk = await world.app.agent().login(clerkUser, 'clerk');
    const noMailUser = await world.app.db.getRepository('users').create({ values: { nickname: 'no-mail', roles: ['nomail'] } });
    noMail = await world.app.agent().login(noMailUser, 'nomail');
  });
  afterAll(async () => {
    await world?.close();
  });

  for (const provider of PROVIDERS) {
    it(`${provider}: sends one mail per recipient of the sender's records, filled and escaped, paced`, async () => {
      const subject = `Offer ${provider} for {{record.name}}`;
      const job = (
        await create(provider, {
          subject,
          html: '<p>Dear {{record.name}} of {{record.company.name}}{{record.missing}}, score {{record.score}}.</p>',
          source: { collection: 'customers', emailFieldNames: ['email'], all: true },
        })
      ).data;
      // North only (the member's data scope): Ann, Bob (+ Ann again, dropped), a typo and an empty one.
      expect(job).toMatchObject({ status: 'pending', counts: { total: 4, pending: 2, failed: 2, sent: 0 }, from: { address: OWNER[provider] } });
      const rows = await rowsOf(job.id);
      expect(rows.map((r) => [r.address, r.status, r.reason])).toEqual([
        ['ann@partner.test', 'pending', null],
        ['bob@partner.test', 'pending', null],
        ['not-an-email', 'failed', 'Not a valid email address'],
        ['', 'failed', 'No email address'],
      ]);

      const started = Date.now();
      await runner().runDue();
      const mails = delivered(provider, `Offer ${provider}`);
      expect(mails.map((m) => m.to.map((a) => a.address))).toEqual([['ann@partner.test'], ['bob@partner.test']]);
      expect(mails[0].subject).toBe(`Offer ${provider} for Ann <b>`);
      expect(mails[0].html).toContain('Dear Ann &lt;b&gt; of Acme &amp; Co, score .');
      expect(mails[1].html).toContain('Dear Bob of , score .');
      for (const m of mails) expect(m.from?.address).toBe(OWNER[provider]);
      expect(mails.map((m) => m.messageId)).toEqual(rows.slice(0, 2).map((r) => r.internetMessageId));
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);
      // The account waited the mass-send interval after the first mail was sent before starting
      // the second (Outlook's start is its draft, made from our MIME before the send).
      const starts = provider === 'gmail' ? mails.map((m) => m.time) : draftsMade(`Offer ${provider}`);
      expect(starts).toHaveLength(2);
      expect(starts[1] - mails[0].time).toBeGreaterThanOrEqual(INTERVAL_MS);
      expect(Date.now() - started).toBeGreaterThanOrEqual(INTERVAL_MS - 20);

      const done = (await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data;
      expect(done).toMatchObject({ status: 'someSent', counts: { total: 4, sent: 2, failed: 2, pending: 0 }, paused: false });
      expect(done.finishedAt).toBeTruthy();
      // Stored in Sent, linked to the job.
      const page = (await get(world.as.memberA, 'recipients', `filterByTk=${job.id}&status=sent`)).data;
      expect(page.count).toBe(2);
      const stored = await world.app.db.getRepository('mailMessages').find({ filter: { massMessageId: job.id } });
      expect(stored.map((m: any) => m.get('box'))).toEqual(['sent', 'sent']);
      expect(page.rows.map((r: any) => r.messageId).sort()).toEqual(stored.map((m: any) => m.get('id')).sort());

      // Resending "all failed" leaves invalid addresses alone and never resends a Sent one.
      const again = (await post(world.as.memberA, 'mailMassMessages:resend', { filterByTk: job.id })).data;
      expect(again.status).toBe('someSent');
      const sentRow = rows[0];
      await post(world.as.memberA, 'mailMassMessages:resend', { filterByTk: job.id, recipientId: sentRow.id }, 409);
      await runner().runDue();
      expect(delivered(provider, `Offer ${provider}`)).toHaveLength(2);
    });
  }

  it('resolves "all records" and picked rows within the sender ACL', async () => {
    const source = { collection: 'customers', emailFieldNames: ['email', 'company.email'] };
    // The member: north only; a picked south row is simply not found.
    const member = (await post(world.as.memberA, 'mailMassMessages:preview', { source: { ...source, all: true } })).data;
    expect(member).toMatchObject({ records: 4, total: 5, valid: 3, invalid: 2, duplicates: 1, limit: 2000 });
    const picked = (await post(world.as.memberA, 'mailMassMessages:preview', { source: { ...source, filterByTk: [1, 5] } })).data;
    expect(picked).toMatchObject({ records: 1, total: 2, valid: 2 });
    const south = await post(world.as.memberA, 'mailMassMessages:create', { accountId: world.accounts.gmail, subject: 'x', source: { ...source, filterByTk: [5] } }, 400);
    expect(south.errors[0]).toMatchObject({ field: 'source', message: 'Please add at least one recipient' });
    // The block's filter narrows further.
    const filtered = (await post(world.as.memberA, 'mailMassMessages:preview', { source: { ...source, all: true, filter: { name: { $eq: 'Bob' } } } })).data;
    expect(filtered).toMatchObject({ records: 1, total: 2 });
    // Root sees every region; a role without view on customers gets 403.
    const root = (await post(world.as.root, 'mailMassMessages:preview', { source: { ...source, all: true } })).data;
    expect(root).toMatchObject({ records: 5, total: 6, valid: 4 });
    const refused = await post(clerk, 'mailMassMessages:preview', { source: { ...source, all: true } }, 403);
    expect(refused.errors[0].message).toBe('You may not view the records of customers');
    // Bad sources are explained.
    const bad = async (s: Record<string, unknown>, field: string) =>
      expect((await post(world.as.memberA, 'mailMassMessages:preview', { source: { ...source, all: true, ...s } }, 400)).errors[0].field).toBe(field);
    await bad({ collection: 'nope' }, 'source.collection');
    await bad({ collection: 'mailAccounts' }, 'source.collection');
    await bad({ emailFieldNames: ['score'] }, 'source.emailFieldNames');
    await bad({ emailFieldNames: [] }, 'source.emailFieldNames');
    await bad({ all: false }, 'source.filterByTk');
    await bad({ filter: 'x' }, 'source.filter');
  });

  it('checks the input: subject, account, sender, cap of 2,000 recipients, idempotency', async () => {
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@bulk.test`).join('\n');
    const over = await create('gmail', { subject: 'Cap', addresses: addresses(2001) }, 400);
    expect(over.errors[0]).toMatchObject({ field: 'source', count: 2001, limit: 2000 });
    expect((await create('gmail', { addresses: 'a@b.test' }, 400)).errors[0].field).toBe('subject');
    expect((await create('gmail', { subject: 'x' }, 400)).errors[0].field).toBe('source');
    expect((await create('gmail', { subject: 'x', addresses: 'a@b.test', from: 'someone@else.test' }, 400)).errors[0].field).toBe('from');
    expect((await create('gmail', { subject: 'x', addresses: 'a@b.test', sendAt: 'tomorrow' }, 400)).errors[0].field).toBe('sendAt');
    await post(world.as.memberB, 'mailMassMessages:create', { accountId: world.accounts.gmail, subject: 'x', addresses: 'a@b.test' }, 404);

    // Exactly 2,000 (duplicates ignoring case do not count) is accepted; cancel them all.
    const idem = key();
    const big = (await create('gmail', { subject: 'Cap', addresses: `${addresses(2000)}\nR0@BULK.TEST`, idempotencyKey: idem })).data;
    expect(big.counts).toMatchObject({ total: 2000, pending: 2000 });
    const twice = (await create('gmail', { subject: 'Cap', addresses: 'x@y.test', idempotencyKey: idem })).data;
    expect(twice.id).toBe(big.id);
    const canceled = (await post(world.as.memberA, 'mailMassMessages:cancel', { filterByTk: big.id })).data;
    expect(canceled).toMatchObject({ status: 'canceled', counts: { canceled: 2000, pending: 0 } });
    const page = (await get(world.as.memberA, 'recipients', `filterByTk=${big.id}&page=2&pageSize=200`)).data;
    expect(page).toMatchObject({ count: 2000, page: 2, pageSize: 200 });
    expect(page.rows[0].address).toBe('r200@bulk.test');
  });

  it('keeps jobs to their owner: B gets 404, anonymous 401, no snippet 403', async () => {
    const job = (await create('gmail', { subject: 'Private', addresses: 'p@bulk.test' })).data;
    const calls: [string, (agent: any) => Promise<any>][] = [
      ['listOwn', (a) => a.get('/api/mailMassMessages:listOwn')],
      ['getOwn', (a) => a.get(`/api/mailMassMessages:getOwn?filterByTk=${job.id}`)],
      ['recipients', (a) => a.get(`/api/mailMassMessages:recipients?filterByTk=${job.id}`)],
      ['cancel', (a) => a.post(`/api/mailMassMessages:cancel`).send({ filterByTk: job.id })],
      ['resend', (a) => a.post(`/api/mailMassMessages:resend`).send({ filterByTk: job.id })],
      ['create', (a) => a.post(`/api/mailMassMessages:create`).send({ accountId: world.accounts.gmail, subject: 'x', addresses: 'a@b.test' })],
      ['preview', (a) => a.post(`/api/mailMassMessages:preview`).send({ addresses: 'a@b.test' })],
    ];
    for (const [name, run] of calls) {
      expect((await run(world.as.anonymous)).status, `anonymous ${name}`).toBe(401);
      expect((await run(noMail)).status, `no snippet ${name}`).toBe(403);
    }
    for (const agent of [world.as.memberB, world.as.admin, world.as.root]) {
      for (const [name, run] of calls.slice(1, 5)) expect((await run(agent)).status, name).toBe(404);
      const listed = (await agent.get('/api/mailMassMessages:listOwn')).body.data;
      expect(listed.rows.map((j: any) => j.id)).not.toContain(job.id);
    }
    const own = (await get(world.as.memberA, 'listOwn', 'pageSize=100')).data;
    expect(own.rows.map((j: any) => j.id)).toContain(job.id);
    expect(own.rows.find((j: any) => j.id === job.id)).toMatchObject({ counts: { total: 1, pending: 1 }, accountEmail: OWNER.gmail });
    expect(own.rows[0].html).toBeUndefined();
    await post(world.as.memberA, 'mailMassMessages:cancel', { filterByTk: job.id });
  });

  for (const provider of PROVIDERS) {
    it(`${provider}: cancel one or all pending, resend one or all canceled; each goes out once`, async () => {
      const job = (await create(provider, { subject: `Cancel ${provider}`, html: '<p>Hi</p>', addresses: 'c1@bulk.test, c2@bulk.test; c3@bulk.test' })).data;
      const rows = await rowsOf(job.id);
      const one = (await post(world.as.memberA, 'mailMassMessages:cancel', { filterByTk: job.id, recipientId: rows[1].id })).data;
      expect(one.counts).toMatchObject({ pending: 2, canceled: 1 });
      await post(world.as.memberA, 'mailMassMessages:cancel', { filterByTk: job.id, recipientId: rows[1].id }, 409);
      await post(world.as.memberA, 'mailMassMessages:cancel', { filterByTk: job.id, recipientId: 999999 }, 404);
      await runner().runDue();
      expect(delivered(provider, `Cancel ${provider}`).map((m) => m.to[0].address)).toEqual(['c1@bulk.test', 'c3@bulk.test']);
      expect((await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data.status).toBe('someSent');

      const resent = (await post(world.as.memberA, 'mailMassMessages:resend', { filterByTk: job.id, recipientId: rows[1].id })).data;
      expect(resent).toMatchObject({ status: 'sending', counts: { pending: 1, sent: 2 } });
      await runner().runDue();
      expect(delivered(provider, `Cancel ${provider}`).map((m) => m.to[0].address)).toEqual(['c1@bulk.test', 'c3@bulk.test', 'c2@bulk.test']);
      expect((await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data).toMatchObject({ status: 'sent', counts: { sent: 3 } });

      // Cancel all, then resend all.
      const second = (await create(provider, { subject: `All ${provider}`, addresses: 'd1@bulk.test, d2@bulk.test' })).data;
      expect((await post(world.as.memberA, 'mailMassMessages:cancel', { filterByTk: second.id })).data.status).toBe('canceled');
      await runner().runDue();
      expect(delivered(provider, `All ${provider}`)).toHaveLength(0);
      expect((await post(world.as.memberA, 'mailMassMessages:resend', { filterByTk: second.id })).data.status).toBe('pending');
      await runner().runDue();
      expect(delivered(provider, `All ${provider}`)).toHaveLength(2);
    });

    it(`${provider}: the daily limit makes the job wait an hour, and fail the rest after 24 h`, async () => {
      const fault =
        provider === 'gmail'
          ? {
              path: /\/messages\/send$/,
              status: 403,
              body: { error: { code: 403, message: 'Daily user sending limit exceeded.', errors: [{ reason: 'dailyLimitExceeded', domain: 'usageLimits', message: 'Daily user sending limit exceeded.' }] } },
            }
          : { path: /\/messages\/[^/]+\/send$/, status: 429, body: { error: { code: 'ErrorSubmissionQuotaExceeded', message: 'Sender exceeded the daily submission quota.' } } };
      const emulator = provider === 'gmail' ? world.google : world.microsoft;
      const job = (await create(provider, { subject: `Daily ${provider}`, addresses: 'e1@bulk.test, e2@bulk.test' })).data;
      emulator.faults.add({ ...fault, method: 'POST', times: 1 } as any);
      const before = Date.now();
      await runner().runDue();
      let view = (await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data;
      expect(view).toMatchObject({ status: 'sending', counts: { pending: 2, sent: 0 } });
      expect(new Date(view.waitingUntil).getTime()).toBeGreaterThanOrEqual(before + 59 * 60_000);
      expect(view.reason).toMatch(/daily/i);
      expect((await rowsOf(job.id)).map((r) => r.attempts)).toEqual([0, 0]);
      // Not due again within the hour.
      await runner().runDue();
      expect(delivered(provider, `Daily ${provider}`)).toHaveLength(0);

      // An hour later the limit is gone: the job goes on.
      await jobs().update({ waitingUntil: new Date(Date.now() - 1000) }, { where: { id: job.id } });
      await runner().runDue();
      expect(delivered(provider, `Daily ${provider}`)).toHaveLength(2);
      view = (await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data;
      expect(view).toMatchObject({ status: 'sent', reason: null, waitingUntil: null });

      // Refused for more than 24 hours: the rest is Failed with a reason.
      const late = (await create(provider, { subject: `Late ${provider}`, addresses: 'f1@bulk.test, f2@bulk.test' })).data;
      await jobs().update({ dailyLimitSince: new Date(Date.now() - 25 * 3600_000) }, { where: { id: late.id } });
      emulator.faults.add({ ...fault, method: 'POST', times: 1 } as any);
      await runner().runDue();
      view = (await get(world.as.memberA, 'getOwn', `filterByTk=${late.id}`)).data;
      expect(view).toMatchObject({ status: 'failed', counts: { failed: 2, pending: 0 } });
      expect((await rowsOf(late.id)).map((r) => r.reason)).toEqual([
        'The daily sending limit of the mailbox was still reached after 24 hours',
        'The daily sending limit of the mailbox was still reached after 24 hours',
      ]);
    });

    it(`${provider}: a mail found in "sending" after a crash is asked for at the provider, never sent twice`, async () => {
      const job = (await create(provider, { subject: `Crash ${provider}`, addresses: 'g1@bulk.test, g2@bulk.test' })).data;
      await runner().runDue();
      expect(delivered(provider, `Crash ${provider}`)).toHaveLength(2);
      const rows = await rowsOf(job.id);
      // As if the process died after the provider took g1's mail and before it was marked,
      // and g2's attempt was cut off before the provider got it (its mail is deleted there).
      const stale = new Date(Date.now() - 3600_000);
      await recipients().update({ status: 'sending', claimedAt: stale, attempts: 1, providerMessageId: null }, { where: { id: rows[0].id } });
      await recipients().update({ status: 'sending', claimedAt: stale, attempts: 1, providerMessageId: null }, { where: { id: rows[1].id } });
      const mailbox = provider === 'gmail' ? world.google : world.microsoft;
      const g2 = (mailbox.mailboxOf(OWNER[provider]) as any[]).find((m) => m.messageId === rows[1].internetMessageId);
      expect(g2).toBeTruthy();
      expect(mailbox.deleteMessage(OWNER[provider], g2.id)).toBe(true);
      await jobs().update({ active: true }, { where: { id: job.id } });

      await runner().runDue();
      const mails = delivered(provider, `Crash ${provider}`);
      expect(mails.map((m) => m.to[0].address)).toEqual(['g1@bulk.test', 'g2@bulk.test', 'g2@bulk.test']);
      const after = await rowsOf(job.id);
      expect(after.map((r) => [r.status, r.attempts])).toEqual([
        ['sent', 2],
        ['sent', 2],
      ]);
      expect(after[0].providerMessageId).toBe(rows[0].providerMessageId);
    });
  }

  it('two nodes working one job take turns: each mail once, the interval kept between them', async () => {
    const { BulkRunner } = await import('../../src/server/jobs/bulk-runner');
    const first = runner();
    const second = new BulkRunner(world.app, pluginOf(world.app).settings, (first as any).delivery, (first as any).status);
    const addresses = Array.from({ length: 8 }, (_, i) => `n${i}@bulk.test`);
    await create('gmail', { subject: 'Nodes', addresses: addresses.join(', ') });
    await Promise.all([first.runDue(), second.runDue()]);
    const mails = delivered('gmail', 'Nodes');
    expect(mails.map((m) => m.to[0].address).sort()).toEqual([...addresses].sort());
    // Each mail starts an interval after the previous one was answered, whichever node sent it.
    const requests = world.google.requests.filter((r) => r.path.endsWith('/messages/send') && r.mime && summarize(r.mime).subject === 'Nodes');
    for (let i = 1; i < requests.length; i++) expect(requests[i].time - (requests[i - 1].time + (requests[i - 1].durationMs ?? 0))).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
  });

  it('pauses while the account must be reauthorized, and goes on afterwards', async () => {
    const job = (await create('gmail', { subject: 'Paused', addresses: 'h1@bulk.test' })).data;
    await world.app.db.getRepository('mailAccounts').update({ filterByTk: world.accounts.gmail, values: { status: 'reauthorize' } });
    await runner().runDue();
    expect(delivered('gmail', 'Paused')).toHaveLength(0);
    const view = (await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data;
    expect(view).toMatchObject({ status: 'pending', paused: true });
    expect(view.reason).toMatch(/reauthorized/);
    await post(world.as.memberA, 'mailMassMessages:resend', { filterByTk: job.id }, 409);
    await world.app.db.getRepository('mailAccounts').update({ filterByTk: world.accounts.gmail, values: { status: 'connected' } });
    await runner().runDue();
    expect(delivered('gmail', 'Paused')).toHaveLength(1);
  });

  it('a scheduled job waits for its time', async () => {
    const sendAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const job = (await create('outlook', { subject: 'Later', addresses: 'i1@bulk.test', sendAt })).data;
    expect(job).toMatchObject({ status: 'scheduled', scheduledAt: sendAt });
    await runner().runDue();
    expect(delivered('outlook', 'Later')).toHaveLength(0);
    await jobs().update({ scheduledAt: new Date(Date.now() - 1000) }, { where: { id: job.id } });
    await runner().runDue();
    expect(delivered('outlook', 'Later')).toHaveLength(1);
    expect((await get(world.as.memberA, 'getOwn', `filterByTk=${job.id}`)).data.status).toBe('sent');
  });
});
