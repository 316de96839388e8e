import { defineCollection } from '@nocobase/database';

/** One row per sync run, failed runs included (S-SYNC-10). */
export default defineCollection({
  name: 'mailSyncLogs',
  dumpRules: { group: 'log' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'bigInt', name: 'userId' },
    { type: 'string', name: 'kind' },
    { type: 'string', name: 'outcome' },
    { type: 'date', name: 'startedAt' },
    { type: 'date', name: 'endedAt' },
    { type: 'integer', name: 'added', defaultValue: 0 },
    { type: 'integer', name: 'updated', defaultValue: 0 },
    { type: 'integer', name: 'deleted', defaultValue: 0 },
    { type: 'integer', name: 'apiCalls', defaultValue: 0 },
    { type: 'text', name: 'error' },
  ],
  indexes: [{ fields: ['accountId', 'startedAt'] }],
});
