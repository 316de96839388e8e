import { defineCollection } from '@nocobase/database';

/**
 * One pending authorization (S-CONN-1): who started it, for which provider, the PKCE verifier
 * (encrypted, hidden) and until when it may be completed. `usedAt` makes it single-use: the
 * completion claims the row with a conditional update, so a replayed `state` finds it taken.
 */
export default defineCollection({
  name: 'mailOAuthRequests',
  dumpRules: 'skipped',
  migrationRules: ['skip'],
  autoGenId: false,
  timestamps: true,
  fields: [
    { type: 'string', name: 'id', primaryKey: true },
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'string', name: 'provider', allowNull: false },
    { type: 'bigInt', name: 'accountId' },
    { type: 'text', name: 'codeVerifier', hidden: true },
    { type: 'date', name: 'syncStartDate' },
    // The token exchange must repeat the redirect URI of the authorization request exactly.
    { type: 'text', name: 'redirectUri' },
    { type: 'date', name: 'expiresAt', allowNull: false },
    { type: 'date', name: 'usedAt' },
  ],
  indexes: [{ fields: ['expiresAt'] }],
});
