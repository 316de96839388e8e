import { defineCollection } from '@nocobase/database';

/**
 * One row per (mail, role, address): the Email table block's address and domain filters
 * (S-BLOCK-3/4) as index walks, and the mail center's From/To filters (S-CENTER-4) by role.
 * `mailMessages.participants` is space-joined text, not indexable for an exact match. accountId
 * and date are copied from the mail so a filter on an address reads only this table's index,
 * newest first. Written only by src/server/messages/participant-index.ts, in the same
 * transaction as the mail it describes.
 */
export default defineCollection({
  name: 'mailMessageParticipants',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: false,
  fields: [
    { type: 'bigInt', name: 'messageId', allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    // from | to | cc | bcc | replyTo
    { type: 'string', name: 'role', length: 16, allowNull: false },
    // Lower-cased; 255 characters keeps the index within MariaDB's key limit (an address is at most 254).
    { type: 'string', name: 'address', allowNull: false },
    { type: 'string', name: 'domain', allowNull: false },
    { type: 'date', name: 'date' },
    // The display name, lower-cased: the mail center's From/To match names as well as addresses
    // ("contains", never indexed, so text of any length).
    { type: 'text', name: 'name' },
  ],
  indexes: [
    { fields: ['address', 'date'] },
    { fields: ['domain', 'date'] },
    { fields: ['messageId'] },
    { fields: ['accountId'] },
  ],
});
