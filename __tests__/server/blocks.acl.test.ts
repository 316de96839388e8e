import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../helpers/app';
import { giveScopedView, grantAllMail } from '../helpers/read-grants-world';
import { blocksWorld, BlocksWorld, idsOf } from '../helpers/blocks-world';

/**
 * S-ACL-3…6 and S-ACL-10 for the Email blocks, with real users and roles: scope 'all' needs the
 * email-manager.all-mail snippet (root, admin; a member only once their role is given it, and
 * then only within the data scope of the role's own View on mailMessages, if it has one); department owners see their departments' mail while the
 * switch is on; other users' mail is read-only and viewing it changes nothing; anonymous 401; a
 * role without the snippet 403.
 */
describe('Email blocks: who sees which mail', () => {
  let w: BlocksWorld;
  let annIds: number[];
  let benIds: number[];
  const block = (agent: any, params: Record<string, unknown> = {}) => agent.get('/api/mailMessages:blockList').query({ pageSize: 200, ...params });
  const details = (agent: any, id: number) => agent.get('/api/mailMessages:blockGet').query({ filterByTk: id });
  const idsOfAccount = async (accountId: number) =>
    ((await w.app.db.getCollection('mailMessages').model.findAll({ attributes: ['id'], where: { accountId }, raw: true })) as any[]).map((r) => Number(r.id)).sort((a, b) => a - b);
  const readState = async () =>
    ((await w.app.db.getCollection('mailMessages').model.findAll({ attributes: ['id', 'read', 'box'], order: [['id', 'ASC']], raw: true })) as any[]).map((r) => [r.id, Boolean(r.read), r.box]);

  beforeAll(async () => {
    w = await blocksWorld('blocks-acl');
    annIds = await idsOfAccount(w.annAccount);
    benIds = await idsOfAccount(w.benAccount);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('members: scope "all" falls back to their own mail; another member\'s mail does not exist', async () => {
    for (const scope of [undefined, 'mine', 'all']) {
      const a = await block(w.as.memberA, scope ? { scope } : {});
      expect(a.status).toBe(200);
      expect(idsOf(a)).toEqual(annIds);
      expect(a.body.meta).toMatchObject({ count: annIds.length, scope: 'mine' });
      expect(a.body.data.every((r: any) => r.readOnly === false)).toBe(true);
      expect(idsOf(await block(w.as.memberB, scope ? { scope } : {}))).toEqual(benIds);
    }
    // An address both members corresponded with: each sees only their own.
    const filter = JSON.stringify({ participants: 'buyer@acme.com' });
    expect((await block(w.as.memberB, { scope: 'all', filter })).body.data.map((r: any) => r.subject)).toEqual(['B order']);
    const before = await readState();
    expect((await details(w.as.memberB, annIds[0])).status).toBe(404);
    expect((await details(w.as.memberA, annIds[0])).status).toBe(200);
    expect(await readState()).toEqual(before);
  });

  it('admin and root: scope "all" is every user\'s mail, the others\' read-only; their own scope is empty', async () => {
    for (const who of ['admin', 'root'] as const) {
      const all = await block(w.as[who], { scope: 'all' });
      expect(all.status).toBe(200);
      expect(idsOf(all)).toEqual([...annIds, ...benIds].sort((a, b) => a - b));
      expect(all.body.meta).toMatchObject({ count: annIds.length + benIds.length, scope: 'all' });
      expect(all.body.data.every((r: any) => r.readOnly === true)).toBe(true);
      expect((await block(w.as[who], { scope: 'all', filter: JSON.stringify({ from: 'BUYER@acme.com' }) })).body.meta.count).toBe(2);
      const mine = await block(w.as[who]);
      expect(mine.body).toMatchObject({ data: [], meta: { count: 0, scope: 'mine' } });
    }
  });

  it('read-only: details of another user\'s unread mail never mark it read; changes on it answer 404', async () => {
    const unread = (await w.app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.benAccount, read: false } }))!;
    const id = Number(unread.get('id'));
    const before = await readState();
    const providerBefore = w.google.mailboxOf('ben@gmail.test');
    const res = await details(w.as.admin, id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, readOnly: true, read: false, account: 'ben@gmail.test' });
    expect(res.body.data.text).toBeTruthy();
    for (const [action, body] of [
      ['setRead', { ids: [id], read: true }],
      ['archive', { ids: [id] }],
      ['trash', { ids: [id] }],
      ['setStarred', { ids: [id], starred: true }],
    ] as const) {
      expect((await w.as.admin.post(`/api/mailMessages:${action}`).send(body)).status, action).toBe(404);
    }
    expect(await readState()).toEqual(before);
    expect(w.google.mailboxOf('ben@gmail.test')).toEqual(providerBefore);
  });

  it('a role given the all-mail snippet sees others\' mail, within the data scope of its own View on mailMessages', async () => {
    await w.app.db.getRepository('roles').create({ values: { name: 'auditor', title: 'Auditor' } });
    const auditorUser = await createUser(w.app, 'auditor-user', ['auditor']);
    const auditor = await w.app.agent().login(auditorUser, 'auditor');
    // Nothing granted yet: their (empty) own mail.
    expect((await block(auditor, { scope: 'all' })).body.meta).toMatchObject({ count: 0, scope: 'mine' });

    // NocoBase's own View permission on the collection is not the grant (it only narrows one).
    await giveScopedView(w.app, 'auditor', 'inbox-only', { box: { $eq: 'inbox' } });
    expect((await block(auditor, { scope: 'all' })).body.meta).toMatchObject({ count: 0, scope: 'mine' });

    await grantAllMail(w.app, 'auditor');
    const scoped = await block(auditor, { scope: 'all' });
    const inbox = ((await w.app.db.getCollection('mailMessages').model.findAll({ attributes: ['id'], where: { box: 'inbox' }, raw: true })) as any[])
      .map((r) => Number(r.id))
      .sort((a, b) => a - b);
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.length).toBeLessThan(annIds.length + benIds.length);
    expect(idsOf(scoped)).toEqual(inbox);
    expect(scoped.body.meta.scope).toBe('all');
    const sent = annIds.find((id) => !inbox.includes(id))!;
    expect((await details(auditor, sent)).status).toBe(404);
    expect((await details(auditor, inbox[0])).body.data.readOnly).toBe(true);

    // The member role given the snippet (no data scope): members see everyone's mail, read-only.
    await grantAllMail(w.app, 'member');
    const memberAll = await block(w.as.memberA, { scope: 'all' });
    expect(idsOf(memberAll)).toEqual([...annIds, ...benIds].sort((a, b) => a - b));
    expect(memberAll.body.data.filter((r: any) => !r.readOnly).map((r: any) => r.id).sort((a: number, b: number) => a - b)).toEqual(annIds);
    await grantAllMail(w.app, 'member', false);
    expect(idsOf(await block(w.as.memberA, { scope: 'all' }))).toEqual(annIds);
  });

  it('S-ACL-6: a department owner sees, read-only, the mail of their department and sub-departments while the switch is on', async () => {
    const boss = await createUser(w.app, 'boss');
    const bossAgent = await w.app.agent().login(boss);
    const departments = w.app.db.getRepository('departments');
    const sales = await departments.create({ values: { title: 'Sales' } });
    const east = await departments.create({ values: { title: 'Sales East', parentId: sales.get('id') } });
    const other = await departments.create({ values: { title: 'Support' } });
    const links = w.app.db.getCollection('departmentsUsers').model;
    await links.create({ departmentId: sales.get('id'), userId: boss.get('id'), isOwner: true });
    await links.create({ departmentId: east.get('id'), userId: w.as.users.memberB.get('id'), isOwner: false });
    await links.create({ departmentId: other.get('id'), userId: w.as.users.memberA.get('id'), isOwner: false });
    const settings = w.app.db.getRepository('mailSettings');
    const setSwitch = async (on: boolean) => {
      const row = await settings.findOne({ sort: ['id'] });
      await settings.update({ filterByTk: row!.get('id'), values: { viewByDepartment: on } });
    };

    // Off (the default): nothing beyond their own (empty) mail.
    expect((await block(bossAgent, { scope: 'all' })).body.meta).toMatchObject({ count: 0, scope: 'mine' });
    expect((await details(bossAgent, benIds[0])).status).toBe(404);

    await setSwitch(true);
    const seen = await block(bossAgent, { scope: 'all' });
    expect(idsOf(seen)).toEqual(benIds);
    expect(seen.body.meta.scope).toBe('all');
    expect(seen.body.data.every((r: any) => r.readOnly)).toBe(true);
    expect((await block(bossAgent)).body.meta.count).toBe(0);
    expect((await details(bossAgent, benIds[0])).body.data.readOnly).toBe(true);
    expect((await details(bossAgent, annIds[0])).status).toBe(404);
    expect((await bossAgent.post('/api/mailMessages:setRead').send({ ids: [benIds[0]], read: true })).status).toBe(404);
    // Members of their department who own no department see no more than before.
    expect(idsOf(await block(w.as.memberB, { scope: 'all' }))).toEqual(benIds);

    await setSwitch(false);
    expect((await block(bossAgent, { scope: 'all' })).body.meta.count).toBe(0);
    expect((await details(bossAgent, benIds[0])).status).toBe(404);
  });

  it('the tables stay closed to NocoBase\'s generic actions, admin included', async () => {
    for (const path of ['/api/mailMessages:list', '/api/mailMessages:get?filterByTk=1', '/api/mailMessageParticipants:list']) {
      for (const who of ['admin', 'memberA'] as const) expect((await w.as[who].get(path)).status, `${who} ${path}`).toBe(403);
    }
  });

  it('anonymous: 401; a role without the email-manager snippet: 403', async () => {
    for (const call of [(a: any) => block(a, { scope: 'all' }), (a: any) => details(a, annIds[0])]) {
      expect((await call(w.as.anonymous)).status).toBe(401);
      expect((await call(w.noMail)).status).toBe(403);
    }
  });
});
