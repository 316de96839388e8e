/**
 * The accounts contract (S-CONN-*, S-SYNC-*), shared by the server and the client: which
 * providers exist, what they can do, the account's status and sync stage, and what the API
 * returns for an account (never a token).
 */

export const PROVIDER_NAMES = ['gmail', 'outlook'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * What a provider can do, as data: the client shows and hides by it, never by the provider's
 * name, so a third provider needs no client change.
 */
export interface ProviderCapabilities {
  /** The mailbox's own grouping: Gmail labels (a mail in several) or folders (a mail in one). */
  grouping: 'labels' | 'folders';
  /** The provider has verified send-as addresses to read (Gmail's "Send mail as"). */
  aliases: boolean;
  /** Mail scheduled in the provider's own client shows as a read-only Scheduled box (Gmail). */
  providerScheduledBox: boolean;
}

export const ACCOUNT_STATUS = {
  connected: 'connected',
  syncing: 'syncing',
  reauthorize: 'reauthorize',
  error: 'error',
  disabled: 'disabled',
} as const;
export type AccountStatus = (typeof ACCOUNT_STATUS)[keyof typeof ACCOUNT_STATUS];

/**
 * Where an account's sync stands (written only by the server's sync/account-state.ts):
 *
 *   pending ──first run──▶ importing ──listing done──▶ idle ⇄ syncing
 *   any ──cursor expired / resync──▶ importing (a reconcile: list all, sweep what is gone)
 *   any ──429 with a long Retry-After──▶ throttled (until) ──next run──▶ syncing
 */
export const SYNC_STAGE = {
  pending: 'pending',
  importing: 'importing',
  idle: 'idle',
  syncing: 'syncing',
  throttled: 'throttled',
} as const;
export type SyncStage = (typeof SYNC_STAGE)[keyof typeof SYNC_STAGE];

export interface ImportProgress {
  imported?: number;
  total?: number;
  percent?: number;
}

export interface AliasView {
  email: string;
  displayName?: string;
  isPrimary: boolean;
  replyTo?: string;
}

/** A provider folder or label; `custom` ones are the user's own. */
export interface FolderView {
  id: string;
  name: string;
  box: string | null;
  custom: boolean;
}

/** What `mailAccounts:listOwn` returns for one account: never a token. */
export interface AccountView {
  id: number;
  provider: ProviderName;
  capabilities: ProviderCapabilities;
  email: string;
  displayName: string | null;
  status: AccountStatus;
  statusMessage: string | null;
  syncStartDate: string | null;
  lastSyncedAt: string | null;
  importProgress: ImportProgress | null;
  syncStage: SyncStage | null;
  throttledUntil: string | null;
  lastSyncError: string | null;
  aliases: AliasView[];
  folders: FolderView[];
  createdAt: string;
}
