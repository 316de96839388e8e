/**
 * The settings contract (S-CONF-*, S-SYNC-10), shared by the server and the client: the provider
 * credentials and intervals of Settings → Email settings, and the admin's list of every sync run.
 * The rules each value must follow are in ./settings-rules.ts.
 *
 * These actions belong to the settings page's snippet (SETTINGS_SNIPPET, src/shared/acl-snippets.ts),
 * which root and admin hold by default: other roles 403, anonymous requests 401. Errors come back
 * as `{ errors: [{ message, field? }] }` (src/shared/api-errors.ts), translated by the X-Locale header.
 *
 * GET  mailSettings:read                          → { data: SettingsView }
 * POST mailSettings:set     SettingsUpdate        → { data: SettingsView }  (400 with one error per bad field,
 *                           all at once; nothing is saved then)
 * GET  mailSyncLogs:listAll [?page=1&pageSize=50] → { data: AdminSyncLogRow[], meta: SyncLogListMeta }
 *                           (every account's runs, newest first; pageSize 1..OWN_SYNC_LOG_ROWS)
 *
 * Secrets never come back: the view says only whether each is set. The request log never shows
 * them either (the server redacts `googleClientSecret` and `microsoftClientSecret` of `set`).
 */
import type { SyncLogRow } from './accounts-api';

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const SETTINGS_ACTIONS = {
  read: 'mailSettings:read',
  set: 'mailSettings:set',
  syncLogs: 'mailSyncLogs:listAll',
} as const;

/** The settings page's key under /admin/settings; its ACL snippet is `pm.<key>`. */
export const SETTINGS_KEY = 'mail';

/** Rows per page of the admin's sync log when none is asked for. */
export const ADMIN_SYNC_LOG_PAGE_SIZE = 50;

/** What `mailSettings:read` and `mailSettings:set` answer: secrets only as "is set". */
export interface SettingsView {
  googleClientId: string;
  googleClientSecretSet: boolean;
  googleConfigured: boolean;
  microsoftClientId: string;
  microsoftClientSecretSet: boolean;
  microsoftTenant: string;
  microsoftConfigured: boolean;
  /** Minutes between two syncs of an account. */
  syncInterval: number;
  /** Milliseconds between two mails of a bulk send from one account. */
  massSendInterval: number;
  /** S-ACL-6: department owners read their departments' mail; on only while the Departments plugin is there. */
  viewByDepartment: boolean;
  departmentsAvailable: boolean;
  /** The redirect URI to register at Google and Azure (S-CONF-5). */
  redirectUri: string;
  /** S-IMAP-1: users may connect other mail servers (IMAP/SMTP). */
  imapEnabled: boolean;
  /** The only server hosts users may enter (`mail.example.com`, `*.example.com`); empty: any public host. */
  imapAllowedHosts: string[];
}

/** What `mailSettings:set` accepts. A secret left out (or '') keeps the stored one; null clears it. */
export interface SettingsUpdate {
  googleClientId?: string;
  googleClientSecret?: string | null;
  microsoftClientId?: string;
  microsoftClientSecret?: string | null;
  microsoftTenant?: string;
  syncInterval?: number;
  massSendInterval?: number;
  /** S-ACL-6: department owners see their departments' mail (read-only). */
  viewByDepartment?: boolean;
  imapEnabled?: boolean;
  imapAllowedHosts?: string[];
}

/** A run of the admin's list: the owner's row plus the account's address. */
export interface AdminSyncLogRow extends SyncLogRow {
  /** null once the account is gone. */
  email: string | null;
}

export interface SyncLogListMeta {
  count: number;
  page: number;
  pageSize: number;
  totalPage: number;
}
