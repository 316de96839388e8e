/**
 * The accounts contract (S-CONN-*, S-SYNC-*), shared by the server and the client: which
 * providers exist, what they can do, the account's status and sync stage, what the API returns
 * for an account (never a token), and the connect, sync and sync-log actions.
 *
 * Everything is owner-scoped (S-ACL-3): another user's account answers 404 "Mail account not
 * found" as if it did not exist, admin and root included; anonymous requests 401; a role without
 * the `email-manager` snippet 403. Errors come back as `{ errors: [{ message, field?, …details }] }`
 * (src/shared/api-errors.ts), translated by the X-Locale header.
 *
 * GET  mailAccounts:listOwn                            → { data: AccountView[] }
 * GET  mailAccounts:providers                          → { data: ProvidersConfigured }  (S-CONF-4: which the admin configured)
 * POST mailAccounts:authorize   AuthorizeInput         → { data: AuthorizeResult }
 *                               (the provider's consent URL; 400 `provider` unknown or not configured)
 * POST mailAccounts:complete    CompleteInput          → { data: CompleteResult }
 *                               (400 `state` expired or used, `code`, `access_denied` with details provider,
 *                               accountId?, syncStartDate? for "Try again"; 403 another user's state; 502 provider)
 * POST mailAccounts:syncAliases ?filterByTk=<account>  → { data: SyncAliasesResult }  (Gmail's "Send mail as")
 * POST mailAccounts:remove      ?filterByTk=<account>  → { data: { removed: number } }
 * POST mailAccounts:syncNow     [?filterByTk=<account>] → { data: SyncQueued }  (S-SYNC-1: one account, or all the
 *                               user's; 409 a run of that account is going on)
 * POST mailAccounts:resync      ?filterByTk=<account> ResyncInput → { data: SyncQueued }  (S-SYNC-7; 409 as syncNow)
 * GET  mailSyncLogs:listOwn     [?accountId=<account>] → { data: SyncLogRow[] }  (S-SYNC-10: newest first, at most
 *                               OWN_SYNC_LOG_ROWS)
 * POST mailAccounts:testServer  ServerAccountInput     → { data: ServerTestResult }  (S-IMAP-1: both servers checked,
 *                               nothing saved; 400 IMAP/SMTP off, a host not allowed, or a bad field)
 * POST mailAccounts:connectServer ServerAccountInput   → { data: CompleteResult }  (tests first; 400 naming what
 *                               failed; with `accountId`, the password of that own account is entered again)
 * POST mailAccounts:setWorkflowAccess ?filterByTk=<account> WorkflowAccessInput → { data: AccountView }
 *                               (S-WF-1/2: the owner lets workflows read from and send from this account, or
 *                               withdraws it; src/shared/workflow-api.ts; 400 `allowed` not true/false)
 * GET  mailAccounts:listForWorkflows                   → { data: WorkflowAccountOption[] }
 *                               (the workflow editor's pickers: every account whose owner allows workflows, any
 *                               owner's; only for a role that may edit workflows, else 403)
 *
 * The provider sends the browser back to OAUTH_RETURN_PATH (S-CONF-5), a client route that hands
 * its query (code, state, error, error_description) to mailAccounts:complete.
 */

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const ACCOUNT_ACTIONS = {
  listOwn: 'mailAccounts:listOwn',
  providers: 'mailAccounts:providers',
  authorize: 'mailAccounts:authorize',
  complete: 'mailAccounts:complete',
  syncAliases: 'mailAccounts:syncAliases',
  remove: 'mailAccounts:remove',
  syncNow: 'mailAccounts:syncNow',
  resync: 'mailAccounts:resync',
  syncLogs: 'mailSyncLogs:listOwn',
  testServer: 'mailAccounts:testServer',
  connectServer: 'mailAccounts:connectServer',
  setWorkflowAccess: 'mailAccounts:setWorkflowAccess',
  listForWorkflows: 'mailAccounts:listForWorkflows',
} as const;

/** Where the providers send the user back after consent; the app's public path goes before it. */
export const OAUTH_RETURN_PATH = '/admin/settings/mail/oauth2';

/** Rows of the sync log an owner sees, and the largest page of the admin's list (S-SYNC-10). */
export const OWN_SYNC_LOG_ROWS = 100;

export const PROVIDER_NAMES = ['gmail', 'outlook', 'imap'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * How a user connects each provider: its consent page (OAuth), or a server login (IMAP/SMTP).
 * Data both halves read (the server's registry, the client's Connect buttons).
 */
export const PROVIDER_SIGN_IN: Record<ProviderName, 'oauth' | 'password'> = { gmail: 'oauth', outlook: 'oauth', imap: 'password' };

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
  /** How the user connects: the provider's consent page (OAuth), or a server login (IMAP/SMTP). */
  signIn: 'oauth' | 'password';
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
  /** A server-login account's servers (never its password), to prefill "enter the password again"; null for OAuth. */
  server: ServerSettingsView | null;
  /** The owner lets workflows read this mailbox and send from it (off by default). */
  workflowAccess: boolean;
  createdAt: string;
}

export interface WorkflowAccessInput {
  allowed: boolean;
}

/** An account the workflow editor offers: its owner allows workflows. No token, no status detail. */
export interface WorkflowAccountOption {
  id: number;
  email: string;
  provider: ProviderName;
  userId: number;
  /** The owner's nickname, else username or email, for "Ann (ann@x.com)" in the pickers. */
  userName: string;
}

/** How a connection to a mail server is secured: TLS from the start, or STARTTLS on a plain port. */
export type ServerSecurity = 'tls' | 'starttls';

export interface ServerEndpoint {
  host: string;
  port: number;
  security: ServerSecurity;
}

/** The servers of an IMAP/SMTP account, as the user entered them (no password). */
export interface ServerSettingsView {
  username: string;
  imap: ServerEndpoint;
  smtp: ServerEndpoint;
}

/** What "Connect other mailbox" sends (S-IMAP-1). The password is never returned or logged. */
export interface ServerAccountInput extends Partial<ServerSettingsView> {
  email?: string;
  displayName?: string;
  password?: string;
  /** ISO date the import starts from, as for authorize. */
  syncStartDate?: string;
  /** Enter the password (or servers) of this own account again instead of adding one. */
  accountId?: number;
}

/** One server's answer to "Test connection": what failed, in words, when it failed. */
export interface ServerCheck {
  ok: boolean;
  /** Which step failed: the name lookup, TLS, the connection, the login, a missing capability, or the server's own refusal. */
  failure?: 'dns' | 'tls' | 'connection' | 'login' | 'capability' | 'server';
  error?: string;
}

export interface ServerTestResult {
  /** With the IMAP extensions that matter here (CONDSTORE, QRESYNC, IDLE, MOVE, SPECIAL-USE): present or not. */
  imap: ServerCheck & { capabilities?: Partial<Record<string, boolean>> };
  smtp: ServerCheck;
}

/** Which providers the admin configured: only those offer Connect. */
export type ProvidersConfigured = Record<ProviderName, boolean>;

export interface AuthorizeInput {
  /** Connect a new account of this provider… */
  provider?: ProviderName;
  /** …or reauthorize this (own) account (its provider and address are used). */
  accountId?: number;
  /** ISO date the import starts from (not in the future); one month back when absent (S-CONN-2). */
  syncStartDate?: string;
}

export interface AuthorizeResult {
  /** The provider's consent page: open it. */
  url: string;
  /** Signed, single-use, bound to the user; the provider hands it back. */
  state: string;
  provider: ProviderName;
}

/** The query the provider sent back to OAUTH_RETURN_PATH (RFC 6749 §4.1.2), passed on as is. */
export interface CompleteInput {
  state?: string;
  code?: string;
  error?: string;
  error_description?: string;
  /** Overrides the start date given to authorize. */
  syncStartDate?: string;
}

export interface CompleteResult {
  account: AccountView;
  /** A new account (its first import is queued) rather than one connected again. */
  created: boolean;
  /** An account reauthorized through `accountId`. */
  reauthorized: boolean;
}

export interface SyncAliasesResult {
  aliases: AliasView[];
}

export interface RemoveResult {
  removed: number;
}

/** The accounts whose sync was queued. */
export interface SyncQueued {
  queued: number[];
}

export interface ResyncInput {
  /** Import again from this earlier date; the account's own start date when absent. */
  syncStartDate?: string;
}

export type SyncLogKind = 'initial' | 'incremental' | 'manual' | 'resync';
export type SyncLogOutcome = 'running' | 'ok' | 'failed' | 'throttled' | 'reauthorize';

/** One sync run (mailSyncLogs), failed runs included. */
export interface SyncLogRow {
  id: number;
  accountId: number;
  kind: SyncLogKind;
  outcome: SyncLogOutcome;
  startedAt: string;
  endedAt: string | null;
  added: number;
  updated: number;
  deleted: number;
  apiCalls: number;
  error: string | null;
}
