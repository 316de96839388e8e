import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GOOGLE, Google, MICROSOFT, Microsoft } from '../helpers/mail';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * The connect flow end to end (S-CONN-1…6): a real NocoBase app with ACL on, real users, the
 * unmodified googleapis / msal-node / Graph SDKs talking to the local emulators.
 */
describe('connecting Gmail and Outlook accounts', () => {
  let w: MailWorld;
  let app: MockServer;
  let as: Agents;
  let google: Google;
  let microsoft: Microsoft;

  beforeAll(async () => {
    w = await mailWorld({
      google: true,
      microsoft: true,
      users: {
        google: [
          {
            email: 'ada@gmail.test',
            displayName: 'Ada Lovelace',
            aliases: [{ email: 'ada@work.test', displayName: 'Ada at work', verificationStatus: 'accepted' }, { email: 'pending@work.test', verificationStatus: 'pending' }],
          },
          { email: 'grace@gmail.test', displayName: 'Grace Hopper' },
          { email: 'nomail@gmail.test', hasMailbox: false },
        ],
        microsoft: [{ email: 'alan@outlook.test', displayName: 'Alan Turing' }],
      },
      // Each test configures the providers itself (beforeEach below).
      providers: false,
    });
    ({ app, as, google, microsoft } = w);
  });
  afterAll(() => w?.close());

  beforeEach(async () => {
    google.faults.clear?.();
    microsoft.faults.clear?.();
    await configure({ google: true, microsoft: true });
  });

  async function configure(which: { google: boolean; microsoft: boolean }) {
    const res = await as.root.resource('mailSettings').set({
      values: {
        googleClientId: which.google ? GOOGLE.clientId : '',
        googleClientSecret: which.google ? GOOGLE.clientSecret : null,
        microsoftClientId: which.microsoft ? MICROSOFT.clientId : '',
        microsoftClientSecret: which.microsoft ? MICROSOFT.clientSecret : null,
      },
    });
    expect(res.status).toBe(200);
  }

  const accountsOf = (agent: any) => agent.resource('mailAccounts').listOwn();

  /** authorize → the emulator's consent page → the return page's POST, as a browser would. */
  async function connect(agent: any, provider: 'gmail' | 'outlook', email: string, extra: Record<string, unknown> = {}) {
    const started = await agent.resource('mailAccounts').authorize({ values: { provider, ...extra } });
    expect(started.status).toBe(200);
    const emulator = provider === 'gmail' ? google : microsoft;
    const back = new URL(await emulator.consent(started.body.data.url, { email, decision: 'allow' }));
    expect(back.pathname).toBe('/admin/settings/mail/oauth2');
    return agent.resource('mailAccounts').complete({ values: Object.fromEntries(back.searchParams) });
  }

  async function removeAll() {
    for (const agent of [as.memberA, as.memberB]) {
      for (const account of (await accountsOf(agent)).body.data) {
        await agent.resource('mailAccounts').remove({ filterByTk: account.id });
      }
    }
  }

  describe('full flow', () => {
    beforeEach(removeAll);

    it('connects a Gmail account through googleapis, with its verified aliases and a default start date', async () => {
      google.clearRequests();
      const res = await connect(as.memberA, 'gmail', 'ada@gmail.test');
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ created: true, account: { provider: 'gmail', email: 'ada@gmail.test', status: 'connected' } });
      const list = (await accountsOf(as.memberA)).body.data;
      expect(list).toHaveLength(1);
      expect(list[0].displayName).toBe('Ada Lovelace');
      expect(list[0].aliases.map((a: any) => a.email).sort()).toEqual(['ada@gmail.test', 'ada@work.test']);
      const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
      expect(Math.abs(new Date(list[0].syncStartDate).getTime() - monthAgo)).toBeLessThan(5 * 60 * 1000);

      // The SDK made the calls: googleapis' user agent on the Gmail API, the token exchange with PKCE.
      const gmailCalls = google.requests.filter((r: any) => r.path.startsWith('/gmail/v1/'));
      expect(gmailCalls.length).toBeGreaterThan(0);
      for (const call of gmailCalls) expect(call.headers['user-agent']).toMatch(/google-api-nodejs-client/);
      expect(google.requests.some((r: any) => r.method === 'POST' && r.path === '/token')).toBe(true);
    });

    it('connects an Outlook account through msal-node and the Graph client, with the chosen start date', async () => {
      microsoft.clearRequests();
      const res = await connect(as.memberA, 'outlook', 'alan@outlook.test', { syncStartDate: '2026-01-15T00:00:00.000Z' });
      expect(res.status).toBe(200);
      expect(res.body.data.account).toMatchObject({ provider: 'outlook', email: 'alan@outlook.test', displayName: 'Alan Turing', status: 'connected' });
      expect(new Date(res.body.data.account.syncStartDate).toISOString()).toBe('2026-01-15T00:00:00.000Z');
      const graphCalls = microsoft.requests.filter((r: any) => r.path.startsWith('/v1.0/'));
      expect(graphCalls.length).toBeGreaterThan(0);
      for (const call of graphCalls) expect(call.headers.sdkversion).toMatch(/graph-js/);
      const tokenCall = microsoft.requests.find((r: any) => r.method === 'POST' && /\/oauth2\/v2.0\/token$/.test(r.path));
      expect(tokenCall).toBeTruthy();
      expect(JSON.stringify(tokenCall!.query)).toMatch(/client-request-id/);
    });

    it('stores tokens encrypted and never returns them', async () => {
      const res = await connect(as.memberA, 'gmail', 'ada@gmail.test');
      const issued = google.tokensOf('ada@gmail.test')!;
      const raw: any = await app.db.getCollection('mailAccounts').model.findByPk(res.body.data.account.id, { raw: true });
      expect(raw.credentials).toBeTruthy();
      expect(raw.credentials).not.toContain(issued.accessToken);
      expect(raw.credentials).not.toContain(issued.refreshToken);
      const bodies = [JSON.stringify(res.body), JSON.stringify((await accountsOf(as.memberA)).body)];
      for (const body of bodies) {
        expect(body).not.toContain(issued.accessToken);
        expect(body).not.toContain(issued.refreshToken);
        expect(body).not.toContain('credentials');
      }
    });

    it('relinking an address updates the same account; another user linking it gets a separate one', async () => {
      const first = await connect(as.memberA, 'gmail', 'ada@gmail.test');
      const again = await connect(as.memberA, 'gmail', 'ada@gmail.test');
      expect(again.status).toBe(200);
      expect(again.body.data).toMatchObject({ created: false });
      expect(again.body.data.account.id).toBe(first.body.data.account.id);
      expect((await accountsOf(as.memberA)).body.data).toHaveLength(1);

      const other = await connect(as.memberB, 'gmail', 'ada@gmail.test');
      expect(other.body.data.created).toBe(true);
      expect(other.body.data.account.id).not.toBe(first.body.data.account.id);
      expect((await accountsOf(as.memberB)).body.data.map((a: any) => a.id)).toEqual([other.body.data.account.id]);
      expect((await accountsOf(as.memberA)).body.data.map((a: any) => a.id)).toEqual([first.body.data.account.id]);
    });

    it('refuses a Google account without a Gmail mailbox', async () => {
      const res = await connect(as.memberA, 'gmail', 'nomail@gmail.test');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('This account has no Gmail mailbox');
      expect((await accountsOf(as.memberA)).body.data).toHaveLength(0);
    });
  });

  describe('bad input: a clear message and nothing stored', () => {
    beforeEach(removeAll);

    async function started(agent = as.memberA, provider: 'gmail' | 'outlook' = 'gmail') {
      const res = await agent.resource('mailAccounts').authorize({ values: { provider } });
      return new URL(res.body.data.url);
    }
    const complete = (values: Record<string, unknown>, agent = as.memberA) => agent.resource('mailAccounts').complete({ values });
    const expectNothingStored = async () => expect((await accountsOf(as.memberA)).body.data).toHaveLength(0);

    it('missing, forged and unknown state', async () => {
      for (const state of [undefined, '', 'x.y', 'A'.repeat(24) + '.' + 'B'.repeat(43)]) {
        const res = await complete({ code: 'some-code', ...(state === undefined ? {} : { state }) });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].message).toBe('The authorization link has expired');
      }
      const url = await started();
      const state = url.searchParams.get('state')!;
      const res = await complete({ code: 'some-code', state: state.slice(0, -2) + (state.endsWith('AA') ? 'BB' : 'AA') });
      expect(res.status).toBe(400);
      await expectNothingStored();
    });

    it('a replayed state is refused', async () => {
      const url = await started();
      const back = new URL(await google.consent(url.toString(), { email: 'ada@gmail.test', decision: 'allow' }));
      const values = Object.fromEntries(back.searchParams);
      expect((await complete(values)).status).toBe(200);
      const replay = await complete(values);
      expect(replay.status).toBe(400);
      expect(replay.body.errors[0].message).toBe('The authorization link has expired');
    });

    it("another user's state is refused and stays usable by its owner", async () => {
      const url = await started(as.memberA);
      const back = new URL(await google.consent(url.toString(), { email: 'ada@gmail.test', decision: 'allow' }));
      const values = Object.fromEntries(back.searchParams);
      const stolen = await complete(values, as.memberB);
      expect(stolen.status).toBe(403);
      expect((await accountsOf(as.memberB)).body.data).toHaveLength(0);
      expect((await complete(values, as.memberA)).status).toBe(200);
    });

    it('an expired state is refused', async () => {
      const url = await started();
      const back = new URL(await google.consent(url.toString(), { email: 'ada@gmail.test', decision: 'allow' }));
      await app.db.getRepository('mailOAuthRequests').update({
        filter: { userId: as.users.memberA.id },
        values: { expiresAt: new Date(Date.now() - 1000) },
      });
      const res = await complete(Object.fromEntries(back.searchParams));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('The authorization link has expired');
      await expectNothingStored();
    });

    it('consent cancelled at the provider (error=access_denied)', async () => {
      for (const provider of ['gmail', 'outlook'] as const) {
        const url = await started(as.memberA, provider);
        const emulator = provider === 'gmail' ? google : microsoft;
        const email = provider === 'gmail' ? 'ada@gmail.test' : 'alan@outlook.test';
        const back = new URL(await emulator.consent(url.toString(), { email, decision: 'deny' }));
        expect(back.searchParams.get('error')).toBe('access_denied');
        const res = await complete(Object.fromEntries(back.searchParams));
        expect(res.status).toBe(400);
        expect(res.body.errors[0].message).toBe('Authorization was cancelled');
        // Enough for the return page's "Try again", nothing secret.
        expect(res.body.errors[0]).toMatchObject({ field: 'access_denied', provider });
      }
      await expectNothingStored();
    });

    it('token endpoint down or failing: a clear message and nothing stored', async () => {
      for (const provider of ['gmail', 'outlook'] as const) {
        const emulator = provider === 'gmail' ? google : microsoft;
        const email = provider === 'gmail' ? 'ada@gmail.test' : 'alan@outlook.test';
        const url = await started(as.memberA, provider);
        const back = new URL(await emulator.consent(url.toString(), { email, decision: 'allow' }));
        emulator.faults.add({ method: 'POST', path: /token/, status: 503, times: 10 });
        const res = await complete(Object.fromEntries(back.searchParams));
        expect(res.status).toBe(502);
        expect(res.body.errors[0].message).toMatch(provider === 'gmail' ? /Cannot reach Google|Google is unavailable/ : /Cannot reach Microsoft|Microsoft is unavailable/);
        emulator.faults.clear();
      }
      await expectNothingStored();
    });

    it('an unconfigured provider is refused before anything starts', async () => {
      await configure({ google: false, microsoft: true });
      const pending = () => app.db.getRepository('mailOAuthRequests').count({ filter: { provider: 'gmail', userId: as.users.memberA.id } });
      const before = await pending();
      const res = await as.memberA.resource('mailAccounts').authorize({ values: { provider: 'gmail' } });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('Email is not configured yet. Ask your administrator.');
      const providers = (await as.memberA.resource('mailAccounts').providers()).body.data;
      expect(providers).toEqual({ gmail: false, outlook: true, imap: false });
      // IMAP has no consent page (its password is entered in a dialog): authorize refuses it.
      expect((await as.memberA.resource('mailAccounts').authorize({ values: { provider: 'imap' } })).status).toBe(400);
      expect(await pending()).toBe(before);
    });

    it('an unknown provider or a future start date is refused', async () => {
      const bad = await as.memberA.resource('mailAccounts').authorize({ values: { provider: 'yahoo' } });
      expect(bad.status).toBe(400);
      const future = await as.memberA.resource('mailAccounts').authorize({
        values: { provider: 'gmail', syncStartDate: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString() },
      });
      expect(future.status).toBe(400);
      expect(future.body.errors[0].message).toBe('The sync start date cannot be in the future');
    });
  });

  describe('tokens over the account lifetime', () => {
    beforeEach(removeAll);

    it('refreshes an expired access token before calling the provider', async () => {
      for (const [provider, email] of [['gmail', 'ada@gmail.test'], ['outlook', 'alan@outlook.test']] as const) {
        const account = (await connect(as.memberA, provider, email)).body.data.account;
        const emulator = provider === 'gmail' ? google : microsoft;
        emulator.expireAccessTokens(email);
        emulator.clearRequests();
        const res = await as.memberA.resource('mailAccounts').syncAliases({ filterByTk: account.id });
        expect(res.status).toBe(200);
        const refreshes = emulator.requests.filter((r: any) => r.method === 'POST' && /token/.test(r.path) && r.status === 200);
        expect(refreshes.length).toBeGreaterThanOrEqual(provider === 'gmail' ? 1 : 0);
        const listed = (await accountsOf(as.memberA)).body.data.find((a: any) => a.id === account.id);
        expect(listed.status).toBe('connected');
      }
    });

    it('invalid_grant sets the account to reauthorize; reauthorizing restores the same account', async () => {
      const account = (await connect(as.memberA, 'gmail', 'ada@gmail.test')).body.data.account;
      google.revokeGrant('ada@gmail.test');
      google.expireAccessTokens('ada@gmail.test');
      const failed = await as.memberA.resource('mailAccounts').syncAliases({ filterByTk: account.id });
      expect(failed.status).toBeGreaterThanOrEqual(400);
      let listed = (await accountsOf(as.memberA)).body.data[0];
      expect(listed.status).toBe('reauthorize');
      expect(listed.statusMessage).toBe('The email address {{email}} has an invalid grant. Please reauthorize your account.');

      // The same flow with the account id; the provider gets a login hint.
      const started = await as.memberA.resource('mailAccounts').authorize({ values: { accountId: account.id } });
      expect(new URL(started.body.data.url).searchParams.get('login_hint')).toBe('ada@gmail.test');
      const back = new URL(await google.consent(started.body.data.url, { email: 'ada@gmail.test', decision: 'allow' }));
      const done = await as.memberA.resource('mailAccounts').complete({ values: Object.fromEntries(back.searchParams) });
      expect(done.status).toBe(200);
      expect(done.body.data).toMatchObject({ reauthorized: true, account: { id: account.id, status: 'connected' } });
      listed = (await accountsOf(as.memberA)).body.data;
      expect(listed).toHaveLength(1);
      expect((await as.memberA.resource('mailAccounts').syncAliases({ filterByTk: account.id })).status).toBe(200);
    });

    it('reauthorizing an Outlook account sends its address as login hint and keeps the account', async () => {
      const account = (await connect(as.memberA, 'outlook', 'alan@outlook.test')).body.data.account;
      await app.db.getRepository('mailAccounts').update({ filterByTk: account.id, values: { status: 'reauthorize' } });
      const started = await as.memberA.resource('mailAccounts').authorize({ values: { accountId: account.id } });
      expect(new URL(started.body.data.url).searchParams.get('login_hint')).toBe('alan@outlook.test');
      const back = new URL(await microsoft.consent(started.body.data.url, { email: 'alan@outlook.test', decision: 'allow' }));
      const done = await as.memberA.resource('mailAccounts').complete({ values: Object.fromEntries(back.searchParams) });
      expect(done.body.data).toMatchObject({ reauthorized: true, account: { id: account.id, status: 'connected' } });
    });

    it('reauthorizing with a different address changes nothing', async () => {
      const account = (await connect(as.memberA, 'gmail', 'ada@gmail.test')).body.data.account;
      await app.db.getRepository('mailAccounts').update({ filterByTk: account.id, values: { status: 'reauthorize' } });
      const started = await as.memberA.resource('mailAccounts').authorize({ values: { accountId: account.id } });
      const back = new URL(await google.consent(started.body.data.url, { email: 'grace@gmail.test', decision: 'allow' }));
      const res = await as.memberA.resource('mailAccounts').complete({ values: Object.fromEntries(back.searchParams) });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('Account not found, the email address does not match the current user.');
      const listed = (await accountsOf(as.memberA)).body.data;
      expect(listed.map((a: any) => [a.email, a.status])).toEqual([['ada@gmail.test', 'reauthorize']]);
    });

    it('a user cannot reauthorize, sync aliases of or delete another user\'s account', async () => {
      const account = (await connect(as.memberA, 'gmail', 'ada@gmail.test')).body.data.account;
      expect((await as.memberB.resource('mailAccounts').authorize({ values: { accountId: account.id } })).status).toBe(404);
      expect((await as.memberB.resource('mailAccounts').syncAliases({ filterByTk: account.id })).status).toBe(404);
      expect((await as.memberB.resource('mailAccounts').remove({ filterByTk: account.id })).status).toBe(404);
      expect((await as.admin.resource('mailAccounts').remove({ filterByTk: account.id })).status).toBe(404);
      expect((await as.anonymous.resource('mailAccounts').listOwn()).status).toBe(401);
      expect((await as.anonymous.resource('mailAccounts').authorize({ values: { provider: 'gmail' } })).status).toBe(401);
      expect((await accountsOf(as.memberA)).body.data).toHaveLength(1);
    });

    it('delete removes every row of that account, revokes the Google token, and leaves the other user alone', async () => {
      const mine = (await connect(as.memberA, 'gmail', 'ada@gmail.test')).body.data.account;
      const theirs = (await connect(as.memberB, 'gmail', 'ada@gmail.test')).body.data.account;
      for (const accountId of [mine.id, theirs.id]) {
        const message = await app.db.getRepository('mailMessages').create({
          values: { accountId, providerMessageId: `m-${accountId}`, subject: 'Hello' },
        });
        await app.db.getRepository('mailAttachments').create({
          values: { accountId, messageId: message.get('id'), filename: 'a.txt', size: 1 },
        });
        await app.db.getRepository('mailSyncLogs').create({ values: { accountId, kind: 'initial' } });
      }
      google.clearRequests();
      const res = await as.memberA.resource('mailAccounts').remove({ filterByTk: mine.id });
      expect(res.status).toBe(200);
      expect(google.requests.some((r: any) => r.path === '/revoke')).toBe(true);
      for (const collection of ['mailMessages', 'mailAttachments', 'mailSyncLogs']) {
        expect(await app.db.getRepository(collection).count({ filter: { accountId: mine.id } })).toBe(0);
        expect(await app.db.getRepository(collection).count({ filter: { accountId: theirs.id } })).toBe(1);
      }
      expect((await accountsOf(as.memberA)).body.data).toHaveLength(0);
      expect((await accountsOf(as.memberB)).body.data).toHaveLength(1);
    });
  });
});
