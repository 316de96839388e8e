import { defineCollection } from '@nocobase/database';

/** Attachment metadata; the content is fetched from the provider on first open and cached. */
export default defineCollection({
  name: 'mailAttachments',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'bigInt', name: 'messageId', allowNull: false },
    // Gmail attachment ids run to several hundred characters.
    { type: 'text', name: 'providerAttachmentId' },
    { type: 'text', name: 'filename' },
    { type: 'string', name: 'mimeType' },
    { type: 'integer', name: 'size' },
    { type: 'string', name: 'contentId' },
    { type: 'boolean', name: 'inline', defaultValue: false },
    { type: 'string', name: 'storagePath' },
  ],
  indexes: [{ fields: ['messageId'] }, { fields: ['accountId'] }],
});
