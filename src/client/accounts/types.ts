/** The accounts UI's view of the server: the calls it makes, and the channel between its tabs. */
import type {
  AccountView,
  AuthorizeInput,
  AuthorizeResult,
  CompleteInput,
  CompleteResult,
  ProvidersConfigured,
  ServerAccountInput,
  ServerTestResult,
  SyncLogRow,
} from '../../shared/accounts-api';

export type { AccountStatus, AccountView, ProviderName } from '../../shared/accounts-api';

/** The calls the accounts UI makes (src/shared/accounts-api.ts); accountsApi implements them on NocoBase's APIClient. */
export interface AccountsApi {
  list(): Promise<AccountView[]>;
  /** Which providers the admin configured (S-CONF-4). */
  providers(): Promise<ProvidersConfigured>;
  /** The provider's consent URL for connecting (with a start date) or reauthorizing an account. */
  authorize(input: AuthorizeInput): Promise<Pick<AuthorizeResult, 'url'>>;
  complete(input: CompleteInput): Promise<CompleteResult>;
  syncAliases(accountId: number): Promise<AccountView['aliases']>;
  remove(accountId: number): Promise<void>;
  /** Queues a sync of one account at once (S-SYNC-1). */
  syncNow(accountId: number): Promise<void>;
  /** Imports the window again, optionally from an earlier date (S-SYNC-7). */
  resync(accountId: number, syncStartDate?: string): Promise<void>;
  /** The account's last runs, newest first (S-SYNC-10). */
  syncLogs(accountId: number): Promise<SyncLogRow[]>;
  /** "Test connection" of an IMAP/SMTP login: nothing is saved (S-IMAP-1). */
  testServer(input: ServerAccountInput): Promise<ServerTestResult>;
  /** Adds an IMAP/SMTP mailbox, or takes a new password for one (`accountId`). */
  connectServer(input: ServerAccountInput): Promise<CompleteResult>;
  /** The owner lets workflows read from and send from the account, or withdraws it; answers the account. */
  setWorkflowAccess(accountId: number, allowed: boolean): Promise<AccountView>;
}

/** The OAuth return tab tells the tab that opened it that an account changed. */
export const ACCOUNTS_CHANNEL = 'email-manager:accounts';
