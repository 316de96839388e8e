export type ProviderName = 'gmail' | 'outlook';
export type AccountStatus = 'connected' | 'syncing' | 'reauthorize' | 'error' | 'disabled';

/** What `mailAccounts:listOwn` returns for one account: never a token. */
export interface AccountView {
  id: number;
  provider: ProviderName;
  email: string;
  displayName: string | null;
  status: AccountStatus;
  statusMessage: string | null;
  syncStartDate: string | null;
  lastSyncedAt: string | null;
  importProgress: { percent?: number; imported?: number; total?: number } | null;
  aliases: { email: string; displayName?: string; isPrimary: boolean }[];
  createdAt: string;
}

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
}

/** The OAuth return tab tells the tab that opened it that an account changed. */
export const ACCOUNTS_CHANNEL = 'email-manager:accounts';
