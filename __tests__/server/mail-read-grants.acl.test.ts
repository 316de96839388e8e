/** Who may read other users' mail, through the Email blocks and NocoBase's generic paths (S-ACL-*). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MAIL_SNIPPET, COLLECTIONS, USER_SNIPPET } from '../../src/server/constants';
import { createUser } from '../helpers/app';
import { BEN, giveScopedView, grantAllMail, idsOf, readGrantsWorld, ReadGrantsWorld } from '../helpers/read-grants-world';

/**
 * Reading other users' mail needs an explicit grant (S-ACL-3/4/7, S-ACL-10): a role whose general
 * strategy allows every action on every collection reads only its own mail in the Email blocks
 * and cannot read the plugin's tables through any of NocoBase's generic paths; the
 * email-manager.all-mail snippet shows other users' sent and received mail (never their drafts,
 * scheduled mail or Bcc), in single-role and union-role mode alike.
 */
describe('who can read whose mail', () => {
  let w: ReadGrantsWorld;
  let power: any;
  let annIds: number[];
  let benReceivedAndSent: number[];
  const block = (agent: any, params: Record<string, unknown> = {}) => agent.get('/api/mailMessages:blockList').query({ pageSize: 200, ...params });
  const details = (agent: any, id: number) => agent.get('/api/mailMessages:blockGet').query({ filterByTk: id });
  const idsWhere = async (where: Record<string, unknown>) =>
    ((await w.app.db.getCollection('mailMessages').model.findAll({ attributes: ['id'], where, raw: true })) as any[]).map((r) => Number(r.id)).sort((a, b) => a - b);

  beforeAll(async () => {
    w = await readGrantsWorld('read-grants');
    // "Everything on every collection", interface configuration and the plugin settings: still no grant to others' mail.
    await w.app.db.getRepository('roles').create({
      values: {
        name: 'power',
        title: 'Power user',
        allowConfigure: true,
        snippets: ['ui.*', 'pm', 'pm.*'],
        strategy: { actions: ['create', 'view', 'update', 'destroy', 'export', 'importXlsx'] },
      },
    });
    power = await w.app.agent().login(await createUser(w.app, 'power-user', ['power']), 'power');
    annIds = await idsWhere({ accountId: w.annAccount });
    benReceivedAndSent = await idsWhere({ accountId: w.benAccount, draft: false });
    expect(annIds).toHaveLength(2);
    expect(benReceivedAndSent).toHaveLength(2);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('a role whose general strategy allows everything sees only its own mail in the blocks', async () => {
    const all = await block(power, { scope: 'all' });
    expect(all.status).toBe(200);
    expect(all.body.meta).toMatchObject({ count: 0, scope: 'mine' });
    for (const id of [...annIds, ...benReceivedAndSent, w.benDraft]) expect((await details(power, id)).status).toBe(404);
  });

  it('the all-mail grant shows others\' sent and received mail, never their drafts, scheduled mail or Bcc', async () => {
    for (const who of ['admin', 'root'] as const) {
      const all = await block(w.as[who], { scope: 'all' });
      expect(idsOf(all), who).toEqual([...annIds, ...benReceivedAndSent].sort((a, b) => a - b));
      expect(all.body.data.every((r: any) => r.readOnly && r.bcc.length === 0 && !r.draft)).toBe(true);
      for (const id of [w.benDraft, w.benScheduled]) expect((await details(w.as[who], id)).status).toBe(404);
      const sentId = (await idsWhere({ accountId: w.benAccount, box: 'sent' }))[0];
      const sent = await details(w.as[who], sentId);
      expect(sent.body.data).toMatchObject({ subject: `From ${BEN}`, bcc: [], readOnly: true });
      // A Bcc filter finds nothing the caller may not read back.
      expect((await block(w.as[who], { scope: 'all', filter: JSON.stringify({ subject: { $includes: 'Ben draft' } }) })).body.meta.count).toBe(0);
    }
    // The owner still sees all of it, Bcc included.
    const own = await block(w.as.memberB, { scope: 'all' });
    expect(idsOf(own)).toEqual([...benReceivedAndSent, w.benDraft, w.benScheduled].sort((a, b) => a - b));
    expect(own.body.data.find((r: any) => r.subject === `From ${BEN}`).bcc).toMatchObject([{ address: 'secret-3@bcc.test' }]);
    expect((await details(w.as.memberB, w.benDraft)).body.data).toMatchObject({ draft: true, bcc: [{ address: 'hidden@bcc.test' }] });
  });

  it('a role given the grant sees all mail within its data scope; in union-role mode too', async () => {
    await w.app.db.getRepository('roles').create({ values: { name: 'auditor', title: 'Auditor' } });
    await grantAllMail(w.app, 'auditor');
    const auditor = await w.app.agent().login(await createUser(w.app, 'auditor-user', ['auditor']), 'auditor');
    expect(idsOf(await block(auditor, { scope: 'all' }))).toEqual([...annIds, ...benReceivedAndSent].sort((a, b) => a - b));

    // Narrowed by its own View on mailMessages (here: received mail only).
    await giveScopedView(w.app, 'auditor', 'inbox', { box: { $eq: 'inbox' } });
    const inbox = await idsWhere({ box: 'inbox' });
    expect(idsOf(await block(auditor, { scope: 'all' }))).toEqual(inbox);

    // Ann, a member, also given the auditor role: in union mode she sees her own mail plus the auditor's view.
    await w.app.db.getRepository('users').update({ filterByTk: w.as.users.memberA.get('id'), values: { roles: ['member', 'auditor'] } });
    await w.app.db.getRepository('systemSettings').update({ filterByTk: (await w.app.db.getRepository('systemSettings').findOne())!.get('id') as number, values: { roleMode: 'allow-use-union' } });
    await w.app.cache.del('app:systemSettings');
    const union = (params: Record<string, unknown>) => block(w.as.memberA, params).set('X-Role', '__union__');
    const seen = await union({ scope: 'all' });
    expect(seen.status).toBe(200);
    expect(idsOf(seen)).toEqual([...new Set([...annIds, ...inbox])].sort((a, b) => a - b));
    expect(seen.body.data.filter((r: any) => !r.readOnly).map((r: any) => r.id).sort((a: number, b: number) => a - b)).toEqual(annIds);
    // As "member" alone she is back to her own.
    expect(idsOf(await block(w.as.memberA, { scope: 'all' }).set('X-Role', 'member'))).toEqual(annIds);
    // And the grant taken away: the union sees her own mail only.
    await grantAllMail(w.app, 'auditor', false);
    expect(idsOf(await union({ scope: 'all' }))).toEqual(annIds);
  });

  describe('no role reads the plugin\'s tables through NocoBase\'s generic paths', () => {
    const tables = Object.values(COLLECTIONS);
    const who = () => ({ power, admin: w.as.admin, root: w.as.root, member: w.as.memberA });

    it('collection actions: list, get, query, export, also through the main data source header', async () => {
      for (const [name, agent] of Object.entries(who())) {
        for (const table of tables) {
          for (const call of [
            () => agent.get(`/api/${table}:list`),
            () => agent.get(`/api/${table}:get`).query({ filterByTk: 1 }),
            () => agent.get(`/api/${table}:list`).set('X-Data-Source', 'main'),
            () => agent.post(`/api/${table}:query`).send({ measures: [{ field: 'id', aggregation: 'count', alias: 'n' }] }),
            () => agent.post(`/api/${table}:export`).send({ columns: [{ dataIndex: ['id'], title: 'id' }] }),
          ]) {
            expect((await call()).status, `${name} ${table}`).toBe(403);
          }
        }
      }
    });

    it('associations into the tables (an administrator may add one) are closed, the rest of users stays open', async () => {
      w.app.db.getCollection('users').setField('linkedMailAccounts', { type: 'hasMany', target: 'mailAccounts', foreignKey: 'userId', sourceKey: 'id' });
      const annId = w.as.users.memberA.get('id');
      for (const [name, agent] of Object.entries({ power, admin: w.as.admin, root: w.as.root })) {
        expect((await agent.get(`/api/users/${annId}/linkedMailAccounts:list`)).status, name).toBe(403);
        expect((await agent.get('/api/users:list').query({ appends: ['linkedMailAccounts'] })).status, name).toBe(403);
        expect((await agent.get('/api/users:list').query({ filter: JSON.stringify({ 'linkedMailAccounts.email': { $includes: 'ann' } }) })).status, name).toBe(403);
        expect((await agent.get('/api/users:list').query({ filter: JSON.stringify({ linkedMailAccounts: { email: { $includes: 'ann' } } }) })).status, name).toBe(403);
        expect((await agent.get('/api/users:list').query({ sort: ['-linkedMailAccounts.email'] })).status, name).toBe(403);
        expect((await agent.get('/api/users:list')).status, name).toBe(200);
      }
      w.app.db.getCollection('users').removeField('linkedMailAccounts');
    });

    it('charts (data-visualization): charts:queryData on a mail table is refused, on users it answers', async () => {
      const query = (collection: string) => ({ collection, measures: [{ field: ['id'], aggregation: 'count', alias: 'n' }], dimensions: [{ field: ['id'] }] });
      for (const [name, agent] of Object.entries(who())) {
        for (const table of [COLLECTIONS.messages, COLLECTIONS.accounts, COLLECTIONS.participants]) {
          const refused = await agent.post('/api/charts:queryData').send(query(table));
          expect(refused.status, `${name} ${table}`).toBe(403);
          // Refused by the plugin, not by a missing action or NocoBase's own ACL.
          expect(JSON.stringify(refused.body)).toContain('email tables');
          expect((await agent.post('/api/charts:queryData').send({ ...query(table), dataSource: 'main' })).status, `${name} ${table}`).toBe(403);
        }
      }
      const users = await w.as.admin.post('/api/charts:queryData').send(query('users'));
      expect(users.status, JSON.stringify(users.body)).toBe(200);
    });

    it('custom aggregate variables (custom-variables) cannot count or sum a mail table', async () => {
      const variable = (name: string, collection: string) => ({ name, title: name, label: name, declaredAt: `test-${name}`, type: 'aggregate', options: { collection, aggregator: 'count', params: { field: 'id', filter: {} } } });
      for (const [name, agent] of Object.entries(who())) {
        expect((await agent.post('/api/customVariables:create').send(variable(`n_${name}`, 'mailMessages'))).status, name).toBe(403);
        expect((await agent.post('/api/customVariables:create').send(variable(`m_${name}`, 'main:mailAccounts'))).status, name).toBe(403);
      }
      // One made before (or straight in the database) is refused when parsed.
      await w.app.db.getRepository('customVariables').create({ values: variable('mailCount', 'mailMessages') });
      await w.app.db.getRepository('customVariables').create({ values: variable('userCount', 'users') });
      for (const [name, agent] of Object.entries(who())) {
        expect((await agent.post('/api/customVariables:parse?name=mailCount').send({})).status, name).toBe(403);
      }
      const users = await w.as.memberA.post('/api/customVariables:parse?name=userCount').send({});
      expect(users.status, JSON.stringify(users.body)).toBe(200);
    });

    it('record variables (flow engine variables:resolve) do not load a mail record', async () => {
      const resolve = (agent: any, collection: string, filterByTk: number, template: Record<string, string>) =>
        agent.post('/api/variables:resolve').send({ values: { template, contextParams: { record: { collection, filterByTk } } } });
      for (const [name, agent] of Object.entries(who())) {
        expect((await resolve(agent, 'mailMessages', benReceivedAndSent[1], { s: '{{ ctx.record.subject }}' })).status, name).toBe(403);
        expect((await resolve(agent, 'mailAccounts', w.benAccount, { s: '{{ ctx.record.email }}' })).status, name).toBe(403);
        const batch = await agent.post('/api/variables:resolve').send({
          values: { batch: [{ id: 'a', template: { s: '{{ ctx.record.subject }}' }, contextParams: { record: { collection: 'mailMessages', filterByTk: annIds[0] } } }] },
        });
        expect(batch.status, name).toBe(403);
      }
      const user = await resolve(w.as.admin, 'users', Number(w.as.users.memberA.get('id')), { s: '{{ ctx.record.nickname }}' });
      expect(user.status, JSON.stringify(user.body)).toBe(200);
      expect(JSON.stringify(user.body)).toContain('member-a');
    });

    it('custom requests (action-custom-request) cannot carry a mail record', async () => {
      await w.app.db.getRepository('customRequests').create({ values: { key: 'echo', options: { url: 'http://127.0.0.1:9/echo', method: 'POST', data: { s: '{{currentRecord.subject}}' } } } });
      for (const [name, agent] of Object.entries(who())) {
        const res = await agent.post('/api/customRequests:send/echo').send({ currentRecord: { id: benReceivedAndSent[1] }, options: { collectionName: 'mailMessages' } });
        expect(res.status, name).toBe(403);
      }
      await w.app.db.getRepository('customRequests').create({ values: { key: 'mail', options: { url: 'http://127.0.0.1:9/echo', method: 'POST', collectionName: 'mailAccounts' } } });
      expect((await w.as.root.post('/api/customRequests:send/mail').send({ currentRecord: { id: w.benAccount } })).status).toBe(403);
    });

    it('AI employees\' data previews (ai) do not read a mail table', async () => {
      for (const [name, agent] of Object.entries(who())) {
        const preview = await agent.post('/api/aiContextDatasources:preview').send({ datasource: 'main', collectionName: 'mailAccounts', limit: 10 });
        expect(preview.status, name).toBe(403);
        expect((await agent.post('/api/aiContextDatasources:create').send({ title: 'mail', datasource: 'main', collectionName: 'mailMessages' })).status, name).toBe(403);
      }
      const users = await w.as.admin.post('/api/aiContextDatasources:preview').send({ datasource: 'main', collectionName: 'users', limit: 10 });
      expect(users.status, JSON.stringify(users.body)).toBe(200);
    });
  });

  it('the grant is not an ACL permission on the collection: it opens none of the generic paths', async () => {
    await w.app.db.getRepository('roles').create({ values: { name: 'reader', title: 'Reader', snippets: [USER_SNIPPET, ALL_MAIL_SNIPPET] } });
    for (const action of ['view', 'list', 'get', 'export', 'query']) {
      expect(w.app.acl.can({ roles: ['reader'], resource: 'mailMessages', action }), action).toBeFalsy();
    }
    const reader = await w.app.agent().login(await createUser(w.app, 'reader-user', ['reader']), 'reader');
    expect(idsOf(await block(reader, { scope: 'all' }))).toEqual([...annIds, ...benReceivedAndSent].sort((a, b) => a - b));
    expect((await reader.get('/api/mailMessages:list')).status).toBe(403);
    expect((await reader.post('/api/charts:queryData').send({ collection: 'mailMessages', measures: [{ field: ['id'], aggregation: 'count', alias: 'n' }] })).status).toBe(403);
  });
});
