import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import IndexMailParticipants from '../../src/server/migrations/20261125000000-index-mail-participants';
import { ANN, blocksWorld, BlocksWorld, directIds, expectedTriples, idsOf, participantTriples, pluginOf } from '../helpers/blocks-world';

/**
 * S-BLOCK-1/3/4/5 through the API, as member A on their own mail: every address role, any
 * participant and domain lists, ignoring case, with counts equal to a query of mailMessages'
 * own columns; the empty-value rule; rows with the S-BLOCK-1 fields; details; the participants
 * index in step with sync adds and deletes, a sent mail, account removal, and its back-fill.
 */
describe('Email blocks: filters and the participants index', () => {
  let w: BlocksWorld;
  const list = (params: Record<string, unknown>) => w.as.memberA.get('/api/mailMessages:blockList').query(params);
  const filtered = (filter: unknown, extra: Record<string, unknown> = {}) =>
    list({ filter: typeof filter === 'string' ? filter : JSON.stringify(filter), pageSize: 200, ...extra });

  beforeAll(async () => {
    w = await blocksWorld('blocks-api');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the index holds every participant of the synced mail', async () => {
    expect(await participantTriples(w.app)).toEqual(await expectedTriples(w.app));
    expect((await participantTriples(w.app)).length).toBeGreaterThan(10);
    // The block's filters walk these indexes (address or domain, newest first).
    const table = w.app.db.getCollection('mailMessageParticipants').model.getTableName();
    const indexes: any[] = (await w.app.db.sequelize.getQueryInterface().showIndex(table as any)) as any;
    const columns = indexes.map((i) => i.fields.map((f: any) => f.attribute).join(','));
    expect(columns).toEqual(expect.arrayContaining(['address,date', 'domain,date', 'messageId', 'accountId']));
  });

  it('filters by each address role, any participant and domain, ignoring case; counts equal a direct query', async () => {
    const own = [w.annAccount];
    const has = (role: string, ...values: string[]) => (r: Record<string, string[]>) => values.some((v) => r[role].includes(v));
    const any = (...values: string[]) => (r: Record<string, string[]>) => Object.values(r).some((l) => l.some((a) => values.includes(a)));
    const domain = (...ds: string[]) => (r: Record<string, string[]>) => Object.values(r).some((l) => l.some((a) => ds.includes(a.split('@')[1])));
    const cases: [unknown, (r: Record<string, string[]>) => boolean][] = [
      [{ from: 'BUYER@acme.COM' }, has('from', 'buyer@acme.com')],
      [{ from: { $eq: ' Acme <buyer@acme.com> ' } }, has('from', 'buyer@acme.com')],
      [{ to: { $eq: 'buyer@acme.com' } }, has('to', 'buyer@acme.com')],
      [{ cc: { $in: ['Buyer@Acme.com', 'carol@beta.io'] } }, has('cc', 'buyer@acme.com', 'carol@beta.io')],
      [{ bcc: 'audit@SUB.acme.com' }, has('bcc', 'audit@sub.acme.com')],
      [{ replyTo: 'buyer@acme.com' }, has('replyTo', 'buyer@acme.com')],
      [{ participants: { $eq: 'buyer@acme.com' } }, any('buyer@acme.com')],
      // A record's "emails" text with several addresses.
      [{ participants: { $in: 'dave@beta.io; FRANK@sub.acme.com , nobody@none.test' } }, any('dave@beta.io', 'frank@sub.acme.com')],
      [{ participants: { $ne: 'buyer@acme.com' } }, (r) => !any('buyer@acme.com')(r)],
      [{ participants: { $notIn: ['buyer@acme.com', 'dave@beta.io'] } }, (r) => !any('buyer@acme.com', 'dave@beta.io')(r)],
      [{ from: { $includes: 'BETA' } }, (r) => r.from.some((a) => a.includes('beta'))],
      [{ participants: { $includes: '_100%' } }, (r) => Object.values(r).some((l) => l.some((a) => a.includes('_100%')))],
      // S-BLOCK-4: a JSON array field, "@" tolerated, subdomains only when listed.
      [{ domain: { $in: ['ACME.com', '@beta.io'] } }, domain('acme.com', 'beta.io')],
      [{ domain: { $in: '["acme.com"]' } }, domain('acme.com')],
      [{ domain: { $eq: '@sub.acme.com' } }, domain('sub.acme.com')],
      [{ domain: { $notIn: ['acme.com'] } }, (r) => !domain('acme.com')(r)],
      [{ $or: [{ from: 'dave@beta.io' }, { to: 'frank@sub.acme.com' }] }, (r) => has('from', 'dave@beta.io')(r) || has('to', 'frank@sub.acme.com')(r)],
      [{ $and: [{ participants: 'buyer@acme.com' }, { domain: 'beta.io' }] }, (r) => any('buyer@acme.com')(r) && domain('beta.io')(r)],
      [{}, () => true],
      [{ $and: [] }, () => true],
    ];
    for (const [filter, test] of cases) {
      const res = await filtered(filter);
      expect(res.status, JSON.stringify([filter, res.body])).toBe(200);
      const expected = await directIds(w.app, own, test);
      expect(idsOf(res), JSON.stringify(filter)).toEqual(expected);
      expect(res.body.meta, JSON.stringify(filter)).toMatchObject({ count: expected.length, page: 1, pageSize: 200, scope: 'mine' });
    }
    // One participant test is paged from the index alone: the same order and pages as through the mail.
    for (const sort of ['-date', 'date']) {
      for (const page of [1, 2, 3]) {
        const alone = await list({ filter: JSON.stringify({ participants: 'buyer@acme.com' }), pageSize: 1, page, sort });
        const through = await list({ filter: JSON.stringify({ participants: 'buyer@acme.com', draft: { $isFalsy: true } }), pageSize: 1, page, sort });
        expect(alone.body.data.map((r: any) => r.id), `${sort} ${page}`).toEqual(through.body.data.map((r: any) => r.id));
        expect(alone.body.meta).toEqual(through.body.meta);
      }
    }
    // Not everything matches everything: the cases above are selective.
    expect((await filtered({ domain: '["acme.com"]' })).body.meta.count).toBe(4);
    expect((await filtered({ domain: 'acme.com' })).body.meta.count).toBe(4);
    expect((await filtered({ domain: 'sub.acme.com' })).body.meta.count).toBe(2);
  });

  it('an empty value matches nothing, whatever the operator; other $or branches still count', async () => {
    const empties: unknown[] = [
      { from: '' },
      { from: { $eq: null } },
      { from: { $eq: '  ' } },
      { participants: { $in: [] } },
      { participants: { $in: ['', null] } },
      { participants: { $ne: '' } },
      { participants: { $notIn: [] } },
      { participants: { $includes: '' } },
      { domain: [] },
      { domain: '[]' },
      { domain: { $in: '' } },
      { subject: { $includes: '' } },
      { participants: 'buyer@acme.com', domain: '' },
    ];
    for (const filter of empties) {
      const res = await filtered(filter);
      expect(res.status, JSON.stringify([filter, res.body])).toBe(200);
      expect(res.body, JSON.stringify(filter)).toMatchObject({ data: [], meta: { count: 0, totalPage: 0 } });
    }
    const res = await filtered({ $or: [{ from: '' }, { from: 'dave@beta.io' }] });
    expect(res.body.meta.count).toBe(1);
  });

  it('rows carry the S-BLOCK-1 fields; sort and pages; other fields filter', async () => {
    const labelId = (await w.as.memberA.post('/api/mailMessageLabels:save').send({ name: 'VIP', color: 'red' })).body.data.id;
    const reply = await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.annAccount, subject: 'Re: Order 1' } });
    const original = await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.annAccount, subject: 'Order 1' } });
    await w.as.memberA.post('/api/mailMessages:setLabels').send({ ids: [reply.get('id')], add: [labelId], scope: 'message' });
    const res = await filtered({ subject: { $includes: 'ORDER 1' } });
    expect(res.body.data.map((r: any) => r.subject)).toEqual(['Re: Order 1', 'Order 1']);
    const row = res.body.data[0];
    expect(row).toMatchObject({
      id: reply.get('id'),
      accountId: w.annAccount,
      account: ANN,
      threadId: reply.get('threadId'),
      from: [{ address: ANN }],
      to: [{ address: 'buyer@acme.com' }],
      cc: [],
      bcc: [{ name: 'Audit', address: "audit@sub.acme.com" }],
      box: 'sent',
      read: true,
      draft: false,
      hasAttachments: true,
      attachments: [{ filename: 'invoice.pdf', mimeType: 'application/pdf' }],
      labels: [{ id: labelId, name: 'VIP', color: 'red' }],
      repliedMessage: { id: original.get('id'), subject: 'Order 1' },
      readOnly: false,
    });
    expect(row.content).toContain('On its way');
    expect(new Date(row.date).toISOString()).toBe(row.date);
    expect(row.html).toBeUndefined();

    const dates = (r: any) => r.body.data.map((x: any) => x.date);
    const newest = await list({ pageSize: 2 });
    expect(newest.body.meta).toMatchObject({ count: 6, page: 1, pageSize: 2, totalPage: 3 });
    expect(dates(newest)).toEqual([...dates(newest)].sort().reverse());
    const third = await list({ pageSize: 2, page: 3, sort: 'date' });
    expect(third.body.data.map((r: any) => r.subject)).toEqual(['Subdomain hello', 'Weird 100%_off']);
    const bySubject = await list({ sort: ['subject'] });
    expect(bySubject.body.data.map((r: any) => r.subject)).toEqual(['Beta news', 'Gamma offer', 'Order 1', 'Re: Order 1', 'Subdomain hello', 'Weird 100%_off']);
    const byFrom = await list({ sort: '-from' });
    expect(byFrom.body.data[0].from[0].address).toBe('sale_100%@promo.test');

    const count = async (filter: unknown) => {
      const res = await filtered(filter);
      expect(res.status, JSON.stringify([filter, res.body])).toBe(200);
      return res.body.meta.count;
    };
    expect(await count({ box: 'sent' })).toBe(2);
    expect(await count({ box: { $ne: 'sent' } })).toBe(4);
    expect(await count({ read: false })).toBe(4);
    expect(await count({ read: { $isTruly: true } })).toBe(2);
    expect(await count({ hasAttachments: true })).toBe(1);
    expect(await count({ draft: { $isFalsy: true } })).toBe(6);
    expect(await count({ labels: { $anyOf: [labelId] } })).toBe(1);
    expect(await count({ labels: { $noneOf: [labelId] } })).toBe(5);
    expect(await count({ accountId: w.annAccount })).toBe(6);
    expect(await count({ accountId: w.benAccount })).toBe(0);
    expect(await count({ date: { $gte: '2025-03-03', $lt: '2025-03-05T00:00:00Z' } })).toBe(2);
    expect(await count({ date: { $dateOn: '2025-03-03' } })).toBe(1);
    expect(await count({ date: { $dateAfter: '2025-03-04', $dateNotAfter: '2025-03-06+00:00' } })).toBe(2);
    expect(await count({ date: { $dateBetween: ['2025-03-01T00:00:00Z', '2025-03-02T23:59:59Z'] } })).toBe(2);
  });

  it('details: bodies and attachments, never marking the mail read', async () => {
    const unread = await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.annAccount, subject: 'Beta news' } });
    const res = await w.as.memberA.get('/api/mailMessages:blockGet').query({ filterByTk: unread.get('id') });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: unread.get('id'), subject: 'Beta news', read: false, readOnly: false, draft: false, starred: false, replyTo: [] });
    expect(res.body.data.text).toContain('News.');
    expect((await unread.reload()).get('read')).toBeFalsy();
    expect((await w.as.memberA.get('/api/mailMessages:blockGet').query({ filterByTk: 999999 })).status).toBe(404);
    expect((await w.as.memberA.get('/api/mailMessages:blockGet').query({ filterByTk: 'x' })).status).toBe(404);
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: JSON.stringify({ nope: 'x' }) }, 'filter.nope'],
      [{ filter: JSON.stringify({ from: { $gt: 'a' } }) }, 'filter.from'],
      [{ filter: JSON.stringify({ date: { $gte: 'yesterday-ish' } }) }, 'filter.date'],
      [{ filter: JSON.stringify({ read: 'maybe' }) }, 'filter.read'],
      [{ filter: JSON.stringify({ participants: { $in: Array.from({ length: 501 }, (_, i) => `a${i}@x.test`) } }) }, 'filter.participants'],
      [{ filter: JSON.stringify({ $or: {} }) }, 'filter.$or'],
      [{ pageSize: 201 }, 'pageSize'],
      [{ pageSize: 0 }, 'pageSize'],
      [{ page: 'two' }, 'page'],
      [{ sort: 'size' }, 'sort'],
      [{ scope: 'everyone' }, 'scope'],
    ];
    for (const [params, field] of cases) {
      const res = await list(params);
      expect(res.status, JSON.stringify([params, res.body])).toBe(400);
      expect(res.body.errors[0], JSON.stringify(params)).toMatchObject({ field, message: expect.any(String) });
    }
    // NocoBase itself parses a GET filter; text sent in a POST body reaches our parser.
    const badJson = await w.as.memberA.post('/api/mailMessages:blockList').send({ filter: '{not json' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.errors[0]).toMatchObject({ field: 'filter', message: 'The filter is not valid JSON' });
    const zh = await w.as.memberA.get('/api/mailMessages:blockList').set('X-Locale', 'zh-CN').query({ sort: 'size' });
    expect(zh.body.errors[0].message).not.toBe('Unknown sort size');
  });

  it('the index follows sync adds and deletes, a sent mail, and account removal', async () => {
    const { google, app } = w;
    const added = google.addMessage(ANN, {
      raw: Buffer.from('From: New Person <NEW@Delta.test>\r\nTo: ann@gmail.test\r\nCc: x@delta.test\r\nSubject: Delta\r\nMessage-ID: <d1@delta.test>\r\nDate: Mon, 10 Mar 2025 09:00:00 +0000\r\n\r\nHello\r\n'),
    });
    expect((await pluginOf(app).scheduler.runLocked(w.annAccount, 'incremental'))?.outcome).toBe('ok');
    expect(await participantTriples(app)).toEqual(await expectedTriples(app));
    expect((await filtered({ domain: 'delta.test' })).body.meta.count).toBe(1);

    google.deleteMessage(ANN, added);
    expect((await pluginOf(app).scheduler.runLocked(w.annAccount, 'incremental'))?.outcome).toBe('ok');
    expect(await participantTriples(app)).toEqual(await expectedTriples(app));
    expect((await filtered({ domain: 'delta.test' })).body.meta.count).toBe(0);

    const sent = await w.as.memberA.post('/api/mailMessages:send').send({
      accountId: w.annAccount,
      to: 'Grace <Grace@Omega.test>',
      bcc: 'boss@omega.test',
      subject: 'Sent from the block',
      html: '<p>Hi</p>',
      idempotencyKey: `blocks-${Date.now()}`,
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(await participantTriples(app)).toEqual(await expectedTriples(app));
    const found = await filtered({ $and: [{ to: 'grace@omega.test' }, { bcc: 'BOSS@omega.test' }] });
    expect(found.body.data.map((r: any) => r.subject)).toEqual(['Sent from the block']);

    // Back-fill: an index lost (or a database from before it) is rebuilt by the migration.
    const before = await participantTriples(app);
    await app.db.getCollection('mailMessageParticipants').model.destroy({ where: {}, truncate: true } as any);
    expect(await participantTriples(app)).toEqual([]);
    await new IndexMailParticipants({ app, db: app.db, plugin: pluginOf(app) } as any).up();
    expect(await participantTriples(app)).toEqual(before);

    const removed = await w.as.memberB.post(`/api/mailAccounts:remove?filterByTk=${w.benAccount}`).send({});
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(await participantTriples(app, { accountId: w.benAccount })).toEqual([]);
    expect(await participantTriples(app)).toEqual(await expectedTriples(app));
  });
});
