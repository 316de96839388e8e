import { defineCollection } from '@nocobase/database';

/**
 * A user's note and to-do on a conversation (S-CENTER-9, S-CENTER-10): one row per user and
 * thread. `messageId` is the mail it was written on, for display; the thread key keeps the note
 * with the conversation when mails are added to or removed from it.
 */
export default defineCollection({
  name: 'mailMessageNotes',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'string', name: 'threadId', allowNull: false },
    { type: 'bigInt', name: 'messageId', allowNull: false },
    { type: 'text', name: 'note' },
    { type: 'boolean', name: 'todo', defaultValue: false },
  ],
  indexes: [{ fields: ['userId', 'accountId', 'threadId'], unique: true }, { fields: ['accountId', 'threadId'] }],
});
