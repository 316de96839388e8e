/**
 * The Microsoft emulator driven through the real msal-node and Graph SDKs and the plugin's
 * OutlookProvider, with the emulator's https certificate trusted through NODE_EXTRA_CA_CERTS
 * (vitest.config.mts), exactly as the plugin talks to login.microsoftonline.com and
 * graph.microsoft.com.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSUMERS_TENANT_ID, startMicrosoftEmulator, userTenant, type MicrosoftEmulator } from '../../dev/emulators';
import { createPkce } from '../../src/server/oauth/state';
import { OutlookProvider } from '../../src/server/providers/outlook/outlook-provider';
import {
  NoMailboxError,
  ProviderClientError,
  ProviderUnavailableError,
  ReauthorizeError,
  TokenRejectedError,
} from '../../src/server/providers/types';

const CLIENT = { clientId: '0f3c9a52-7d1e-4b8a-9c6f-2e4d5a6b7c8d', clientSecret: 'Loc8Q~secret', redirectUri: 'http://app.test/callback' };

let ms: MicrosoftEmulator;
const provider = (tenant = 'common', overrides: Partial<typeof CLIENT> = {}) => new OutlookProvider({ ...CLIENT, ...overrides, tenant });

async function authorize(email: string, tenant = 'common', decision: 'allow' | 'deny' = 'allow') {
  const pkce = createPkce();
  const url = await provider(tenant).authUrl({ state: 'state-123', codeChallenge: pkce.codeChallenge, loginHint: email });
  return { pkce, url, back: new URL(await ms.consent(url, { email, decision })) };
}

async function connect(email: string, tenant = 'common') {
  const { pkce, back } = await authorize(email, tenant);
  return provider(tenant).exchangeCode(back.searchParams.get('code')!, pkce.codeVerifier);
}

const tokenCalls = () => ms.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'));

beforeAll(async () => {
  ms = await startMicrosoftEmulator();
  Object.assign(process.env, ms.env);
  ms.addClient({ ...CLIENT, redirectUris: [CLIENT.redirectUri] });
  ms.addUser({ email: 'alan@outlook.com', displayName: 'Alan Turing' });
  ms.addUser({ email: 'katherine@contoso.test', displayName: 'Katherine Johnson' });
  ms.addUser({ email: 'nomailbox@contoso.test', hasMailbox: false });
  ms.addUser({ email: 'dorothy@fabrikam.test' });
});

afterAll(() => ms.close());

beforeEach(() => {
  ms.faults.clear();
  ms.clearRequests();
});

describe('Microsoft emulator: identity platform', () => {
  it('serves https for both servers and OpenID discovery for any tenant', async () => {
    expect(ms.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ms.env.EMAIL_MANAGER_GRAPH_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const common = await (await fetch(`${ms.url}/common/v2.0/.well-known/openid-configuration`)).json();
    expect(common.token_endpoint).toBe(`${ms.url}/common/oauth2/v2.0/token`);
    expect(common.issuer).toBe(`${ms.url}/{tenantid}/v2.0`);
    const domain = await (await fetch(`${ms.url}/contoso.test/v2.0/.well-known/openid-configuration`)).json();
    const contosoId = userTenant('katherine@contoso.test').tenantId;
    expect(domain.authorization_endpoint).toBe(`${ms.url}/${contosoId}/oauth2/v2.0/authorize`);
    expect(domain.issuer).toBe(`${ms.url}/${contosoId}/v2.0`);
    const consumers = await (await fetch(`${ms.url}/consumers/v2.0/.well-known/openid-configuration`)).json();
    expect(consumers.issuer).toBe(`${ms.url}/${CONSUMERS_TENANT_ID}/v2.0`);
  });

  it('shows the consent page and redirects with code, client_info and state on Allow', async () => {
    const { url, back } = await authorize('alan@outlook.com');
    const html = await (await fetch(url)).text();
    expect(html).toMatch(/<button id="allow"[^>]*>Allow</);
    expect(html).toMatch(/<button id="cancel"[^>]*>Cancel</);
    // The provider sends the hint without a prompt (msal-node would drop it with one): the account is preselected.
    expect(new URL(url).searchParams.get('login_hint')).toBe('alan@outlook.com');
    expect(html).toMatch(/<option value="alan@outlook.com" selected>/);
    expect(back.origin + back.pathname).toBe(CLIENT.redirectUri);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('code')).toBeTruthy();
    const info = JSON.parse(Buffer.from(back.searchParams.get('client_info')!, 'base64url').toString());
    expect(info).toEqual({ uid: ms.users.get('alan@outlook.com')!.id, utid: CONSUMERS_TENANT_ID });
  });

  it('Cancel redirects with error=access_denied', async () => {
    const { back } = await authorize('alan@outlook.com', 'common', 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
    expect(back.searchParams.get('state')).toBe('state-123');
  });

  it('shows AADSTS700016 for an unknown client, AADSTS50011 for an unregistered redirect URI, AADSTS50020 for a foreign tenant', async () => {
    const pkce = createPkce();
    const unknown = await provider('common', { clientId: 'unknown-app' }).authUrl({ state: 's', codeChallenge: pkce.codeChallenge });
    await expect(ms.consent(unknown, { email: 'alan@outlook.com', decision: 'allow' })).rejects.toThrow(/AADSTS700016/);
    const wrongUri = await provider('common', { redirectUri: 'http://evil.test/cb' }).authUrl({ state: 's', codeChallenge: pkce.codeChallenge });
    const page = await fetch(wrongUri);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("AADSTS50011: The redirect URI &#39;http://evil.test/cb&#39;");
    await expect(authorize('dorothy@fabrikam.test', 'contoso.test')).rejects.toThrow(/AADSTS50020/);
  });
});

describe('Microsoft emulator: tokens and Graph through OutlookProvider', () => {
  it('connects on the common tenant: msal-node discovery + token, Graph /me and the inbox', async () => {
    const { tokens, profile } = await connect('alan@outlook.com');
    expect(profile).toEqual({ email: 'alan@outlook.com', displayName: 'Alan Turing' });
    expect(tokens.accessToken).toMatch(/^EwB/);
    expect(tokens.accessToken.split('.')).toHaveLength(1); // opaque, not a JWT
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scopes).toEqual(['User.Read', 'Mail.ReadWrite', 'Mail.Send']);
    expect(tokens.extra?.homeAccountId).toBe(`${ms.users.get('alan@outlook.com')!.id}.${CONSUMERS_TENANT_ID}`);
    expect(ms.requests.filter((r) => r.server !== 'identity' || r.headers['user-agent'] !== 'emulator-consent').map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /common/v2.0/.well-known/openid-configuration', // authUrl()
      'GET /common/v2.0/.well-known/openid-configuration', // exchangeCode(): a fresh msal client
      'POST /common/oauth2/v2.0/token',
      'GET /v1.0/me',
      'GET /v1.0/me/mailFolders/inbox',
    ]);
  });

  it('connects on a domain tenant (msal-node keeps the domain in the token URL, not the discovered GUID)', async () => {
    const { profile, tokens } = await connect('katherine@contoso.test', 'contoso.test');
    expect(profile.email).toBe('katherine@contoso.test');
    const contosoId = userTenant('katherine@contoso.test').tenantId;
    expect(tokens.extra?.homeAccountId).toBe(`${ms.users.get('katherine@contoso.test')!.id}.${contosoId}`);
    expect(ms.requests.find((r) => r.path.endsWith('/openid-configuration'))!.path).toBe('/contoso.test/v2.0/.well-known/openid-configuration');
    expect(tokenCalls().map((r) => r.path)).toEqual(['/contoso.test/oauth2/v2.0/token']);
  });

  it('answers Graph /me with $select and the inbox folder', async () => {
    const { tokens } = await connect('katherine@contoso.test');
    const graph = provider().graph(tokens);
    const me = await graph.api('/me').select(['displayName', 'mail']).get();
    expect(me).toEqual({
      '@odata.context': `${ms.env.EMAIL_MANAGER_GRAPH_URL}/v1.0/$metadata#users(displayName,mail)/$entity`,
      displayName: 'Katherine Johnson',
      mail: 'katherine@contoso.test',
    });
    const full = await graph.api('/me').get();
    expect(full).toMatchObject({ id: ms.users.get('katherine@contoso.test')!.id, userPrincipalName: 'katherine@contoso.test', surname: 'Johnson' });
    const inbox = await graph.api('/me/mailFolders/inbox').get();
    expect(inbox).toMatchObject({ id: expect.stringMatching(/^AAMk/), displayName: 'Inbox', totalItemCount: 0 });
  });

  it('refreshes with a rotated refresh token; the old one still works until revoked', async () => {
    const { tokens } = await connect('alan@outlook.com');
    const refreshed = await provider().refresh(tokens);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    expect(refreshed.extra?.homeAccountId).toBe(tokens.extra?.homeAccountId);
    expect(tokenCalls().pop()!.form).toMatchObject({ grant_type: 'refresh_token', client_info: '1' });
    expect((await provider().refresh(tokens)).accessToken).toBeTruthy();
    expect((await provider().profile(refreshed)).email).toBe('alan@outlook.com');
  });

  it('an expired access token is refused by Graph with 401 (TokenRejectedError)', async () => {
    const { tokens } = await connect('alan@outlook.com');
    ms.expireAccessTokens('alan@outlook.com');
    await expect(provider().profile(tokens)).rejects.toBeInstanceOf(TokenRejectedError);
    const res = await fetch(`${ms.env.EMAIL_MANAGER_GRAPH_URL}/v1.0/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' });
  });

  it('revokeGrant: the refresh token answers invalid_grant (ReauthorizeError)', async () => {
    const { tokens } = await connect('katherine@contoso.test', 'contoso.test');
    ms.revokeGrant('katherine@contoso.test');
    const error = await provider('contoso.test').refresh(tokens).catch((e) => e);
    expect(error).toBeInstanceOf(ReauthorizeError);
    expect(error.message).toMatch(/AADSTS50173/);
    expect(tokenCalls().pop()!.status).toBe(400);
  });

  it('a wrong client secret is ProviderClientError (401 invalid_client, AADSTS7000215)', async () => {
    const { tokens } = await connect('alan@outlook.com');
    await expect(provider('common', { clientSecret: 'wrong' }).refresh(tokens)).rejects.toBeInstanceOf(ProviderClientError);
    expect(tokenCalls().pop()!.status).toBe(401);
  });

  it('a wrong PKCE verifier or a reused code is invalid_grant (ReauthorizeError)', async () => {
    const { back, pkce } = await authorize('alan@outlook.com');
    const code = back.searchParams.get('code')!;
    const wrong = await provider().exchangeCode(code, createPkce().codeVerifier).catch((e) => e);
    expect(wrong).toBeInstanceOf(ReauthorizeError);
    expect(wrong.message).toMatch(/AADSTS501481/);
    // Any attempt uses the code up, as on the real service.
    const reused = await provider().exchangeCode(code, pkce.codeVerifier).catch((e) => e);
    expect(reused).toBeInstanceOf(ReauthorizeError);
    expect(reused.message).toMatch(/AADSTS54005/);
  });

  it('an account without an Exchange mailbox is NoMailboxError (404 MailboxNotEnabledForRESTAPI)', async () => {
    await expect(connect('nomailbox@contoso.test')).rejects.toBeInstanceOf(NoMailboxError);
    const inbox = ms.requests.find((r) => r.path === '/v1.0/me/mailFolders/inbox')!;
    expect(inbox.status).toBe(404);
  });

  it('a 503 (JSON or HTML) on the token endpoint, a reset, a Graph 503 are ProviderUnavailableError', async () => {
    const { tokens } = await connect('alan@outlook.com');
    const fault = ms.faults.add({ method: 'POST', path: /\/oauth2\/v2\.0\/token$/, status: 503 });
    await expect(provider().refresh(tokens)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(fault.hits).toBe(1);
    // An HTML 502 from a gateway (msal-node: token_parsing_error) is not a verdict on the grant either.
    ms.faults.add({ method: 'POST', path: /\/token$/, status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    await expect(provider().refresh(tokens)).rejects.toBeInstanceOf(ProviderUnavailableError);
    ms.faults.add({ server: 'identity', path: /openid-configuration$/, reset: true });
    await expect(provider().refresh(tokens)).rejects.toBeInstanceOf(ProviderUnavailableError);
    // The Graph client is built without its own RetryHandler (our withRetry decides): one try here.
    const graphFault = ms.faults.add({ server: 'graph', path: '/v1.0/me', status: 503, times: 10, headers: { 'retry-after': '0' } });
    await expect(provider().profile(tokens)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(graphFault.hits).toBe(1);
    ms.faults.clear();
  });

  it('logs the SDK identification: msal x-client-* in the query/form, graph-js in sdkversion', async () => {
    await connect('alan@outlook.com');
    const token = tokenCalls()[0];
    expect(token.query['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(token.form).toMatchObject({ 'x-client-SKU': 'msal.js.node', 'x-client-VER': '7.2.3', grant_type: 'authorization_code' });
    const graphCall = ms.requests.find((r) => r.server === 'graph')!;
    expect(graphCall.headers.sdkversion).toMatch(/^graph-js\/3\.0\.7/);
    expect(graphCall.authorization).toBe(true);
    console.info('[microsoft] token call', { query: token.query, headers: token.headers }, '| graph headers', graphCall.headers);
  });
});
