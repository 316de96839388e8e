import { defineCollection } from '@nocobase/database';

/**
 * One row per (workflow, message) the "Email received" trigger fired for (S-WF-1). The trigger
 * inserts the row before it hands the event to the workflow dispatcher; the unique index lets
 * one insert through, so a replayed event, a second listener or another node of a cluster never
 * starts the workflow twice for the same message. `messageKey` names the message by its account,
 * box and Message-ID header (its provider id when it has none), so a message the sync removes
 * and stores again under a new id (an IMAP folder listed again) is still the same message.
 * Rows go with their account.
 */
export default defineCollection({
  name: 'mailWorkflowFirings',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'workflowId', allowNull: false },
    // A SHA-256 in hex (64 characters).
    { type: 'string', name: 'messageKey', length: 64, allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    // The mailMessages row it fired for.
    { type: 'bigInt', name: 'messageId' },
  ],
  indexes: [{ fields: ['workflowId', 'messageKey'], unique: true }, { fields: ['accountId'] }],
});
