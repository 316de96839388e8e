/** i18n namespace of the server strings; the app serves src/locale/<lang>.json under the package name. */
export const NAMESPACE = '@nocobase/plugin-email-manager';

/** Where the providers send the user back after consent (S-CONF-5). */
export { OAUTH_RETURN_PATH } from '../shared/accounts-api';

/** The collections this plugin owns; dropped on remove (S-LIFE-4). */
export const COLLECTIONS = {
  settings: 'mailSettings',
  accounts: 'mailAccounts',
  messages: 'mailMessages',
  attachments: 'mailAttachments',
  syncLogs: 'mailSyncLogs',
  oauthRequests: 'mailOAuthRequests',
  labels: 'mailMessageLabels',
  labelLinks: 'mailmessagelabelsMailmessages',
  notes: 'mailMessageNotes',
  sendRequests: 'mailSendRequests',
  signatures: 'mailSignatures',
  templates: 'mailTemplates',
  composeSettings: 'mailComposeSettings',
  // The Email table block's address index (src/server/messages/participant-index.ts).
  participants: 'mailMessageParticipants',
  massMessages: 'mailMassMessages',
  massRecipients: 'mailMassMessageRecipients',
  // Which workflow fired for which message (src/server/workflow/firings.ts).
  workflowFirings: 'mailWorkflowFirings',
} as const;

/** S-CONF-3 limits, shared with the settings form. */
export { DEFAULT_MICROSOFT_TENANT, MASS_SEND_INTERVAL_MS, SYNC_INTERVAL_MINUTES } from '../shared/settings-rules';

/** Account statuses (DESIGN §4). */
export { ACCOUNT_STATUS, SYNC_STAGE } from '../shared/accounts-api';
export type { AccountStatus, SyncStage } from '../shared/accounts-api';

/**
 * Emitted on the app once mail is stored for the first time and committed: by the sync for the
 * rows a step inserted, and by the send path for a mail just sent (src/server/workflow listens).
 * Payload: MessagesAddedEvent. Listeners must not throw and must not hold the sync up.
 */
export const MESSAGES_ADDED_EVENT = 'email-manager:messagesAdded';

export interface MessagesAddedEvent {
  accountId: number;
  providerMessageIds: string[];
  /** 'import': stored by an account's first import or a Resync's listing; 'new': everything else. */
  phase: 'new' | 'import';
  /** Workflow executions that led to this mail (a workflow's send node), so none triggers itself again. */
  stack?: (number | string)[];
}

/** Emitted on the app when an account was connected or reauthorized: its sync is queued. */
export const ACCOUNT_CONNECTED_EVENT = 'email-manager:accountConnected';

export { ALL_MAIL_PERMISSION, ALL_MAIL_SNIPPET, SETTINGS_SNIPPET, USER_SNIPPET } from '../shared/acl-snippets';

/** An authorization must be completed within this time (S-CONN-1). */
export const OAUTH_REQUEST_TTL_MS = 10 * 60 * 1000;
/** Default sync window when the user picks no start date: one month (S-CONN-2). */
export const DEFAULT_SYNC_WINDOW_DAYS = 30;
/** Refresh an access token this long before it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 60 * 1000;
