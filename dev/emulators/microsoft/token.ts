/**
 * POST /{tenant}/oauth2/v2.0/token: authorization_code (with PKCE) and refresh_token grants for
 * confidential clients. msal-node needs `client_info` and an `id_token` in the answer to build
 * its account (without them it caches no account and reports none); the id token is an unsigned
 * JWT, which msal-node decodes without checking a signature. Refresh tokens rotate on every use,
 * and, as on the real service, the previous one keeps working until revoked.
 */
import crypto from 'node:crypto';
import type { Grant } from '../shared/grants';
import { formOf, Router, sendJson, type Context } from '../shared/http';
import { sendAadError } from './errors';
import type { MicrosoftState } from './state';
import { clientInfoOf, userTenant } from './tenants';

/** Requested but never listed in the answer's scope, like the real service. */
const UNLISTED_SCOPES = new Set(['offline_access']);

export function microsoftTokenRoute(router: Router, state: MicrosoftState) {
  router.post('/:tenant/oauth2/v2.0/token', (ctx) => token(ctx, state));
}

function token(ctx: Context, state: MicrosoftState) {
  const form = formOf(ctx);
  const tenant = ctx.params.tenant;
  if (!form.client_id) return sendAadError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const client = state.directory.clients.get(form.client_id);
  if (!client) {
    return sendAadError(ctx, 400, 'unauthorized_client', 700016,
      `Application with identifier '${form.client_id}' was not found in the directory '${tenant}'. This can happen if the application has ` +
        'not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your ' +
        'authentication request to the wrong tenant.');
  }
  if (!form.client_secret) {
    return sendAadError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (form.client_secret !== client.clientSecret) {
    return sendAadError(ctx, 401, 'invalid_client', 7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, ' +
        `for a secret added to app '${client.clientId}'.`);
  }

  if (form.grant_type === 'authorization_code') {
    if (!form.code) return sendAadError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
    const result = state.grants.redeemCode(form.code, { clientId: client.clientId, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    if ('problem' in result) {
      const [code, message] = CODE_PROBLEMS[result.problem];
      return sendAadError(ctx, 400, 'invalid_grant', code, message);
    }
    const { code } = result;
    ctx.entry.user = code.email;
    const grant = state.grants.createGrant(code.email, client.clientId, code.scopes, { tenant: code.extra.tenant });
    return sendTokens(ctx, state, grant, scopesOf(form.scope, grant.scopes), { nonce: code.nonce, clientInfo: form.client_info === '1' });
  }

  if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) return sendAadError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
    const result = state.grants.grantOfRefreshToken(form.refresh_token);
    if ('problem' in result) {
      return result.problem === 'revoked'
        ? sendAadError(ctx, 400, 'invalid_grant', 50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
        : sendAadError(ctx, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    }
    const { grant } = result;
    ctx.entry.user = grant.email;
    if (grant.clientId !== client.clientId) return sendAadError(ctx, 400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
    return sendTokens(ctx, state, grant, scopesOf(form.scope, grant.scopes), { clientInfo: form.client_info === '1' });
  }

  sendAadError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type || ''}'.`);
}

const CODE_PROBLEMS: Record<string, [number, string]> = {
  unknown: [9002313, 'Invalid request. Request is malformed or invalid.'],
  used: [54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'],
  expired: [70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'],
  client: [70000, 'The provided value for the \'code\' parameter is not valid. The code was issued to a different client.'],
  redirect_uri: [70000, "The provided value for the input parameter 'redirect_uri' is not valid. The expected value is a URI which matches a redirect URI registered for this client application."],
  verifier_missing: [50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.'],
  pkce: [501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'],
};

/** The scopes of this answer: what the request asks for, within what was consented. */
function scopesOf(requested: string | undefined, granted: string[]) {
  const grantedLower = new Set(granted.map((s) => s.toLowerCase()));
  const asked = (requested || '').split(/\s+/).filter(Boolean);
  const within = asked.filter((s) => grantedLower.has(s.toLowerCase()));
  return within.length ? within : granted;
}

function sendTokens(ctx: Context, state: MicrosoftState, grant: Grant, scopes: string[], options: { nonce?: string; clientInfo: boolean }) {
  const user = state.directory.user(grant.email);
  if (!user) return sendAadError(ctx, 400, 'invalid_grant', 50034, `The user account ${grant.email} does not exist in the directory.`);
  const { tenantId } = userTenant(user.email);
  const access = state.grants.issueAccessToken(grant, state.accessTokenLifetime);
  const has = (scope: string) => scopes.some((s) => s.toLowerCase() === scope);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: scopes.filter((s) => !UNLISTED_SCOPES.has(s.toLowerCase())).join(' '),
    expires_in: state.accessTokenLifetime,
    ext_expires_in: state.accessTokenLifetime,
    access_token: access.token,
  };
  // A refresh token only when the user consented to offline_access.
  if (grant.scopes.some((s) => s.toLowerCase() === 'offline_access')) body.refresh_token = state.grants.issueRefreshToken(grant);
  if (has('openid')) body.id_token = idToken(state, grant, tenantId, user.id, user.displayName, user.email, options.nonce, has('email'));
  if (options.clientInfo) body.client_info = clientInfoOf(user.id, tenantId);
  sendJson(ctx.res, 200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
}

function idToken(state: MicrosoftState, grant: Grant, tenantId: string, oid: string, name: string, email: string, nonce: string | undefined, withEmail: boolean) {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    aud: grant.clientId,
    iss: `${state.identityUrl}/${tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name,
    oid,
    preferred_username: email,
    rh: `0.A${crypto.randomBytes(16).toString('base64url')}.`,
    sub: crypto.createHash('sha256').update(`${grant.clientId}:${oid}`).digest('base64url').slice(0, 43),
    tid: tenantId,
    uti: crypto.randomBytes(16).toString('base64url'),
    ver: '2.0',
  };
  if (nonce) claims.nonce = nonce;
  if (withEmail) claims.email = email;
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  // Unsigned (alg none): msal-node only decodes the claims; nothing in the plugin verifies it.
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.`;
}
