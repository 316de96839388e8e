/** The settings API (S-CONF-*) on a running app, and the actions it registers against src/shared's route tables. */
import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/server/constants';
import { agents, createApp } from '../helpers/app';
import { ALL_ROUTES } from '../helpers/route-tables';

const GOOGLE_ID = '1234-abc.apps.googleusercontent.com';
const GOOGLE_SECRET = 'GOCSPX-google-secret-value-123';
const MS_ID = '6f1c2a4e-8b1d-4c3e-9a7f-2d5b8e0c1f3a';
const MS_SECRET = 'Abc8Q~microsoft-secret-value-xyz';

describe('provider settings API', () => {
  let app: MockServer;
  let as: Awaited<ReturnType<typeof agents>>;

  beforeAll(async () => {
    app = await createApp();
    as = await agents(app);
  });
  afterAll(async () => app?.destroy());
  beforeEach(async () => {
    await app.db.getRepository('mailSettings').update({
      filter: { id: { $gt: 0 } },
      values: {
        googleClientId: null,
        googleClientSecret: null,
        microsoftClientId: null,
        microsoftClientSecret: null,
        microsoftTenant: 'common',
        syncInterval: 5,
        massSendInterval: 2000,
        viewByDepartment: false,
      },
    });
  });

  const save = (values: Record<string, unknown>, agent = as.admin) => agent.resource('mailSettings').set({ values });
  const read = (agent = as.admin) => agent.resource('mailSettings').read();

  it('registers exactly the actions of the route tables in src/shared', () => {
    const own = new Set<string>(Object.values(COLLECTIONS));
    const registered = [...app.resourceManager.getRegisteredHandlers().keys()].filter((name) => own.has(name.split(':')[0]) && name.includes(':'));
    expect(registered.sort()).toEqual(ALL_ROUTES);
  });

  it('returns the defaults and the redirect URI', async () => {
    const res = await read();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      googleClientId: '',
      googleClientSecretSet: false,
      googleConfigured: false,
      microsoftClientId: '',
      microsoftTenant: 'common',
      microsoftConfigured: false,
      syncInterval: 5,
      massSendInterval: 2000,
    });
    expect(res.body.data.redirectUri).toMatch(/^https?:\/\/[^/]+\/admin\/settings\/mail\/oauth2$/);
  });

  it('saves both providers and reports secrets only as set', async () => {
    const res = await save({
      googleClientId: GOOGLE_ID,
      googleClientSecret: GOOGLE_SECRET,
      microsoftClientId: MS_ID,
      microsoftClientSecret: MS_SECRET,
      microsoftTenant: 'contoso.onmicrosoft.com',
      syncInterval: 15,
      massSendInterval: 500,
    });
    expect(res.status).toBe(200);
    const view = (await read()).body.data;
    expect(view).toMatchObject({
      googleClientId: GOOGLE_ID,
      googleClientSecretSet: true,
      googleConfigured: true,
      microsoftClientId: MS_ID,
      microsoftClientSecretSet: true,
      microsoftConfigured: true,
      microsoftTenant: 'contoso.onmicrosoft.com',
      syncInterval: 15,
      massSendInterval: 500,
    });
    expect(JSON.stringify(view)).not.toContain(GOOGLE_SECRET);
  });

  it('keeps a stored secret when the field is left out or empty, and clears it with null', async () => {
    await save({ googleClientId: GOOGLE_ID, googleClientSecret: GOOGLE_SECRET });
    await save({ googleClientSecret: '', syncInterval: 10 });
    expect((await read()).body.data.googleClientSecretSet).toBe(true);
    await save({ googleClientId: '', googleClientSecret: null });
    expect((await read()).body.data).toMatchObject({ googleClientSecretSet: false, googleConfigured: false });
  });

  it('stores secrets encrypted, not as plaintext', async () => {
    await save({ googleClientId: GOOGLE_ID, googleClientSecret: GOOGLE_SECRET, microsoftClientId: MS_ID, microsoftClientSecret: MS_SECRET });
    // raw: the column values as the database holds them, past every model getter.
    const rows = await app.db.getCollection('mailSettings').model.findAll({ raw: true });
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(GOOGLE_SECRET);
    expect(dump).not.toContain(MS_SECRET);
    const row: any = (rows as any[])[0];
    const stored = row.googleClientSecret ?? row.google_client_secret;
    expect(stored).toMatch(/^enc:v1:[0-9a-f]+$/);
    // …and the provider layer gets the real value back.
    const plugin: any = app.pm.get('email-manager');
    expect(await plugin.settings.credentials('google')).toEqual({ clientId: GOOGLE_ID, clientSecret: GOOGLE_SECRET });
    expect(await plugin.settings.credentials('microsoft')).toEqual({ clientId: MS_ID, clientSecret: MS_SECRET, tenant: 'common' });
  });

  it.each([
    [{ syncInterval: 0 }, 'syncInterval'],
    [{ syncInterval: 1441 }, 'syncInterval'],
    [{ syncInterval: 2.5 }, 'syncInterval'],
    [{ syncInterval: '5' }, 'syncInterval'],
    [{ massSendInterval: -1 }, 'massSendInterval'],
    [{ massSendInterval: 600001 }, 'massSendInterval'],
    [{ googleClientId: 42 }, 'googleClientId'],
    [{ microsoftClientId: 'not-a-guid' }, 'microsoftClientId'],
    [{ microsoftTenant: 'bad tenant!' }, 'microsoftTenant'],
    [{ googleClientSecret: 'secret-without-id' }, 'googleClientSecret'],
    [{ microsoftClientSecret: 'secret-without-id' }, 'microsoftClientSecret'],
    [{ somethingElse: true }, 'somethingElse'],
    [{ viewByDepartment: 'yes' }, 'viewByDepartment'],
  ])('rejects %j with 400 naming %s and saves nothing', async (values, field) => {
    const res = await save({ ...values, syncInterval: (values as any).syncInterval ?? 30 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    const message = res.body.errors.find((e: any) => e.field === field).message;
    expect(message.length).toBeGreaterThan(5);
    expect((await read()).body.data.syncInterval).toBe(5);
  });

  it('switches department view (S-ACL-6) on and off while the Departments plugin is there', async () => {
    expect((await read()).body.data).toMatchObject({ viewByDepartment: false, departmentsAvailable: true });
    expect((await save({ viewByDepartment: true })).status).toBe(200);
    expect((await read()).body.data.viewByDepartment).toBe(true);
    expect((await save({ viewByDepartment: true }, as.memberA)).status).toBe(403);
    expect((await save({ viewByDepartment: false })).status).toBe(200);
    expect((await read()).body.data.viewByDepartment).toBe(false);
  });

  it('rejects a body that is not an object', async () => {
    const res = await as.admin.post('/api/mailSettings:set').send([1, 2]);
    expect(res.status).toBe(400);
  });

  it('translates messages into the request locale', async () => {
    const res = await as.admin.post('/api/mailSettings:set').set('X-Locale', 'zh-CN').send({ syncInterval: 0 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('lets admin and root in, keeps members and anonymous out', async () => {
    expect((await read(as.root)).status).toBe(200);
    expect((await read(as.admin)).status).toBe(200);
    expect((await read(as.memberA)).status).toBe(403);
    expect((await save({ syncInterval: 9 }, as.memberA)).status).toBe(403);
    expect([401, 403]).toContain((await read(as.anonymous)).status);
    expect([401, 403]).toContain((await save({ syncInterval: 9 }, as.anonymous)).status);
    expect((await read()).body.data.syncInterval).toBe(5);
  });

  it('serves none of its collections through the generic data API', async () => {
    await save({ googleClientId: GOOGLE_ID, googleClientSecret: GOOGLE_SECRET });
    for (const agent of [as.root, as.admin, as.memberA, as.anonymous]) {
      for (const [resource, action] of [
        ['mailSettings', 'list'],
        ['mailSettings', 'get'],
        ['mailAccounts', 'list'],
        ['mailSettings', 'destroy'],
        ['mailAccounts', 'get'],
        ['mailAccounts', 'create'],
        ['mailOAuthRequests', 'list'],
        ['mailMessages', 'list'],
        ['mailAttachments', 'list'],
        ['mailSyncLogs', 'list'],
      ]) {
        const res = await agent.resource(resource)[action]();
        expect([401, 403]).toContain(res.status);
        expect(JSON.stringify(res.body ?? '')).not.toContain('enc:v1:');
      }
    }
  });

  it('never returns or logs a secret, for any role', async () => {
    const seen: string[] = [];
    const capture = (logger: any) => {
      for (const level of ['info', 'warn', 'error', 'debug', 'trace', 'log']) {
        const original = logger[level]?.bind(logger);
        if (!original) continue;
        logger[level] = (...args: any[]) => {
          seen.push(JSON.stringify(args));
          return original(...args);
        };
      }
    };
    capture(app.requestLogger);
    capture(app.log);
    const responses: unknown[] = [];
    for (const agent of [as.root, as.admin, as.memberA, as.anonymous]) {
      responses.push((await save({ googleClientId: GOOGLE_ID, googleClientSecret: GOOGLE_SECRET, microsoftClientId: MS_ID, microsoftClientSecret: MS_SECRET }, agent)).body);
      responses.push((await save({ googleClientSecret: GOOGLE_SECRET, syncInterval: 0 }, agent)).body);
      responses.push((await read(agent)).body);
    }
    const all = JSON.stringify(responses);
    expect(all).not.toContain(GOOGLE_SECRET);
    expect(all).not.toContain(MS_SECRET);
    expect(all).not.toContain('enc:v1:');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).not.toContain(GOOGLE_SECRET);
    expect(seen.join('\n')).not.toContain(MS_SECRET);
  });

  it('asks accounts to reauthorize when the client ID changes and marks them failed when credentials are removed', async () => {
    const accounts = app.db.getRepository('mailAccounts');
    await save({ googleClientId: GOOGLE_ID, googleClientSecret: GOOGLE_SECRET, microsoftClientId: MS_ID, microsoftClientSecret: MS_SECRET });
    const gmail = await accounts.create({ values: { userId: as.users.memberA.id, provider: 'gmail', email: 'a@gmail.example' } });
    const outlook = await accounts.create({ values: { userId: as.users.memberA.id, provider: 'outlook', email: 'a@outlook.example' } });
    await save({ googleClientId: 'other.apps.googleusercontent.com' });
    expect((await accounts.findOne({ filterByTk: gmail.id })).get('status')).toBe('reauthorize');
    expect((await accounts.findOne({ filterByTk: outlook.id })).get('status')).toBe('connected');
    await save({ microsoftClientId: '', microsoftClientSecret: null });
    expect((await accounts.findOne({ filterByTk: outlook.id })).get('status')).toBe('error');
    await accounts.destroy({ filter: { id: { $gt: 0 } } });
  });
});
