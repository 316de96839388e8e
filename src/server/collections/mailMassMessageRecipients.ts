import { defineCollection } from '@nocobase/database';

/**
 * One recipient of a bulk job (S-BULK-5): the row is what makes a resumed job never send twice.
 * It is taken by a conditional UPDATE (pending → sending), carries its own Message-ID (checked at
 * the provider before a second attempt) and ends Sent, Failed (with a reason) or Canceled.
 */
export default defineCollection({
  name: 'mailMassMessageRecipients',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'jobId', allowNull: false },
    // Send order within the job.
    { type: 'integer', name: 'position', allowNull: false },
    // Lower-cased, so de-duplication ignores case; '' for an empty source value.
    { type: 'string', name: 'address', allowNull: false },
    { type: 'string', name: 'name' },
    // False for an empty or invalid address: Failed at creation, never resent.
    { type: 'boolean', name: 'valid', defaultValue: true },
    { type: 'string', name: 'recordKey' },
    // The source row's fields the templates use (S-BULK-3), read at creation.
    { type: 'json', name: 'record' },
    { type: 'string', name: 'status', allowNull: false },
    { type: 'text', name: 'reason' },
    { type: 'integer', name: 'attempts', defaultValue: 0 },
    { type: 'date', name: 'claimedAt' },
    // With angle brackets; the same for every attempt.
    { type: 'string', name: 'internetMessageId', allowNull: false },
    { type: 'string', name: 'providerMessageId' },
    { type: 'string', name: 'threadId' },
    // The stored copy in Sent (mailMessages id).
    { type: 'bigInt', name: 'messageId' },
    { type: 'date', name: 'sentAt' },
  ],
  indexes: [
    // The runner takes the next pending recipient of a job in order; the tracking view pages by status.
    { fields: ['jobId', 'status', 'position'] },
    { fields: ['jobId', 'position'] },
  ],
});
