/**
 * What both emulators share: independent instances, fault queue semantics, the request log,
 * the consent form, plain-HTTP protocol details the SDK tests do not reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator, type GoogleEmulator } from '../../dev/emulators';
import { Faults } from '../../dev/emulators/shared/faults';
import { createPkce } from '../../src/server/oauth/state';
import { GmailProvider } from '../../src/server/providers/gmail/gmail-provider';
import { TokenRejectedError } from '../../src/server/providers/types';

const CLIENT = { clientId: 'shared-client', clientSecret: 'shared-secret', redirectUri: 'http://app.test/cb' };

let a: GoogleEmulator;
let b: GoogleEmulator;

beforeAll(async () => {
  [a, b] = await Promise.all([startGoogleEmulator(), startGoogleEmulator()]);
  for (const emulator of [a, b]) emulator.addClient(CLIENT);
  a.addUser({ email: 'Ada@Gmail.test' });
});

afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

function authUrl(emulator: GoogleEmulator) {
  Object.assign(process.env, emulator.env);
  return new GmailProvider(CLIENT).authUrl({ state: 's', codeChallenge: createPkce().codeChallenge });
}

describe('emulator instances', () => {
  it('are independent: own port, users, tokens and log', async () => {
    expect(a.url).not.toBe(b.url);
    expect([...a.users.keys()]).toEqual(['ada@gmail.test']);
    expect(b.users.size).toBe(0);
    await expect(b.consent(await authUrl(b), { email: 'ada@gmail.test', decision: 'allow' })).rejects.toThrow(/Couldn't find your Google Account/);
    const pkce = createPkce();
    Object.assign(process.env, a.env);
    const url = await new GmailProvider(CLIENT).authUrl({ state: 's', codeChallenge: pkce.codeChallenge });
    const code = new URL(await a.consent(url, { email: 'ada@gmail.test', decision: 'allow' })).searchParams.get('code')!;
    const { tokens } = await new GmailProvider(CLIENT).exchangeCode(code, pkce.codeVerifier);
    Object.assign(process.env, b.env);
    await expect(new GmailProvider(CLIENT).profile(tokens)).rejects.toBeInstanceOf(TokenRejectedError);
    expect(a.requests.some((r) => r.path === '/token')).toBe(true);
    expect(b.requests.some((r) => r.path === '/token')).toBe(false);
  });

  it('listens on a given port', async () => {
    const probe = await startGoogleEmulator();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const fixed = await startGoogleEmulator({ port });
    expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
    await fixed.close();
  });
});

describe('consent form', () => {
  it('can be submitted once; an unknown typed address is refused', async () => {
    const page = await (await fetch(await authUrl(a))).text();
    const requestId = /name="request" value="([^"]+)"/.exec(page)![1];
    const post = (fields: Record<string, string>) =>
      fetch(`${a.url}/o/oauth2/v2/auth/decision`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
    const first = await post({ request: requestId, account: '', account_other: 'ADA@gmail.test', decision: 'allow' });
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const again = await post({ request: requestId, account: 'ada@gmail.test', decision: 'allow' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('expired or was already used');
  });
});

describe('faults', () => {
  it('are consumed in order, filtered by server, method and path', () => {
    const faults = new Faults();
    const first = faults.add({ path: /^\/x/, status: 500 });
    const second = faults.add({ method: 'POST', path: '/x', status: 503, times: 2 });
    const graphOnly = faults.add({ server: 'graph', path: '/y', status: 429 });
    expect(faults.take('google', 'POST', '/y')).toBeUndefined();
    expect(faults.take('google', 'POST', '/x')).toBe(first);
    expect(faults.take('google', 'GET', '/x')).toBeUndefined();
    expect(faults.take('google', 'POST', '/x')).toBe(second);
    expect(faults.take('google', 'POST', '/x')).toBe(second);
    expect(faults.take('google', 'POST', '/x')).toBeUndefined();
    expect(faults.take('graph', 'GET', '/y')).toBe(graphOnly);
    expect([first.hits, second.hits, graphOnly.hits]).toEqual([1, 2, 1]);
    expect(faults.pending).toEqual([]);
  });

  it('answer in the provider error shape when no body is given', async () => {
    a.faults.add({ path: '/gmail/v1/users/me/profile', status: 429 });
    const res = await fetch(`${a.url}/gmail/v1/users/me/profile`);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded' }] } });
    const entry = a.requests[a.requests.length - 1];
    expect(entry).toMatchObject({ path: '/gmail/v1/users/me/profile', status: 429, fault: true });
  });
});

describe('Google protocol details', () => {
  const token = (fields: Record<string, string>) =>
    fetch(`${a.url}/token`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, ...fields }) });

  it('token endpoint errors', async () => {
    expect(await (await token({ grant_type: 'refresh_token', refresh_token: 'nope' })).json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    const unknownClient = await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'who' });
    expect(unknownClient.status).toBe(401);
    expect((await unknownClient.json()).error).toBe('invalid_client');
    expect((await (await token({ grant_type: 'password' })).json()).error).toBe('unsupported_grant_type');
  });

  it('unknown paths get Google 404 page; revoke of an unknown token is 400 invalid_token', async () => {
    const res = await fetch(`${a.url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('That’s an error.');
    const revoke = await fetch(`${a.url}/revoke?token=unknown`, { method: 'POST' });
    expect(revoke.status).toBe(400);
    expect((await revoke.json()).error).toBe('invalid_token');
  });
});
