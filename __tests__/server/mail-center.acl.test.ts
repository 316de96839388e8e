import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noMailAgent } from '../helpers/app';
import { Google } from '../helpers/mail';
import { mailCenterMailbox } from '../helpers/threads';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * S-ACL-2/3/10 for the mail center: every action × (owner, other member, admin, root,
 * anonymous, a role without the snippet). Only the owner reads or changes their mail; to anyone
 * else it does not exist (404), nothing changes at the provider, and bad input is a 400 with a
 * message naming the field.
 */
const OWNER = 'acl-owner@gmail.test';

describe('mail center permissions and bad input', () => {
  let w: MailWorld<'owner'>;
  let app: MockServer;
  let as: Agents;
  let google: Google;
  let noMail: any;
  let accountId: number;
  let messageId: number;
  let attachmentId: number;
  let labelId: number;

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'center-acl',
      google: true,
      users: { google: [OWNER] },
      mailboxes: async ({ google }) => google.seed(OWNER, { eml: await mailCenterMailbox(OWNER) }),
      connect: { owner: { provider: 'gmail', email: OWNER } },
      sync: true,
    });
    ({ app, as, google } = w);
    accountId = w.accounts.owner;
    const message = await app.db.getRepository('mailMessages').findOne({ filter: { accountId, hasAttachments: true } });
    messageId = message.get('id');
    attachmentId = (await app.db.getRepository('mailAttachments').findOne({ filter: { messageId } })).get('id');
    labelId = (await as.memberA.post('/api/mailMessageLabels:save').send({ name: 'Mine' })).body.data.id;
    await as.memberA.post('/api/mailMessageNotes:save').send({ messageId, note: 'private', todo: true });
    noMail = await noMailAgent(app);
  });
  afterAll(() => w?.close());

  /** Every action with the owner's ids; `changes` say what must not happen for others. */
  const calls = () => [
    { name: 'threads', run: (a: any) => a.get('/api/mailMessages:threads').query({ accountId }) },
    { name: 'threadCount', run: (a: any) => a.get('/api/mailMessages:threadCount').query({ accountId }) },
    { name: 'thread', run: (a: any) => a.get('/api/mailMessages:thread').query({ filterByTk: messageId }) },
    { name: 'setRead', run: (a: any) => a.post('/api/mailMessages:setRead').send({ ids: [messageId], read: true }) },
    { name: 'setStarred', run: (a: any) => a.post('/api/mailMessages:setStarred').send({ ids: [messageId], starred: true }) },
    { name: 'archive', run: (a: any) => a.post('/api/mailMessages:archive').send({ ids: [messageId] }) },
    { name: 'trash', run: (a: any) => a.post('/api/mailMessages:trash').send({ ids: [messageId] }) },
    { name: 'restore', run: (a: any) => a.post('/api/mailMessages:restore').send({ ids: [messageId] }) },
    { name: 'destroyForever', run: (a: any) => a.post('/api/mailMessages:destroyForever').send({ ids: [messageId] }) },
    { name: 'setLabels', run: (a: any) => a.post('/api/mailMessages:setLabels').send({ ids: [messageId], add: [labelId] }) },
    { name: 'label save', run: (a: any) => a.post('/api/mailMessageLabels:save').send({ id: labelId, name: 'Stolen' }) },
    { name: 'label remove', run: (a: any) => a.post(`/api/mailMessageLabels:remove?filterByTk=${labelId}`).send({}) },
    { name: 'note save', run: (a: any) => a.post('/api/mailMessageNotes:save').send({ messageId, note: 'hijack' }) },
    { name: 'attachments', run: (a: any) => a.get('/api/mailAttachments:listOwn').query({ messageId }) },
    { name: 'download', run: (a: any) => a.get('/api/mailAttachments:download').query({ filterByTk: attachmentId }) },
    { name: 'inline', run: (a: any) => a.get('/api/mailAttachments:inline').query({ messageId, cid: 'Pixel.1@customer.test' }) },
  ];

  const ownerState = async () => ({
    provider: google.mailboxOf(OWNER).map((m: any) => [m.id, [...m.labelIds].sort()]),
    rows: (await app.db.getRepository('mailMessages').find({ sort: ['id'] })).map((r: any) => [r.get('id'), r.get('box'), r.get('read'), r.get('starred')]),
    labels: (await app.db.getRepository('mailMessageLabels').find()).map((r: any) => r.get('name')),
    links: await app.db.getRepository('mailmessagelabelsMailmessages').count(),
    notes: (await app.db.getRepository('mailMessageNotes').find()).map((r: any) => r.get('note')),
  });

  for (const who of ['memberB', 'admin', 'root'] as const) {
    it(`${who}: the owner's mail, labels and notes do not exist`, async () => {
      const before = await ownerState();
      for (const call of calls()) {
        const res = await call.run(as[who]);
        expect(res.status, `${who} ${call.name}: ${JSON.stringify(res.body)}`).toBe(404);
        expect(res.body.errors?.[0]?.message, call.name).toBeTruthy();
      }
      expect(await ownerState()).toEqual(before);
      // Their own views are simply empty.
      const list = await as[who].get('/api/mailMessages:threads').query({ box: 'all' });
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ data: [], meta: { hasMore: false } });
      expect((await as[who].get('/api/mailMessages:threadCount').query({ box: 'all' })).body.data.count).toBe(0);
      const counts = await as[who].get('/api/mailMessages:counts');
      expect(counts.body.data).toMatchObject({ unread: 0, todo: 0, labels: {} });
      expect((await as[who].get('/api/mailMessageLabels:listOwn')).body.data).toEqual([]);
    });
  }

  it('anonymous: 401 for every action; a role without the snippet: 403', async () => {
    const before = await ownerState();
    for (const call of [...calls(), { name: 'counts', run: (a: any) => a.get('/api/mailMessages:counts') }]) {
      expect((await call.run(as.anonymous)).status, `anonymous ${call.name}`).toBe(401);
      expect((await call.run(noMail)).status, `no snippet ${call.name}`).toBe(403);
    }
    expect(await ownerState()).toEqual(before);
  });

  it('the owner reaches all of it', async () => {
    for (const call of calls().filter((c) => ['threads', 'thread', 'attachments', 'inline', 'download'].includes(c.name))) {
      expect((await call.run(as.memberA)).status, call.name).toBe(200);
    }
  });

  it('bad parameters are a 400 (or 404 for ids that are not the user\'s) with a message naming the field', async () => {
    const get = (params: Record<string, unknown>) => as.memberA.get('/api/mailMessages:threads').query(params);
    const post = (action: string, body: object) => as.memberA.post(`/api/${action}`).send(body);
    const cases: [string, () => Promise<any>, number, string][] = [
      ['box', () => get({ box: 'bogus' }), 400, 'Unknown box: bogus'],
      ['page', () => get({ page: 0 }), 400, 'Invalid page: 0'],
      ['after', () => get({ after: 'yesterday-ish' }), 400, 'Invalid date: yesterday-ish'],
      ['accountId', () => get({ accountId: 999_999 }), 404, 'Mail account not found'],
      ['labelId', () => get({ labelId: 999_999 }), 404, 'Label not found'],
      ['ids', () => post('mailMessages:setRead', { ids: [], read: true }), 400, 'Please check the mail first'],
      ['ids', () => post('mailMessages:setRead', { ids: ['x'], read: true }), 400, 'Please check the mail first'],
      ['ids', () => post('mailMessages:trash', { ids: Array.from({ length: 1001 }, (_, i) => i + 1) }), 400, 'Select at most 1000 mails at a time'],
      ['scope', () => post('mailMessages:trash', { ids: [messageId], scope: 'everything' }), 400, 'Invalid scope'],
      ['ids', () => post('mailMessages:archive', { ids: [999_999] }), 404, 'This email no longer exists'],
      ['name', () => post('mailMessageLabels:save', { name: '   ' }), 400, 'Enter a label name'],
      ['name', () => post('mailMessageLabels:save', { name: 'x'.repeat(65) }), 400, 'A label name has at most 64 characters'],
      ['color', () => post('mailMessageLabels:save', { name: 'Red', color: 'url(javascript:1)' }), 400, 'Invalid colour: url(javascript:1)'],
      ['labels', () => post('mailMessages:setLabels', { ids: [messageId], add: [999_999] }), 404, 'Label not found'],
      ['add', () => post('mailMessages:setLabels', { ids: [messageId] }), 400, 'Choose a label'],
      ['note', () => post('mailMessageNotes:save', { messageId, note: { html: '<b>' } }), 400, 'A note is plain text'],
    ];
    for (const [field, pending, status, message] of cases) {
      const res = await pending();
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.errors[0].message).toBe(message);
      if (status === 400) expect(res.body.errors[0].field).toBe(field);
    }
    expect((await as.memberA.get('/api/mailMessages:thread').query({ filterByTk: 'abc' })).status).toBe(404);
  });

  it('an account that needs reauthorization: changes answer 409 with the S-ERR-3 message, nothing changes', async () => {
    const before = await ownerState();
    google.revokeGrant(OWNER);
    google.expireAccessTokens(OWNER);
    const res = await as.memberA.post('/api/mailMessages:setStarred').send({ ids: [messageId], starred: true });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toBe(`The email address ${OWNER} has an invalid grant. Please reauthorize your account.`);
    expect(await ownerState()).toEqual(before);
    // Reading what is stored still works.
    expect((await as.memberA.get('/api/mailMessages:threads').query({ accountId })).status).toBe(200);
    const again = await as.memberA.post('/api/mailMessages:setStarred').send({ ids: [messageId], starred: true });
    expect(again.status).toBe(409);
  });
});
