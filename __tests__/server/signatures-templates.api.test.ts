import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, createApp } from '../helpers/app';
import { pluginOf } from '../helpers/mail';

/**
 * Signatures (S-SIG-1), templates (S-TPL-1) and the auto-save setting (S-DRAFT-2) through the API
 * of a real app with the ACL on: create, update, list, delete; one default per scope (per account,
 * with a general fallback); personal (S-ACL-8): member B, admin and root get 404 on member A's
 * rows and never see them, anonymous 401, a role without the snippet 403; bad input 400 naming the
 * field. None of these reach a provider, so the accounts are plain rows.
 */
describe('signatures, templates and compose settings', () => {
  let app: MockServer;
  let as: Awaited<ReturnType<typeof agents>>;
  let noMail: any;
  let accountA: number;
  let accountA2: number;
  let accountB: number;
  const A = () => as.memberA;

  beforeAll(async () => {
    app = await createApp();
    as = await agents(app);
    const account = async (user: any, email: string) =>
      (await app.db.getRepository('mailAccounts').create({ values: { userId: user.get('id'), provider: 'gmail', email } })).get('id');
    accountA = await account(as.users.memberA, 'a@gmail.test');
    accountA2 = await account(as.users.memberA, 'a2@gmail.test');
    accountB = await account(as.users.memberB, 'b@gmail.test');
    await app.db.getRepository('roles').create({ values: { name: 'nomail', title: 'No mail', snippets: ['!email-manager'] } });
    const user = await app.db.getRepository('users').create({ values: { nickname: 'no-mail', roles: ['nomail'] } });
    noMail = await app.agent().login(user, 'nomail');
  });
  afterAll(() => app?.destroy());

  const post = async (agent: any, path: string, values: Record<string, unknown>, status = 200) => {
    const res = await agent.post(`/api/${path}`).send(values);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const get = async (agent: any, path: string, query: Record<string, unknown> = {}, status = 200) => {
    const res = await agent.get(`/api/${path}`).query(query);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const fieldError = (body: any) => body.errors[0].field;

  describe('signatures', () => {
    it('creates, updates, lists and deletes; one default per scope, the account default before the general one', async () => {
      const general = (await post(A(), 'mailSignatures:save', { name: 'Regards', html: '<p>Regards, A</p>', isDefault: true })).data;
      expect(general).toEqual({ id: expect.any(Number), name: 'Regards', html: '<p>Regards, A</p>', isDefault: true, accountId: null });
      const sales = (await post(A(), 'mailSignatures:save', { name: 'Sales', html: '<p>Sales team</p>', accountId: accountA, isDefault: true })).data;
      expect(sales).toMatchObject({ accountId: accountA, isDefault: true });
      // Defaults of different scopes coexist.
      expect((await get(A(), 'mailSignatures:listOwn')).data.map((s: any) => [s.name, s.isDefault])).toEqual([['Regards', true], ['Sales', true]]);
      expect((await get(A(), 'mailSignatures:defaultFor', { accountId: accountA })).data.id).toBe(sales.id);
      expect((await get(A(), 'mailSignatures:defaultFor', { accountId: accountA2 })).data.id).toBe(general.id);
      // The account's own list leaves out other accounts' signatures.
      expect((await get(A(), 'mailSignatures:listOwn', { accountId: accountA2 })).data.map((s: any) => s.name)).toEqual(['Regards']);

      // A second general default: the first one steps down; the account's default stays.
      const short = (await post(A(), 'mailSignatures:save', { name: 'Short', html: '<p>A</p>', isDefault: true })).data;
      const list = (await get(A(), 'mailSignatures:listOwn')).data;
      expect(list.map((s: any) => [s.name, s.isDefault])).toEqual([['Regards', false], ['Sales', true], ['Short', true]]);

      // Update in place: rename, and the account signature becomes general (and the general default).
      const moved = (await post(A(), 'mailSignatures:save', { id: sales.id, name: 'Sales v2', accountId: null })).data;
      expect(moved).toEqual({ id: sales.id, name: 'Sales v2', html: '<p>Sales team</p>', isDefault: true, accountId: null });
      expect((await get(A(), 'mailSignatures:listOwn')).data.filter((s: any) => s.isDefault).map((s: any) => s.id)).toEqual([sales.id]);
      expect((await get(A(), 'mailSignatures:defaultFor', { accountId: accountA })).data.id).toBe(sales.id);

      expect(await post(A(), `mailSignatures:remove?filterByTk=${short.id}`, {})).toEqual({ data: { deleted: 1 } });
      await post(A(), `mailSignatures:remove?filterByTk=${short.id}`, {}, 404);
      for (const s of [general, sales]) await post(A(), `mailSignatures:remove?filterByTk=${s.id}`, {});
      expect((await get(A(), 'mailSignatures:defaultFor', { accountId: accountA })).data).toBeNull();
      expect((await get(A(), 'mailSignatures:listOwn')).data).toEqual([]);
    });

    it("are personal: another user's signature or account is not found, for member, admin and root alike", async () => {
      const mine = (await post(A(), 'mailSignatures:save', { name: 'Private', html: '<p>secret</p>', isDefault: true })).data;
      for (const other of [as.memberB, as.admin, as.root]) {
        expect((await get(other, 'mailSignatures:listOwn')).data.map((s: any) => s.id)).not.toContain(mine.id);
        expect(fieldError(await post(other, 'mailSignatures:save', { id: mine.id, name: 'Hijack' }, 404))).toBe('id');
        await post(other, `mailSignatures:remove?filterByTk=${mine.id}`, {}, 404);
        await get(other, 'mailSignatures:defaultFor', { accountId: accountA }, 404);
      }
      // A's own signature cannot be bound to B's account.
      expect(fieldError(await post(A(), 'mailSignatures:save', { name: 'X', accountId: accountB }, 404))).toBe('accountId');
      await get(A(), 'mailSignatures:listOwn', { accountId: accountB }, 404);
      expect((await app.db.getRepository('mailSignatures').findOne({ filterByTk: mine.id })).toJSON()).toMatchObject({ name: 'Private', html: '<p>secret</p>' });
      await post(A(), `mailSignatures:remove?filterByTk=${mine.id}`, {});
    });

    it("go with their account; general ones stay", async () => {
      const temp = await app.db.getRepository('mailAccounts').create({ values: { userId: as.users.memberA.get('id'), provider: 'gmail', email: 'temp@gmail.test' } });
      const bound = (await post(A(), 'mailSignatures:save', { name: 'Temp', accountId: temp.get('id'), isDefault: true })).data;
      const general = (await post(A(), 'mailSignatures:save', { name: 'Everywhere' })).data;
      await pluginOf(app).accounts.remove(temp);
      const ids = (await get(A(), 'mailSignatures:listOwn')).data.map((s: any) => s.id);
      expect(ids).toContain(general.id);
      expect(ids).not.toContain(bound.id);
      await post(A(), `mailSignatures:remove?filterByTk=${general.id}`, {});
    });

    it('refuses bad input with 400 and the field', async () => {
      expect(fieldError(await post(A(), 'mailSignatures:save', { name: '  ' }, 400))).toBe('name');
      expect(fieldError(await post(A(), 'mailSignatures:save', { name: 'x'.repeat(101) }, 400))).toBe('name');
      const big = await post(A(), 'mailSignatures:save', { name: 'Big', html: 'x'.repeat(100 * 1024 + 1) }, 400);
      expect(big.errors[0]).toEqual({ message: 'The signature is too large (at most 100 KB)', field: 'html' });
      expect(fieldError(await post(A(), 'mailSignatures:save', { name: 'Obj', html: { a: 1 } }, 400))).toBe('html');
      expect(fieldError(await post(A(), 'mailSignatures:save', { name: 'Flag', isDefault: 'maybe' }, 400))).toBe('isDefault');
      // Exactly at the cap is fine.
      const edge = (await post(A(), 'mailSignatures:save', { name: 'Edge', html: 'x'.repeat(100 * 1024) })).data;
      await post(A(), `mailSignatures:remove?filterByTk=${edge.id}`, {});
      // Messages follow the request's language.
      const zh = await A().post('/api/mailSignatures:save').set('X-Locale', 'zh-CN').send({ name: '' });
      expect(zh.body.errors[0].message).toBe('请输入名称');
    });
  });

  describe('templates', () => {
    it('creates, updates, lists and deletes; the name is unique per user whatever its case', async () => {
      const offer = (await post(A(), 'mailTemplates:save', { name: 'Offer', subject: 'Our offer\r\nfor you', html: '<p>Dear customer</p>' })).data;
      expect(offer).toEqual({ id: expect.any(Number), name: 'Offer', subject: 'Our offer for you', html: '<p>Dear customer</p>' });
      const clash = await post(A(), 'mailTemplates:save', { name: ' OFFER ', html: '' }, 400);
      expect(clash.errors[0]).toEqual({ message: 'A template named "OFFER" already exists', field: 'name' });
      // Another user may use the same name.
      const theirs = (await post(as.memberB, 'mailTemplates:save', { name: 'offer' })).data;
      expect(theirs).toMatchObject({ name: 'offer', subject: '', html: '' });

      const followUp = (await post(A(), 'mailTemplates:save', { name: 'follow-up' })).data;
      // Renaming to its own name in another case is no clash.
      expect((await post(A(), 'mailTemplates:save', { id: offer.id, name: 'OFFER', subject: '', html: '<p>v2</p>' })).data).toEqual({
        id: offer.id,
        name: 'OFFER',
        subject: '',
        html: '<p>v2</p>',
      });
      expect(fieldError(await post(A(), 'mailTemplates:save', { id: followUp.id, name: 'offer' }, 400))).toBe('name');
      expect((await get(A(), 'mailTemplates:listOwn')).data.map((t: any) => t.name)).toEqual(['follow-up', 'OFFER']);

      await post(A(), `mailTemplates:remove?filterByTk=${followUp.id}`, {});
      expect((await get(A(), 'mailTemplates:listOwn')).data.map((t: any) => t.id)).toEqual([offer.id]);
      await post(as.memberB, `mailTemplates:remove?filterByTk=${theirs.id}`, {});
    });

    it("are personal: another user's template is not found and never listed", async () => {
      const mine = (await post(A(), 'mailTemplates:save', { name: 'Mine only', html: '<p>x</p>' })).data;
      for (const other of [as.memberB, as.admin, as.root]) {
        expect((await get(other, 'mailTemplates:listOwn')).data.map((t: any) => t.id)).not.toContain(mine.id);
        expect(fieldError(await post(other, 'mailTemplates:save', { id: mine.id, name: 'Stolen' }, 404))).toBe('id');
        await post(other, `mailTemplates:remove?filterByTk=${mine.id}`, {}, 404);
      }
      expect((await app.db.getRepository('mailTemplates').findOne({ filterByTk: mine.id })).get('name')).toBe('Mine only');
    });

    it('refuses bad input with 400 and the field', async () => {
      expect(fieldError(await post(A(), 'mailTemplates:save', {}, 400))).toBe('name');
      expect(fieldError(await post(A(), 'mailTemplates:save', { name: 'S', subject: 's'.repeat(501) }, 400))).toBe('subject');
      expect(fieldError(await post(A(), 'mailTemplates:save', { name: 'S', subject: 42 }, 400))).toBe('subject');
      expect(fieldError(await post(A(), 'mailTemplates:save', { name: 'Big', html: 'x'.repeat(1024 * 1024 + 1) }, 400))).toBe('html');
    });
  });

  describe('auto-save setting', () => {
    it('is off by default, remembered, and per user', async () => {
      expect(await get(A(), 'mailComposeSettings:read')).toEqual({ data: { autoSave: false } });
      expect(await post(A(), 'mailComposeSettings:set', { autoSave: true })).toEqual({ data: { autoSave: true } });
      expect(await get(A(), 'mailComposeSettings:read')).toEqual({ data: { autoSave: true } });
      expect(await get(as.memberB, 'mailComposeSettings:read')).toEqual({ data: { autoSave: false } });
      expect(fieldError(await post(A(), 'mailComposeSettings:set', { autoSave: 'yes' }, 400))).toBe('autoSave');
      expect(fieldError(await post(A(), 'mailComposeSettings:set', {}, 400))).toBe('autoSave');
      expect(await post(A(), 'mailComposeSettings:set', { autoSave: false })).toEqual({ data: { autoSave: false } });
      expect(await app.db.getRepository('mailComposeSettings').count({ filter: { userId: as.users.memberA.get('id') } })).toBe(1);
    });
  });

  it('anonymous requests get 401 and a role without the snippet 403, on every action', async () => {
    const calls = [
      (a: any) => a.get('/api/mailSignatures:listOwn'),
      (a: any) => a.get('/api/mailSignatures:defaultFor').query({ accountId: accountA }),
      (a: any) => a.post('/api/mailSignatures:save').send({ name: 'x' }),
      (a: any) => a.post('/api/mailSignatures:remove?filterByTk=1').send({}),
      (a: any) => a.get('/api/mailTemplates:listOwn'),
      (a: any) => a.post('/api/mailTemplates:save').send({ name: 'x' }),
      (a: any) => a.post('/api/mailTemplates:remove?filterByTk=1').send({}),
      (a: any) => a.get('/api/mailComposeSettings:read'),
      (a: any) => a.post('/api/mailComposeSettings:set').send({ autoSave: true }),
    ];
    for (const call of calls) {
      expect((await call(as.anonymous)).status).toBe(401);
      expect((await call(noMail)).status).toBe(403);
    }
    // NocoBase's generic actions stay closed on these tables.
    for (const resource of ['mailSignatures', 'mailTemplates', 'mailComposeSettings']) {
      expect((await as.root.get(`/api/${resource}:list`)).status).toBe(403);
    }
    expect(await app.db.getRepository('mailSignatures').count({ filter: { name: 'x' } })).toBe(0);
  });
});
