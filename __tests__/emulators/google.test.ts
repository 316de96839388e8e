/**
 * The Google emulator driven through the real googleapis SDK and the plugin's GmailProvider:
 * the same calls the plugin makes against accounts.google.com, oauth2.googleapis.com and
 * gmail.googleapis.com.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGoogleEmulator, type GoogleEmulator } from '../../dev/emulators';
import { createPkce } from '../../src/server/oauth/state';
import { GmailProvider } from '../../src/server/providers/gmail/gmail-provider';
import {
  NoMailboxError,
  ProviderClientError,
  ProviderUnavailableError,
  ReauthorizeError,
  TokenRejectedError,
} from '../../src/server/providers/types';

const CLIENT = { clientId: 'gmail-client.apps.googleusercontent.test', clientSecret: 'GOCSPX-secret', redirectUri: 'http://app.test/callback' };

let google: GoogleEmulator;
const provider = () => new GmailProvider(CLIENT);

/** authUrl → consent → code exchange, as the plugin's connect flow does it. */
async function connect(email: string, options: { verifier?: string } = {}) {
  const pkce = createPkce();
  const url = await provider().authUrl({ state: 'state-123', codeChallenge: pkce.codeChallenge, loginHint: email });
  const back = new URL(await google.consent(url, { email, decision: 'allow' }));
  return provider().exchangeCode(back.searchParams.get('code')!, options.verifier ?? pkce.codeVerifier);
}

beforeAll(async () => {
  google = await startGoogleEmulator();
  Object.assign(process.env, google.env);
  google.addClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, redirectUris: [CLIENT.redirectUri] });
  google.addUser({
    email: 'ada@gmail.test',
    displayName: 'Ada Lovelace',
    aliases: [
      { email: 'ada@analytical.test', displayName: 'Ada (work)', replyTo: 'replies@analytical.test' },
      { email: 'pending@analytical.test', verificationStatus: 'pending' },
    ],
  });
  google.addUser({ email: 'grace@gmail.test', displayName: 'Grace Hopper' });
  google.addUser({ email: 'nomail@workspace.test', hasMailbox: false });
  google.addUser({ email: 'outsider@gmail.test', testUser: false });
});

afterAll(() => google.close());

beforeEach(() => {
  google.faults.clear();
  google.clearRequests();
});

describe('Google emulator: authorize page', () => {
  it('shows a consent page with the account chooser and Allow / Cancel buttons', async () => {
    const url = await provider().authUrl({ state: 's', codeChallenge: createPkce().codeChallenge, loginHint: 'grace@gmail.test' });
    expect(url.startsWith(`${google.url}/o/oauth2/v2/auth?`)).toBe(true);
    const res = await fetch(url);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(/<form method="post"/);
    expect(html).toMatch(/<button id="allow"[^>]*>Allow</);
    expect(html).toMatch(/<button id="cancel"[^>]*>Cancel</);
    expect(html).toMatch(/<select id="account" name="account">/);
    expect(html).toMatch(/<option value="grace@gmail.test" selected>/);
    expect(html).toContain('wants to access your Google Account');
  });

  it('redirects with code, state and scope on Allow, bound to the redirect URI', async () => {
    const url = await provider().authUrl({ state: 'state-xyz', codeChallenge: createPkce().codeChallenge });
    const back = new URL(await google.consent(url, { email: 'ada@gmail.test', decision: 'allow' }));
    expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirectUri);
    expect(back.searchParams.get('code')).toMatch(/^4\/0/);
    expect(back.searchParams.get('state')).toBe('state-xyz');
    expect(back.searchParams.get('scope')).toBe('https://mail.google.com/');
  });

  it('redirects with error=access_denied on Cancel, and for a user who is not a test user', async () => {
    const url = await provider().authUrl({ state: 'st', codeChallenge: createPkce().codeChallenge });
    const denied = new URL(await google.consent(url, { email: 'ada@gmail.test', decision: 'deny' }));
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('st');
    expect(denied.searchParams.has('code')).toBe(false);
    const url2 = await provider().authUrl({ state: 'st2', codeChallenge: createPkce().codeChallenge });
    const blocked = new URL(await google.consent(url2, { email: 'outsider@gmail.test', decision: 'allow' }));
    expect(blocked.searchParams.get('error')).toBe('access_denied');
  });

  it('answers Error 401: invalid_client and Error 400: redirect_uri_mismatch pages', async () => {
    const pkce = createPkce();
    const unknown = await new GmailProvider({ ...CLIENT, clientId: 'nobody' }).authUrl({ state: 's', codeChallenge: pkce.codeChallenge });
    const res = await fetch(unknown);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Error 401: invalid_client');
    const wrongUri = await new GmailProvider({ ...CLIENT, redirectUri: 'http://evil.test/cb' }).authUrl({ state: 's', codeChallenge: pkce.codeChallenge });
    const res2 = await fetch(wrongUri);
    const html = await res2.text();
    expect(res2.status).toBe(400);
    expect(html).toContain('Error 400: redirect_uri_mismatch');
    expect(html).toContain('redirect_uri=http://evil.test/cb');
    await expect(google.consent(wrongUri, { email: 'ada@gmail.test', decision: 'allow' })).rejects.toThrow(/redirect_uri_mismatch/);
  });
});

describe('Google emulator: tokens and Gmail through GmailProvider', () => {
  it('connects: code exchange, profile and verified send-as aliases', async () => {
    const { tokens, profile } = await connect('ada@gmail.test');
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toMatch(/^1\/\/0/);
    expect(tokens.scopes).toEqual(['https://mail.google.com/']);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(profile).toEqual({ email: 'ada@gmail.test', displayName: 'Ada Lovelace' });
    const aliases = await provider().listAliases(tokens);
    expect(aliases).toEqual([
      { email: 'ada@gmail.test', displayName: 'Ada Lovelace', isPrimary: true, replyTo: undefined },
      { email: 'ada@analytical.test', displayName: 'Ada (work)', isPrimary: false, replyTo: 'replies@analytical.test' },
    ]);
    expect(google.tokensOf('ada@gmail.test')).toEqual({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  });

  it('answers the Gmail profile and sendAs shapes', async () => {
    const { tokens } = await connect('grace@gmail.test');
    const gmail = provider().gmail(tokens);
    const { data: profile } = await gmail.users.getProfile({ userId: 'me' });
    expect(profile).toEqual({ emailAddress: 'grace@gmail.test', messagesTotal: 0, threadsTotal: 0, historyId: '1000' });
    const { data } = await gmail.users.settings.sendAs.list({ userId: 'grace@gmail.test' });
    expect(data.sendAs).toEqual([
      { sendAsEmail: 'grace@gmail.test', displayName: 'Grace Hopper', signature: '', isPrimary: true, isDefault: true },
    ]);
  });

  it('refreshes: a new access token, the same refresh token', async () => {
    const { tokens } = await connect('ada@gmail.test');
    const refreshed = await provider().refresh(tokens);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    const form = google.requests.filter((r) => r.path === '/token').pop()!.form!;
    expect(form.grant_type).toBe('refresh_token');
    expect(form.refresh_token).toMatch(/^<secret:\d+>$/);
    expect((await provider().profile(refreshed)).email).toBe('ada@gmail.test');
  });

  it('refuses an expired access token with 401 (TokenRejectedError)', async () => {
    const { tokens } = await connect('ada@gmail.test');
    expect(google.expireAccessTokens('ada@gmail.test')).toBeGreaterThan(0);
    // expiresAt still in the future on the plugin side: the SDK sends the token, Google refuses it.
    await expect(provider().profile(tokens)).rejects.toBeInstanceOf(TokenRejectedError);
    const answer = await fetch(`${google.url}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] } });
    const missing = await fetch(`${google.url}/gmail/v1/users/me/profile`);
    expect(await missing.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'required' }] } });
  });

  it('revokeGrant: the refresh token answers invalid_grant (ReauthorizeError)', async () => {
    const { tokens } = await connect('grace@gmail.test');
    expect(google.revokeGrant('grace@gmail.test')).toBeGreaterThan(0);
    const error = await provider().refresh(tokens).catch((e) => e);
    expect(error).toBeInstanceOf(ReauthorizeError);
    expect(error.message).toBe('Token has been expired or revoked.');
    await expect(provider().profile(tokens)).rejects.toBeInstanceOf(TokenRejectedError);
  });

  it('revoke(): the provider revokes through /revoke and the grant is gone', async () => {
    const { tokens } = await connect('ada@gmail.test');
    await provider().revoke(tokens);
    const call = google.requests.find((r) => r.path === '/revoke')!;
    expect(call.status).toBe(200);
    await expect(provider().refresh(tokens)).rejects.toBeInstanceOf(ReauthorizeError);
  });

  it('a wrong client secret is ProviderClientError (401 invalid_client)', async () => {
    const { tokens } = await connect('ada@gmail.test');
    const wrong = new GmailProvider({ ...CLIENT, clientSecret: 'wrong' });
    await expect(wrong.refresh(tokens)).rejects.toBeInstanceOf(ProviderClientError);
    const call = google.requests.filter((r) => r.path === '/token').pop()!;
    expect(call.status).toBe(401);
  });

  it('a wrong PKCE verifier, a reused code or a code for another redirect URI is invalid_grant', async () => {
    await expect(connect('ada@gmail.test', { verifier: createPkce().codeVerifier })).rejects.toBeInstanceOf(ReauthorizeError);
    const pkce = createPkce();
    const url = await provider().authUrl({ state: 's', codeChallenge: pkce.codeChallenge });
    const code = new URL(await google.consent(url, { email: 'ada@gmail.test', decision: 'allow' })).searchParams.get('code')!;
    await provider().exchangeCode(code, pkce.codeVerifier);
    await expect(provider().exchangeCode(code, pkce.codeVerifier)).rejects.toBeInstanceOf(ReauthorizeError);
    const res = await fetch(`${google.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, redirect_uri: CLIENT.redirectUri }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Bad Request' });
  });

  it('an account without Gmail is NoMailboxError (400 failedPrecondition)', async () => {
    await expect(connect('nomail@workspace.test')).rejects.toBeInstanceOf(NoMailboxError);
    const profileCall = google.requests.find((r) => r.path === '/gmail/v1/users/me/profile')!;
    expect(profileCall.status).toBe(400);
  });

  it('injected faults: 503 on /token is ProviderUnavailableError; a reset and a delay work too', async () => {
    const { tokens } = await connect('ada@gmail.test');
    // google-auth-library retries a token refresh on 5xx by itself (3 retries), so one 503 goes unnoticed.
    const once = google.faults.add({ method: 'POST', path: '/token', status: 503 });
    expect((await provider().refresh(tokens)).accessToken).toMatch(/^ya29\./);
    expect(once.hits).toBe(1);
    const fault = google.faults.add({ method: 'POST', path: '/token', status: 503, times: 10 });
    await expect(provider().refresh(tokens)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(fault.hits).toBe(4);
    expect(google.faults.pending).toEqual([expect.objectContaining({ remaining: 6 })]);
    google.faults.clear();
    expect(google.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);

    google.faults.add({ path: /\/profile$/, reset: true });
    await expect(provider().profile(tokens)).rejects.toBeInstanceOf(ProviderUnavailableError);

    google.faults.add({ path: '/gmail/v1/users/me/profile', delayMs: 150 });
    const started = Date.now();
    expect((await provider().profile(tokens)).email).toBe('ada@gmail.test');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('logs every request with the SDK identification headers', async () => {
    await connect('ada@gmail.test');
    const token = google.requests.find((r) => r.path === '/token')!;
    const gmailCall = google.requests.find((r) => r.path === '/gmail/v1/users/me/profile')!;
    expect(token).toMatchObject({ server: 'google', method: 'POST', status: 200, authorization: false, user: 'ada@gmail.test' });
    expect(token.form).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUri });
    expect(token.form!.client_secret).toMatch(/^<secret:/);
    expect(token.form!.code_verifier).toMatch(/^<secret:/);
    expect(gmailCall.authorization).toBe(true);
    expect(gmailCall.headers['user-agent']).toMatch(/^google-api-nodejs-client\/\d/);
    expect(gmailCall.headers['x-goog-api-client']).toMatch(/gdcl\/[\d.]+ gl-node\/[\d.]+/);
    console.info('[google] token call headers', token.headers, '| gmail call headers', gmailCall.headers);
  });
});
