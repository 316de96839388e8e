/**
 * OAuth state common to both providers: authorization requests waiting for the user's decision,
 * authorization codes, grants (one per consent: user + client + scopes) and the tokens issued on
 * them. Token formats and revocation rules differ per provider and come in as options.
 */
import crypto from 'node:crypto';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  loginHint?: string;
  /** Provider extras (Microsoft: the tenant segment of the URL). */
  extra: Record<string, string>;
}

export interface AuthCode extends AuthorizationRequest {
  email: string;
  expiresAt: number;
  used: boolean;
}

export interface Grant {
  id: string;
  email: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
  extra: Record<string, string>;
}

export interface AccessToken {
  token: string;
  grant: Grant;
  expiresAt: number;
}

export type CodeProblem = 'unknown' | 'used' | 'expired' | 'client' | 'redirect_uri' | 'verifier_missing' | 'pkce';
export type AccessProblem = 'missing' | 'unknown' | 'expired' | 'revoked';

export interface GrantStoreOptions {
  codePrefix: string;
  accessPrefix: string;
  refreshPrefix: string;
  /** Google revokes the access tokens of a revoked grant at once; Microsoft's stay valid until they expire. */
  revokeAccessWithGrant: boolean;
}

const TEN_MINUTES = 10 * 60_000;

export class GrantStore {
  private pending = new Map<string, AuthorizationRequest & { expiresAt: number }>();
  private codes = new Map<string, AuthCode>();
  private refreshTokens = new Map<string, Grant>();
  private accessTokens = new Map<string, AccessToken>();
  readonly grants: Grant[] = [];
  /** The newest tokens issued to each user, for tests that check where tokens end up. */
  private latest = new Map<string, { accessToken?: string; refreshToken?: string }>();

  constructor(private readonly options: GrantStoreOptions) {}

  /** Keeps a validated authorize request while the consent page is shown; returns its id for the form. */
  beginAuthorization(request: AuthorizationRequest): string {
    const id = random(24);
    this.pending.set(id, { ...request, expiresAt: Date.now() + TEN_MINUTES });
    return id;
  }

  /** The request behind a consent form, consumed: a form can be submitted once. */
  takeAuthorization(id: string): AuthorizationRequest | undefined {
    const request = this.pending.get(id);
    this.pending.delete(id);
    return request && request.expiresAt > Date.now() ? request : undefined;
  }

  issueCode(request: AuthorizationRequest, email: string): string {
    const code = this.options.codePrefix + random(48);
    this.codes.set(code, { ...request, email, expiresAt: Date.now() + TEN_MINUTES, used: false });
    return code;
  }

  /** Checks a code against the token request. A code is used up by any redemption attempt that finds it. */
  redeemCode(
    code: string | undefined,
    request: { clientId: string; redirectUri?: string; codeVerifier?: string },
  ): { code: AuthCode } | { problem: CodeProblem } {
    const found = code ? this.codes.get(code) : undefined;
    if (!found) return { problem: 'unknown' };
    if (found.used) return { problem: 'used' };
    found.used = true;
    if (found.expiresAt <= Date.now()) return { problem: 'expired' };
    if (found.clientId !== request.clientId) return { problem: 'client' };
    if (found.redirectUri !== request.redirectUri) return { problem: 'redirect_uri' };
    if (found.codeChallenge) {
      if (!request.codeVerifier) return { problem: 'verifier_missing' };
      if (pkceChallenge(request.codeVerifier, found.codeChallengeMethod) !== found.codeChallenge) return { problem: 'pkce' };
    }
    return { code: found };
  }

  createGrant(email: string, clientId: string, scopes: string[], extra: Record<string, string> = {}): Grant {
    const grant: Grant = { id: random(12), email, clientId, scopes, revoked: false, extra };
    this.grants.push(grant);
    return grant;
  }

  issueAccessToken(grant: Grant, lifetimeSeconds: number): AccessToken {
    const access: AccessToken = {
      token: this.options.accessPrefix + random(96),
      grant,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
    };
    this.accessTokens.set(access.token, access);
    this.latest.set(grant.email, { ...this.latest.get(grant.email), accessToken: access.token });
    return access;
  }

  issueRefreshToken(grant: Grant): string {
    const token = this.options.refreshPrefix + random(64);
    this.refreshTokens.set(token, grant);
    this.latest.set(grant.email, { ...this.latest.get(grant.email), refreshToken: token });
    return token;
  }

  /** The newest access and refresh token issued to a user (any client), or undefined. */
  tokensOf(email: string): { accessToken?: string; refreshToken?: string } | undefined {
    return this.latest.get(email.toLowerCase());
  }

  /** The live grant behind a refresh token. */
  grantOfRefreshToken(token: string | undefined): { grant: Grant } | { problem: 'unknown' | 'revoked' } {
    const grant = token ? this.refreshTokens.get(token) : undefined;
    if (!grant) return { problem: 'unknown' };
    return grant.revoked ? { problem: 'revoked' } : { grant };
  }

  checkAccessToken(token: string | undefined): { access: AccessToken } | { problem: AccessProblem } {
    if (!token) return { problem: 'missing' };
    const access = this.accessTokens.get(token);
    if (!access) return { problem: 'unknown' };
    if (access.grant.revoked && this.options.revokeAccessWithGrant) return { problem: 'revoked' };
    if (access.expiresAt <= Date.now()) return { problem: 'expired' };
    return { access };
  }

  /** Makes the matching access tokens (all when no address is given) expired now; returns how many. */
  expireAccessTokens(email?: string): number {
    let count = 0;
    for (const access of this.accessTokens.values()) {
      if (email && access.grant.email !== email.toLowerCase()) continue;
      if (access.expiresAt > Date.now()) count += 1;
      access.expiresAt = Date.now() - 1;
    }
    return count;
  }

  /** Revokes every grant of a user (as when they remove the app's access); returns how many. */
  revokeUser(email: string): number {
    let count = 0;
    for (const grant of this.grants) {
      if (grant.email !== email.toLowerCase() || grant.revoked) continue;
      grant.revoked = true;
      count += 1;
    }
    return count;
  }

  /** Revokes the grant a refresh or access token belongs to; false when the token is unknown or already revoked. */
  revokeByToken(token: string): boolean {
    const grant = this.refreshTokens.get(token) || this.accessTokens.get(token)?.grant;
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    return true;
  }
}

/** RFC 7636: S256 → base64url(sha256(verifier)); plain → the verifier itself. */
export function pkceChallenge(verifier: string, method = 'plain') {
  return method === 'S256' ? crypto.createHash('sha256').update(verifier).digest('base64url') : verifier;
}

function random(bytes: number) {
  return crypto.randomBytes(bytes).toString('base64url');
}
