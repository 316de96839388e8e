import type { AccountView, ProviderName } from '../../shared/accounts-api';

export type { AccountStatus, AccountView, ProviderName } from '../../shared/accounts-api';

/** The calls the accounts UI makes; AccountsApiClient implements them on NocoBase's APIClient. */
export interface AccountsApi {
  list(): Promise<AccountView[]>;
  /** Which providers the admin configured (S-CONF-4). */
  providers(): Promise<Record<ProviderName, boolean>>;
  /** The provider's consent URL for connecting (with a start date) or reauthorizing an account. */
  authorize(input: { provider?: ProviderName; accountId?: number; syncStartDate?: string }): Promise<{ url: string }>;
  complete(input: Record<string, string>): Promise<{ account: AccountView; created: boolean; reauthorized: boolean }>;
  syncAliases(accountId: number): Promise<AccountView['aliases']>;
  remove(accountId: number): Promise<void>;
  /** Queues a sync of one account at once (S-SYNC-1). */
  syncNow(accountId: number): Promise<void>;
  /** Imports the window again, optionally from an earlier date (S-SYNC-7). */
  resync(accountId: number, syncStartDate?: string): Promise<void>;
  /** The account's last runs, newest first (S-SYNC-10). */
  syncLogs(accountId: number): Promise<SyncLogRow[]>;
}

export interface SyncLogRow {
  id: number;
  kind: 'initial' | 'incremental' | 'manual' | 'resync';
  outcome: 'running' | 'ok' | 'failed' | 'throttled' | 'reauthorize';
  startedAt: string;
  endedAt: string | null;
  added: number;
  updated: number;
  deleted: number;
  apiCalls: number;
  error: string | null;
}

/** The OAuth return tab tells the tab that opened it that an account changed. */
export const ACCOUNTS_CHANNEL = 'email-manager:accounts';
