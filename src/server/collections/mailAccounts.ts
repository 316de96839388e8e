import { defineCollection } from '@nocobase/database';

/**
 * A linked mailbox of one NocoBase user. `credentials` holds the encrypted token set and is
 * hidden from every serialisation. One user never gets two rows for the same provider address
 * (S-CONN-4); two users linking the same address get two private rows.
 */
export default defineCollection({
  name: 'mailAccounts',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'string', name: 'provider', allowNull: false },
    { type: 'string', name: 'email', allowNull: false },
    { type: 'string', name: 'displayName' },
    { type: 'json', name: 'aliases' },
    { type: 'text', name: 'credentials', hidden: true },
    // IMAP/SMTP accounts: the servers and user name as entered (no password; that is in credentials).
    { type: 'json', name: 'server' },
    // The node watching an IMAP account's Inbox with IDLE, and until when (jobs/imap-idle.ts).
    { type: 'string', name: 'idleOwner' },
    { type: 'date', name: 'idleUntil' },
    { type: 'json', name: 'scopes' },
    { type: 'string', name: 'status', defaultValue: 'connected' },
    { type: 'string', name: 'statusMessage' },
    { type: 'date', name: 'syncStartDate' },
    { type: 'string', name: 'syncStage', defaultValue: 'pending' },
    // Provider-specific change-feed position, written with every committed batch.
    { type: 'json', name: 'syncCursor' },
    // Number of the current or last full listing (see mailMessages.syncMark).
    { type: 'integer', name: 'syncMark', defaultValue: 0 },
    // The provider's folders and labels, for the sidebar.
    { type: 'json', name: 'folders' },
    { type: 'date', name: 'foldersSyncedAt' },
    { type: 'json', name: 'importProgress' },
    // When a full listing last finished; null until the first import is done. Mail a later
    // listing finds (a reconcile) is new mail; mail of the first import is not (workflow trigger).
    { type: 'date', name: 'importedAt' },
    { type: 'date', name: 'throttledUntil' },
    { type: 'date', name: 'lastSyncStartedAt' },
    { type: 'date', name: 'lastSyncedAt' },
    // Which node syncs the account until when: a lease taken with one conditional UPDATE, so across
    // a cluster one node at most runs an account, whatever lock adapter the app has.
    { type: 'string', name: 'syncLeaseOwner' },
    { type: 'date', name: 'syncLeaseUntil' },
    // Error of the last run when it failed for a passing reason (the account stays connected).
    { type: 'text', name: 'lastSyncError' },
    // The owner lets workflows read this mailbox and send from it (S-WF-1/2); off until they allow it.
    { type: 'boolean', name: 'workflowAccess', defaultValue: false },
  ],
  indexes: [{ fields: ['userId', 'provider', 'email'], unique: true }, { fields: ['status'] }],
});
