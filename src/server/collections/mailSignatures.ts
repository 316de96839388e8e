import { defineCollection } from '@nocobase/database';

/**
 * Personal signatures (S-SIG-1). `accountId` null: a general signature, usable from every
 * account; set: one of the user's accounts (a per-account default, S-SIG-1 "per account"). At
 * most one default per (userId, accountId) scope; the service keeps it so. Account-bound rows go
 * with their account.
 */
export default defineCollection({
  name: 'mailSignatures',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'bigInt', name: 'accountId' },
    { type: 'string', name: 'name', allowNull: false },
    { type: 'text', name: 'html', length: 'long' },
    { type: 'boolean', name: 'isDefault', defaultValue: false },
  ],
  indexes: [{ fields: ['userId', 'accountId'] }],
});
