import { describe, expect, it } from 'vitest';
import { createPkce, MISSING_APP_KEY_MESSAGE, newRequestId, parseState, signState, stateKey, verifyState } from '../../src/server/oauth/state';
import { UserError } from '../../src/server/errors';
import crypto from 'node:crypto';

describe('OAuth state', () => {
  const key = 'app-key';
  const id = newRequestId();

  it('verifies only for the same user, provider and key', () => {
    const state = signState(key, id, 7, 'gmail');
    expect(verifyState(key, state, 7, 'gmail')).toBe(true);
    expect(verifyState(key, state, 8, 'gmail')).toBe(false);
    expect(verifyState(key, state, 7, 'outlook')).toBe(false);
    expect(verifyState('other-key', state, 7, 'gmail')).toBe(false);
  });

  it('rejects tampered and malformed states', () => {
    const state = signState(key, id, 7, 'gmail');
    const tampered = state.slice(0, -2) + (state.endsWith('AA') ? 'BB' : 'AA');
    expect(verifyState(key, tampered, 7, 'gmail')).toBe(false);
    for (const bad of [undefined, null, 42, '', 'abc', 'a.b', `${id}.`, `${id}.${'x'.repeat(300)}`]) {
      expect(parseState(bad)).toBeNull();
    }
  });

  it('signs only with a real APP_KEY: none, blank or a template placeholder is a 503 saying what to set', () => {
    expect(stateKey({ APP_KEY: 'a-long-random-app-key' })).toBe('a-long-random-app-key');
    for (const bad of [undefined, '', '   ', 'your-secret-key', 'test-key']) {
      let error: unknown;
      try {
        stateKey({ APP_KEY: bad });
      } catch (e) {
        error = e;
      }
      expect(error, String(bad)).toBeInstanceOf(UserError);
      expect(error).toMatchObject({ status: 503, field: 'APP_KEY', message: MISSING_APP_KEY_MESSAGE });
    }
    expect(MISSING_APP_KEY_MESSAGE).toMatch(/set the APP_KEY environment variable/);
  });

  it('makes an S256 PKCE pair', () => {
    const { codeVerifier, codeChallenge } = createPkce();
    expect(codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(crypto.createHash('sha256').update(codeVerifier).digest('base64url')).toBe(codeChallenge);
  });
});
