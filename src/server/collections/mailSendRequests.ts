import { defineCollection } from '@nocobase/database';

/**
 * One row per compose that was sent (S-SEND-9): the idempotency key the editor sends with every
 * attempt, and what came of it. The same key twice sends once: the second attempt answers the
 * first one's result. Rows go with their account.
 */
export default defineCollection({
  name: 'mailSendRequests',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'string', name: 'idempotencyKey', allowNull: false },
    // sending → sent, or sending → failed (a failed one may be tried again with the same key).
    { type: 'string', name: 'status', allowNull: false },
    { type: 'string', name: 'providerMessageId' },
    { type: 'string', name: 'threadId' },
    // The mailMessages row of the sent mail, once stored.
    { type: 'bigInt', name: 'messageId' },
    { type: 'text', name: 'error' },
  ],
  indexes: [{ fields: ['userId', 'idempotencyKey'], unique: true }, { fields: ['accountId'] }],
});
