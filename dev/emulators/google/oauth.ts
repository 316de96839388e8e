/**
 * Google OAuth 2.0 for web server apps: the authorize page on accounts.google.com
 * (/o/oauth2/v2/auth), the user's decision, and oauth2.googleapis.com's /token and /revoke.
 * Error codes and descriptions are Google's, since the plugin maps them (invalid_grant →
 * reauthorize, invalid_client → admin must fix the secret).
 */
import { formOf, redirect, Router, sendHtml, sendJson, type Context } from '../shared/http';
import { renderConsentPage } from '../shared/consent-page';
import type { AuthorizationRequest } from '../shared/grants';
import { sendAuthorizeError, sendOAuthError } from './errors';
import type { GoogleState } from './state';

export const AUTHORIZE_PATH = '/o/oauth2/v2/auth';
const DECISION_PATH = '/o/oauth2/v2/auth/decision';

/** What the consent page says a scope allows; unknown scopes are shown as they are. */
const SCOPE_TEXT: Record<string, string> = {
  'https://mail.google.com/': 'Read, compose, send, and permanently delete all your email from Gmail',
  'https://www.googleapis.com/auth/gmail.readonly': 'View your email messages and settings',
  'https://www.googleapis.com/auth/gmail.send': 'Send email on your behalf',
  'https://www.googleapis.com/auth/gmail.modify': 'Read, compose, and send emails from your Gmail account',
  openid: 'Associate you with your personal info on Google',
  email: 'See your primary Google Account email address',
  profile: 'See your personal info, including any personal info you\'ve made publicly available',
};

export function googleOAuthRoutes(router: Router, state: GoogleState) {
  router.get(AUTHORIZE_PATH, (ctx) => authorizePage(ctx, state));
  router.post(DECISION_PATH, (ctx) => decide(ctx, state));
  router.post('/token', (ctx) => token(ctx, state));
  router.post('/revoke', (ctx) => revoke(ctx, state));
}

function authorizePage(ctx: Context, state: GoogleState) {
  const q = Object.fromEntries(ctx.query);
  if (!q.client_id) return sendAuthorizeError(ctx, 400, 'invalid_request', ['Missing required parameter: client_id']);
  const client = state.directory.clients.get(q.client_id);
  if (!client) return sendAuthorizeError(ctx, 401, 'invalid_client', ['The OAuth client was not found.']);
  if (!q.redirect_uri) return sendAuthorizeError(ctx, 400, 'invalid_request', ['Missing required parameter: redirect_uri']);
  if (client.redirectUris && !client.redirectUris.includes(q.redirect_uri)) {
    return sendAuthorizeError(ctx, 400, 'redirect_uri_mismatch', [
      "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.",
      "If you're the app developer, register the redirect URI in the Google Cloud Console.",
      `Request details: redirect_uri=${q.redirect_uri}`,
    ]);
  }
  if (!q.response_type) return sendAuthorizeError(ctx, 400, 'invalid_request', ['Required parameter is missing: response_type']);
  if (q.response_type !== 'code') return sendAuthorizeError(ctx, 400, 'unsupported_response_type', [`Unsupported response type: ${q.response_type}`]);
  if (!q.scope) return sendAuthorizeError(ctx, 400, 'invalid_request', ['Missing required parameter: scope']);
  if (q.code_challenge_method && !['S256', 'plain'].includes(q.code_challenge_method)) {
    return sendAuthorizeError(ctx, 400, 'invalid_request', ['Invalid code_challenge_method value.']);
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
    extra: {},
  };
  const requestId = state.grants.beginAuthorization(request);
  sendHtml(
    ctx.res,
    200,
    renderConsentPage({
      title: 'Sign in with Google',
      prompt: `${client.name} wants to access your Google Account`,
      permissions: request.scopes.map((s) => SCOPE_TEXT[s] || s),
      accounts: [...state.directory.users.values()],
      selected: q.login_hint,
      action: DECISION_PATH,
      requestId,
    }),
  );
}

function decide(ctx: Context, state: GoogleState) {
  const form = formOf(ctx);
  const request = state.grants.takeAuthorization(form.request || '');
  if (!request) {
    return sendAuthorizeError(ctx, 400, 'invalid_request', ['This sign-in request has expired or was already used. Go back to the app and try again.']);
  }
  const back = new URL(request.redirectUri);
  const finish = (params: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(params)) if (value !== undefined) back.searchParams.set(key, value);
    redirect(ctx.res, back.toString());
  };
  if (form.decision !== 'allow') return finish({ error: 'access_denied', state: request.state });
  const user = state.directory.user(form.account_other || form.account);
  if (!user) {
    return sendAuthorizeError(ctx, 400, 'invalid_request', ["Couldn't find your Google Account. Go back to the app and try again."]);
  }
  ctx.entry.user = user.email;
  // An app in "Testing" status admits only its listed test users; Google ends the flow with access_denied.
  if (!user.testUser) return finish({ error: 'access_denied', state: request.state });
  const code = state.grants.issueCode(request, user.email);
  finish({ state: request.state, code, scope: request.scopes.join(' '), authuser: '0', prompt: 'consent' });
}

/** Client credentials from the form (client_secret_post) or a Basic header (client_secret_basic). */
function clientCredentials(ctx: Context, form: Record<string, string>) {
  const basic = /^Basic\s+(\S+)/i.exec(ctx.req.headers.authorization || '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id), clientSecret: decodeURIComponent(secret || '') };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

function token(ctx: Context, state: GoogleState) {
  const form = formOf(ctx);
  const { clientId, clientSecret } = clientCredentials(ctx, form);
  const client = clientId ? state.directory.clients.get(clientId) : undefined;
  if (!client) return sendOAuthError(ctx, 401, 'invalid_client', 'The OAuth client was not found.');
  if (client.clientSecret !== clientSecret) return sendOAuthError(ctx, 401, 'invalid_client', 'Unauthorized');

  if (form.grant_type === 'authorization_code') {
    if (!form.code) return sendOAuthError(ctx, 400, 'invalid_request', 'Missing required parameter: code');
    const result = state.grants.redeemCode(form.code, { clientId, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    if ('problem' in result) {
      return sendOAuthError(ctx, 400, 'invalid_grant', result.problem === 'verifier_missing' ? 'Missing code verifier.' : 'Bad Request');
    }
    const { code } = result;
    ctx.entry.user = code.email;
    const grant = state.grants.createGrant(code.email, clientId, code.scopes);
    const access = state.grants.issueAccessToken(grant, state.accessTokenLifetime);
    return sendTokens(ctx, {
      access_token: access.token,
      expires_in: state.accessTokenLifetime,
      refresh_token: state.grants.issueRefreshToken(grant),
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    });
  }

  if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) return sendOAuthError(ctx, 400, 'invalid_request', 'Missing required parameter: refresh_token');
    const result = state.grants.grantOfRefreshToken(form.refresh_token);
    if ('problem' in result) return sendOAuthError(ctx, 400, 'invalid_grant', 'Token has been expired or revoked.');
    const { grant } = result;
    ctx.entry.user = grant.email;
    if (grant.clientId !== clientId) return sendOAuthError(ctx, 401, 'unauthorized_client', 'Unauthorized');
    const access = state.grants.issueAccessToken(grant, state.accessTokenLifetime);
    // Google keeps the refresh token: a refresh answers no new one.
    return sendTokens(ctx, {
      access_token: access.token,
      expires_in: state.accessTokenLifetime,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    });
  }

  sendOAuthError(ctx, 400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type || ''}`);
}

function sendTokens(ctx: Context, body: Record<string, unknown>) {
  sendJson(ctx.res, 200, body, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
}

/** Revoking a refresh or an access token ends the whole grant (both stop working at once). */
function revoke(ctx: Context, state: GoogleState) {
  const token = formOf(ctx).token || ctx.query.get('token') || '';
  if (!token) return sendOAuthError(ctx, 400, 'invalid_request', 'Missing required parameter: token');
  if (!state.grants.revokeByToken(token)) return sendOAuthError(ctx, 400, 'invalid_token', 'Token expired or revoked');
  sendJson(ctx.res, 200, {});
}
