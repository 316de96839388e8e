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
    // Where the message is at the provider: Gmail label ids, or the Outlook folder id.
    // (Named labelIds before 2026-12; migrations/20261211000000-rename-label-ids-to-folder-ids.)
    { type: 'json', name: 'folderIds' },
    { type: 'string', name: 'box' },
    { type: 'json', name: 'from' },
    { type: 'json', name: 'to' },
    { type: 'json', name: 'cc' },
    { type: 'json', name: 'bcc' },
    { type: 'json', name: 'replyTo' },
    { type: 'string', name: 'deliveredTo' },
    // Lower-cased addresses and domains of every participant, each between spaces
    // (" a@x.com b@y.org "), so an address filter is an exact LIKE '% a@x.com %'.
    { type: 'text', name: 'participants' },
    { type: 'text', name: 'participantDomains' },
    // Lower-cased display names and addresses of every participant, for search (S-CENTER-4).
    { type: 'text', name: 'participantNames' },
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
    // False while the provider lists attachments only on request (Outlook): loaded on first open.
    { type: 'boolean', name: 'attachmentsLoaded', defaultValue: true },
    // The full listing that last saw this message; a reconcile removes what it did not see.
    { type: 'integer', name: 'syncMark', defaultValue: 0 },
    // A draft saved from the editor: the provider's handle for it (Gmail's draft id outlives the
    // message id each save replaces), and how it was composed (mode, original mail, From), so it
    // opens again as it was. The sync never writes these.
    { type: 'string', name: 'providerDraftId' },
    { type: 'json', name: 'compose' },
    // When the editor last saved it, in epoch ms: the newest draft wins the draft lookup.
    { type: 'bigInt', name: 'composeSavedAt' },
    // Scheduled send (S-SCHED-1/2) of a draft: when, where it stands, why it failed, and the
    // claim that keeps a cluster to one sender.
    { type: 'date', name: 'scheduledAt' },
    { type: 'string', name: 'scheduleStatus' },
    { type: 'text', name: 'scheduleError' },
    { type: 'integer', name: 'scheduleAttempts', defaultValue: 0 },
    { type: 'date', name: 'scheduleClaimedAt' },
    // The bulk-send job (mailMassMessages) this sent mail belongs to (S-BULK-4).
    { type: 'bigInt', name: 'massMessageId' },
  ],
  indexes: [
    { fields: ['accountId', 'providerMessageId'], unique: true },
    // A conversation's mails; the thread list's "newest of its thread" test walks it.
    { fields: ['accountId', 'threadId', 'date'] },
    { fields: ['accountId', 'date'] },
    // The thread list of one box in date order, and the unread badge.
    { fields: ['accountId', 'box', 'date'] },
    { fields: ['accountId', 'box', 'read'] },
    { fields: ['accountId', 'syncMark'] },
    // The scheduler's scan of due mail, across all accounts.
    { fields: ['scheduleStatus', 'scheduledAt'] },
  ],
});
