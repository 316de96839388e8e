/**
 * Microsoft identity platform v2.0 (login.microsoftonline.com): OpenID discovery for any tenant
 * segment, the authorize page and the user's decision (the token endpoint is in token.ts).
 * msal-node with `knownAuthorities: [host]` reads the discovery document before anything else
 * and then uses the endpoints it names, so those point back at this server.
 */
import crypto from 'node:crypto';
import { renderConsentPage } from '../shared/consent-page';
import type { AuthorizationRequest } from '../shared/grants';
import { formOf, redirect, Router, sendHtml, sendJson, type Context } from '../shared/http';
import { sendAadErrorPage } from './errors';
import type { MicrosoftState } from './state';
import { admits, clientInfoOf, endpointSegment, issuerOf, resolveTenant, userTenant } from './tenants';

const PERMISSION_TEXT: Record<string, string> = {
  offline_access: 'Maintain access to data you have given it access to',
  'user.read': 'Sign you in and read your profile',
  'mail.read': 'Read your mail',
  'mail.readwrite': 'Read and write access to your mail',
  'mail.send': 'Send mail as you',
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
};

export function identityRoutes(router: Router, state: MicrosoftState) {
  router.get('/:tenant/v2.0/.well-known/openid-configuration', (ctx) => discovery(ctx, state));
  router.get('/:tenant/discovery/v2.0/keys', (ctx) => sendJson(ctx.res, 200, { keys: [] }));
  router.get('/:tenant/oauth2/v2.0/authorize', (ctx) => authorizePage(ctx, state));
  router.post('/:tenant/oauth2/v2.0/consent', (ctx) => decide(ctx, state));
}

function discovery(ctx: Context, state: MicrosoftState) {
  const spec = resolveTenant(ctx.params.tenant);
  const base = state.identityUrl;
  const segment = endpointSegment(spec);
  const graphHost = new URL(state.graphUrl).host;
  sendJson(ctx.res, 200, {
    token_endpoint: `${base}/${segment}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${segment}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerOf(base, spec),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${state.graphUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/${segment}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${segment}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${segment}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/${segment}/kerberos`,
    tenant_region_scope: spec.kind === 'tenant' ? 'EU' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: graphHost,
    rbac_url: 'https://pas.windows.net',
  });
}

function authorizePage(ctx: Context, state: MicrosoftState) {
  const q = Object.fromEntries(ctx.query);
  const spec = resolveTenant(ctx.params.tenant);
  if (!q.client_id) return sendAadErrorPage(ctx, 400, 900144, "The request body must contain the following parameter: 'client_id'.");
  const client = state.directory.clients.get(q.client_id);
  if (!client) {
    return sendAadErrorPage(ctx, 400, 700016,
      `Application with identifier '${q.client_id}' was not found in the directory '${spec.segment}'. This can happen if the application ` +
        'has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        'You may have sent your authentication request to the wrong tenant.');
  }
  if (!q.redirect_uri || (client.redirectUris && !client.redirectUris.includes(q.redirect_uri))) {
    return sendAadErrorPage(ctx, 400, 50011,
      `The redirect URI '${q.redirect_uri || ''}' specified in the request does not match the redirect URIs configured for the application ` +
        `'${client.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. ` +
        'Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.');
  }
  // From here on the redirect URI is trusted: request errors go back to the app, as Microsoft does.
  const back = (params: Record<string, string>) => redirectBack(ctx, q.redirect_uri, { ...params, ...(q.state ? { state: q.state } : {}) });
  if (q.response_type !== 'code') {
    return back({ error: 'unsupported_response_type', error_description: `AADSTS700054: response_type '${q.response_type || ''}' is not enabled for the application.` });
  }
  if (!q.scope) return back({ error: 'invalid_request', error_description: "AADSTS900144: The request body must contain the following parameter: 'scope'." });
  if (q.code_challenge_method && !['S256', 'plain'].includes(q.code_challenge_method)) {
    return back({ error: 'invalid_request', error_description: 'AADSTS501491: Invalid size of Code_Challenge parameter.' });
  }
  const request: AuthorizationRequest = {
    clientId: client.clientId,
    redirectUri: q.redirect_uri,
    scopes: q.scope.split(/\s+/).filter(Boolean),
    state: q.state,
    codeChallenge: q.code_challenge,
    codeChallengeMethod: q.code_challenge ? q.code_challenge_method || 'plain' : undefined,
    nonce: q.nonce,
    loginHint: q.login_hint,
    extra: { tenant: ctx.params.tenant, clientInfo: q.client_info === '1' ? '1' : '' },
  };
  const requestId = state.grants.beginAuthorization(request);
  sendHtml(ctx.res, 200, renderConsentPage({
    title: 'Sign in to your account',
    prompt: `${client.name} needs permission to access resources in your organization that only an admin can grant, or your personal account data.`,
    permissions: request.scopes.map((s) => PERMISSION_TEXT[s.toLowerCase()] || s),
    accounts: [...state.directory.users.values()].filter((u) => admits(spec, u.email)),
    selected: q.login_hint,
    action: `/${encodeURIComponent(ctx.params.tenant)}/oauth2/v2.0/consent`,
    requestId,
  }));
}

function decide(ctx: Context, state: MicrosoftState) {
  const form = formOf(ctx);
  const request = state.grants.takeAuthorization(form.request || '');
  if (!request) return sendAadErrorPage(ctx, 400, 90014, 'The sign-in request has expired or was already used. Go back to the application and try again.');
  const back = (params: Record<string, string>) => redirectBack(ctx, request.redirectUri, { ...params, ...(request.state ? { state: request.state } : {}) });
  if (form.decision !== 'allow') {
    return back({ error: 'access_denied', error_subcode: 'cancel', error_description: 'AADSTS65004: User declined to consent to access the app.' });
  }
  const spec = resolveTenant(request.extra.tenant);
  const email = (form.account_other || form.account || '').trim().toLowerCase();
  const user = state.directory.user(email);
  if (!user) return sendAadErrorPage(ctx, 400, 50034, `The user account ${email} does not exist in the '${spec.segment}' directory. To sign into this application, the account must be added to the directory.`);
  ctx.entry.user = user.email;
  if (!admits(spec, user.email)) {
    return sendAadErrorPage(ctx, 400, 50020,
      `User account '${user.email}' from identity provider '${identityProviderOf(user.email)}' does not exist in tenant '${spec.segment}' and cannot access the ` +
        `application '${request.clientId}' in that tenant. The account needs to be added as an external user in the tenant first.`);
  }
  const code = state.grants.issueCode(request, user.email);
  const params: Record<string, string> = { code };
  if (request.extra.clientInfo) params.client_info = clientInfoOf(user.id, userTenant(user.email).tenantId);
  params.session_state = crypto.randomUUID();
  back(params);
}

function identityProviderOf(email: string) {
  const { tenantId, consumer } = userTenant(email);
  return consumer ? 'live.com' : `https://sts.windows.net/${tenantId}/`;
}

function redirectBack(ctx: Context, redirectUri: string, params: Record<string, string>) {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  redirect(ctx.res, target.toString());
}
