import { defineCollection } from '@nocobase/database';

/**
 * One provider message (S-SYNC-5). `(accountId, providerMessageId)` is unique: every import path
 * upserts on it, so a retried or resumed batch can never create a duplicate.
 */
export default defineCollection({
  name: 'mailMessages',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'string', name: 'providerMessageId', allowNull: false },
    { type: 'string', name: 'threadId' },
    { type: 'text', name: 'messageId' },
    { type: 'text', name: 'inReplyTo' },
    { type: 'text', name: 'references' },
    { type: 'json', name: 'labelIds', defaultValue: [] },
    { type: 'string', name: 'box' },
    { type: 'json', name: 'from' },
    { type: 'json', name: 'to', defaultValue: [] },
    { type: 'json', name: 'cc', defaultValue: [] },
    { type: 'json', name: 'bcc', defaultValue: [] },
    { type: 'json', name: 'replyTo', defaultValue: [] },
    // Lower-cased addresses of every participant, space separated, for address filters.
    { type: 'text', name: 'participants' },
    { type: 'text', name: 'subject' },
    { type: 'text', name: 'snippet' },
    { type: 'text', name: 'text', length: 'long' },
    { type: 'text', name: 'html', length: 'long' },
    { type: 'date', name: 'date' },
    { type: 'boolean', name: 'read', defaultValue: false },
    { type: 'boolean', name: 'starred', defaultValue: false },
    { type: 'boolean', name: 'draft', defaultValue: false },
    { type: 'boolean', name: 'sent', defaultValue: false },
    { type: 'boolean', name: 'trashed', defaultValue: false },
    { type: 'boolean', name: 'archived', defaultValue: false },
    { type: 'boolean', name: 'hasAttachments', defaultValue: false },
    { type: 'integer', name: 'size' },
  ],
  indexes: [
    { fields: ['accountId', 'providerMessageId'], unique: true },
    { fields: ['accountId', 'threadId'] },
    { fields: ['accountId', 'date'] },
    { fields: ['accountId', 'read'] },
  ],
});
