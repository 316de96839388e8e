import { defineCollection } from '@nocobase/database';

/**
 * One bulk-send job (S-BULK-1…5): who sends from which account, the subject and body templates,
 * where the recipients came from, and the counts and status derived from its recipient rows
 * (bulk/job-status.ts keeps them current). The runner paces an account through `nextSendAt`,
 * claimed with a conditional UPDATE, so nodes of a cluster keep the mass-send interval together.
 */
export default defineCollection({
  name: 'mailMassMessages',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    // { address, name? }: the account's address or one of its aliases.
    { type: 'json', name: 'from' },
    { type: 'text', name: 'subject' },
    { type: 'text', name: 'html' },
    // Makes the per-recipient Message-IDs unique to this job (bulk/message-id.ts).
    { type: 'string', name: 'token', allowNull: false },
    // The create's idempotency key: a repeated submit answers the same job.
    { type: 'string', name: 'idempotencyKey' },
    // { collection, emailFieldNames, all, filter, filterByTk }
    { type: 'json', name: 'source' },
    // Derived (BulkJobStatus), kept for the list; true while pending or sending recipients remain.
    { type: 'string', name: 'status', allowNull: false },
    { type: 'boolean', name: 'active', defaultValue: true },
    { type: 'integer', name: 'total', defaultValue: 0 },
    { type: 'integer', name: 'pendingCount', defaultValue: 0 },
    { type: 'integer', name: 'sendingCount', defaultValue: 0 },
    { type: 'integer', name: 'sentCount', defaultValue: 0 },
    { type: 'integer', name: 'failedCount', defaultValue: 0 },
    { type: 'integer', name: 'canceledCount', defaultValue: 0 },
    { type: 'date', name: 'scheduledAt' },
    { type: 'date', name: 'startedAt' },
    { type: 'date', name: 'finishedAt' },
    // Epoch ms (dates keep only seconds on MariaDB): the next mail of this job may leave then
    // (mass-send interval); taken by a conditional UPDATE.
    { type: 'bigInt', name: 'nextSendAt' },
    // The provider's daily limit: first refusal, and when to try again (S-BULK-4).
    { type: 'date', name: 'dailyLimitSince' },
    { type: 'date', name: 'waitingUntil' },
    { type: 'text', name: 'reason' },
  ],
  indexes: [
    { fields: ['userId', 'createdAt'] },
    { fields: ['userId', 'idempotencyKey'], unique: true },
    // The runner's scan: active jobs by account.
    { fields: ['active', 'accountId'] },
  ],
});
