import crypto from 'node:crypto';
import { UserError } from '../errors';

/**
 * APP_KEY values that are no secret: the placeholder of NocoBase's .env template and its test
 * value (NocoBase's own auth refuses the same two as a JWT secret).
 */
const PLACEHOLDER_APP_KEYS = new Set(['your-secret-key', 'test-key']);

export const MISSING_APP_KEY_MESSAGE =
  'Email accounts cannot be connected: the server has no APP_KEY. Ask your administrator to set the APP_KEY environment variable to a long random secret and restart NocoBase.';

/**
 * The key that signs OAuth states: the app's APP_KEY. Without a real one anybody could forge a
 * state, so connecting is refused (503, naming what to set) rather than signed with a constant.
 */
export function stateKey(env: Record<string, string | undefined> = process.env): string {
  const key = (env.APP_KEY ?? '').trim();
  if (!key || PLACEHOLDER_APP_KEYS.has(key)) throw new UserError(MISSING_APP_KEY_MESSAGE, 503, 'APP_KEY');
  return key;
}

/**
 * The OAuth `state`: a random request id plus an HMAC over it, the user and the provider, keyed
 * with the app's APP_KEY. A forged or altered state is refused before any lookup; binding to the
 * user and provider is checked again against the stored request.
 */
export function signState(secret: string, requestId: string, userId: string | number, provider: string) {
  return `${requestId}.${mac(secret, requestId, userId, provider)}`;
}

/** The request id inside a well-formed state, or null. */
export function parseState(state: unknown): { requestId: string; signature: string } | null {
  if (typeof state !== 'string' || state.length > 200) return null;
  const match = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(state);
  return match ? { requestId: match[1], signature: match[2] } : null;
}

export function verifyState(secret: string, state: string, userId: string | number, provider: string) {
  const parsed = parseState(state);
  if (!parsed) return false;
  const expected = Buffer.from(mac(secret, parsed.requestId, userId, provider));
  const given = Buffer.from(parsed.signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

function mac(secret: string, requestId: string, userId: string | number, provider: string) {
  return crypto.createHmac('sha256', secret).update(`email-manager:${requestId}:${userId}:${provider}`).digest('base64url');
}

/** PKCE (RFC 7636): a random verifier and its S256 challenge. */
export function createPkce() {
  const codeVerifier = crypto.randomBytes(48).toString('base64url');
  const codeChallenge = crypto.createHash('sha256').update(codeVerifier).digest('base64url');
  return { codeVerifier, codeChallenge };
}

export function newRequestId() {
  return crypto.randomBytes(24).toString('base64url');
}
