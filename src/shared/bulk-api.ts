/**
 * Bulk send (S-BULK-1…5): API contract and limits, shared by the server actions and the client.
 * A job sends one separate mail per recipient from one of the user's own connected accounts; it
 * runs on the server (no page needed, survives restarts), waiting the mass-send interval of
 * Settings → Email settings between two mails of the same account.
 *
 * Everything is owner-scoped (S-ACL-3): another user's job, recipient or account answers 404 as if
 * it did not exist, admin and root included; anonymous requests 401; a role without the
 * `email-manager` snippet 403. Errors come back as `{ errors: [{ message, field?, …details }] }`,
 * translated by the X-Locale header: 400 bad input (the field says which), 403 the sender may not
 * view the source collection, 404 not found / not yours, 409 the account cannot send
 * (reauthorize / error / paused) or the job is finished.
 *
 * POST mailMassMessages:create     BulkCreateInput            → { data: BulkJobView }
 * POST mailMassMessages:preview    BulkCreateInput (only source/addresses are read; subject and html
 *                                  name the variables to read)  → { data: BulkPreview }  (nothing is stored)
 * GET  mailMassMessages:listOwn    [?page=1&pageSize=20]      → { data: BulkJobPage }  (newest first, with counts)
 * GET  mailMassMessages:getOwn     ?filterByTk=<job>          → { data: BulkJobView }  (with html)
 * GET  mailMassMessages:recipients ?filterByTk=<job>[&status=<BulkRecipientStatus>][&page=1&pageSize=50]
 *                                                             → { data: BulkRecipientPage } (in send order)
 * POST mailMassMessages:cancel     ?filterByTk=<job>[&recipientId=<recipient>]
 *                                                             → { data: BulkJobView }
 *      Without recipientId every Pending recipient becomes Canceled; with it, that one (it must be
 *      Pending, else 409). A recipient being sent at this moment (Sending) cannot be canceled.
 * POST mailMassMessages:resend     ?filterByTk=<job>[&recipientId=<recipient>]
 *                                                             → { data: BulkJobView }
 *      Without recipientId every Failed and Canceled recipient is queued again (Pending); with it,
 *      that one (it must be Failed or Canceled, else 409). A Sent mail is never sent again
 *      (S-BULK-5). The account must be able to send (409 otherwise).
 *
 * Recipients (BulkSource): rows of a collection of the main data source, the user either picking
 * them (`filterByTk`) or asking for all records matching a filter (`all: true`). Both are resolved
 * on the server within the sender's ACL (S-ACL-9): only rows the sender's roles may `view` (their
 * data scope applies), so ids of rows out of scope are simply not found. `emailFieldNames` names
 * string/email fields of the collection, or of a to-one association as `association.field`; one
 * value may hold several addresses (split on `,` `;` newline). Addresses are de-duplicated ignoring
 * case (the first row wins); an empty or invalid value becomes a Failed recipient with a reason, so
 * nothing is silently dropped. `addresses` adds recipients without a row (their variables are
 * empty). More than BULK_MAX_RECIPIENTS recipients in all: 400 (field `source`, details `count`,
 * `limit`); none at all: 400.
 *
 * Variables (S-BULK-3): `{{record.<field>}}` or `{{record.<association>.<field>}}` in subject and
 * html are filled per recipient from their source row, HTML-escaped in the body, as plain text in
 * the subject; a missing field gives ''. The row is read when the job is created.
 *
 * Scheduling: `sendAt` (ISO time with offset, between 1 minute and 1 year from now, the rule of
 * schedule send) makes the job Scheduled until then; without it the job starts at once.
 *
 * Provider daily limit (S-BULK-4): the job waits and retries every BULK_DAILY_LIMIT_RETRY_MS
 * (`waitingUntil`, `reason` set); after BULK_DAILY_LIMIT_GIVE_UP_MS of refusals the rest is Failed.
 * Account needs reauthorization or is paused: the job pauses (`paused: true`, `reason`) and goes
 * on by itself once the account can send again.
 */
import type { Address } from './mail-center-api';

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const BULK_ACTIONS = {
  create: 'mailMassMessages:create',
  preview: 'mailMassMessages:preview',
  listOwn: 'mailMassMessages:listOwn',
  getOwn: 'mailMassMessages:getOwn',
  recipients: 'mailMassMessages:recipients',
  cancel: 'mailMassMessages:cancel',
  resend: 'mailMassMessages:resend',
} as const;

/** S-BULK-2: recipients of one job, after de-duplication (invalid ones included). */
export const BULK_MAX_RECIPIENTS = 2000;
/** The subject template, in characters. */
export const BULK_SUBJECT_MAX = 500;
/** The body template: a whole mail with a few small images, like a template (S-TPL-1). */
export const BULK_HTML_MAX_BYTES = 1024 * 1024;
/** S-BULK-4: a job refused for the provider's daily limit tries again after this long… */
export const BULK_DAILY_LIMIT_RETRY_MS = 60 * 60 * 1000;
/** …and gives up the rest (Failed) after refusals for this long. */
export const BULK_DAILY_LIMIT_GIVE_UP_MS = 24 * 60 * 60 * 1000;
/** Recipients per page in the tracking view. */
export const BULK_RECIPIENTS_PAGE_SIZE = 50;
export const BULK_RECIPIENTS_PAGE_SIZE_MAX = 200;
/** Jobs per page in the tracking list. */
export const BULK_JOBS_PAGE_SIZE = 20;
export const BULK_JOBS_PAGE_SIZE_MAX = 100;
/** Fields listed in `emailFieldNames`. */
export const BULK_MAX_EMAIL_FIELDS = 10;

/** `{{record.name}}`, `{{ record.company.name }}`: the variable syntax of subject and body. */
export const BULK_VARIABLE_PATTERN = /{{\s*record\.([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*}}/g;

/** S-BULK-5 recipient statuses. */
export type BulkRecipientStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'canceled';
export const BULK_RECIPIENT_STATUSES: BulkRecipientStatus[] = ['pending', 'sending', 'sent', 'failed', 'canceled'];

/**
 * S-BULK-5 job statuses, derived from the recipients (see deriveJobStatus):
 * scheduled – sendAt ahead and nothing sent yet; pending – waiting for its first mail;
 * sending – the first mail was taken, some to go; sent – every recipient Sent; someSent – finished, some
 * Sent and some Failed/Canceled; failed – finished with none Sent (some Failed);
 * canceled – finished with none Sent and none Failed (all Canceled).
 */
export type BulkJobStatus = 'scheduled' | 'pending' | 'sending' | 'someSent' | 'sent' | 'failed' | 'canceled';

export interface BulkCounts {
  total: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  canceled: number;
}

/**
 * The status a job shows, from its counts; one rule for the server and the client. `started`: the
 * runner has taken a first mail (recipients Failed for an invalid address at creation do not
 * make a job Sending).
 */
export function deriveJobStatus(counts: BulkCounts, scheduledAt: Date | string | null, now = new Date(), started = false): BulkJobStatus {
  const open = counts.pending + counts.sending;
  if (open > 0) {
    if (started || counts.sent + counts.sending > 0) return 'sending';
    return scheduledAt && new Date(scheduledAt).getTime() > now.getTime() ? 'scheduled' : 'pending';
  }
  if (counts.sent > 0) return counts.sent === counts.total ? 'sent' : 'someSent';
  return counts.failed > 0 ? 'failed' : 'canceled';
}

export interface BulkSource {
  /** A collection of the main data source, e.g. 'customers'. */
  collection: string;
  /** Fields holding addresses: `email`, or `company.email` through a to-one association. */
  emailFieldNames: string[];
  /** The rows the user ticked (primary keys). */
  filterByTk?: (string | number)[];
  /** "All records" (setting `defaultSelectAllRecords`): every row matching `filter` that the sender may view. */
  all?: boolean;
  /** The block's data scope and filters, a NocoBase filter object; with `all` (also narrows `filterByTk`). */
  filter?: Record<string, unknown>;
}

export interface BulkCreateInput {
  /** One of the user's connected accounts: it sends every mail. */
  accountId: number;
  /** The account's address or one of its verified aliases; the primary address when absent. */
  from?: string;
  /** May use `{{record.<field>}}`. Required (non-empty) for create. */
  subject?: string;
  /** May use `{{record.<field>}}`. */
  html?: string;
  /** Rows whose email fields give the recipients. Optional when `addresses` is given. */
  source?: BulkSource;
  /** Extra recipients without a row: a pasted list ("a@x.com; Bob <b@y.org>") or addresses. */
  addresses?: string | (string | Address)[];
  /** ISO time: the job is Scheduled until then. */
  sendAt?: string;
  /**
   * One per submit, like the editor's send key (8–128 of `A-Za-z0-9._:-`): a second create with the
   * same key answers the first job instead of making another one (double click, retried request).
   */
  idempotencyKey?: string;
}

export interface BulkPreview {
  /** Recipients the job would have (valid + invalid), after de-duplication. */
  total: number;
  valid: number;
  /** Empty or invalid addresses (they would become Failed), with the first few as examples. */
  invalid: number;
  invalidExamples: { value: string; reason: string }[];
  /** Addresses dropped because an earlier row had them (ignoring case). */
  duplicates: number;
  /** Source rows read (not `rows`: NocoBase would take a `{ rows }` body for a page). */
  records: number;
  limit: number;
}

export interface BulkJobView {
  id: number;
  accountId: number;
  /** The account's address, for the list. */
  accountEmail: string;
  from: Address;
  subject: string;
  /** Only in getOwn. */
  html?: string;
  status: BulkJobStatus;
  counts: BulkCounts;
  /** The job waits for its account (reauthorize, paused): it goes on by itself once the account can send. */
  paused: boolean;
  /** Why it waits or stopped (daily limit, account state); null when all is well. */
  reason: string | null;
  /** Next try after the provider's daily limit; null otherwise. */
  waitingUntil: string | null;
  scheduledAt: string | null;
  source: { collection: string | null; emailFieldNames: string[]; all: boolean };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface BulkJobPage {
  rows: BulkJobView[];
  count: number;
  page: number;
  pageSize: number;
}

export interface BulkRecipientView {
  id: number;
  /** Lower-cased; '' for an empty source value. */
  address: string;
  name: string | null;
  status: BulkRecipientStatus;
  /** Why it failed or was canceled. */
  reason: string | null;
  attempts: number;
  /** The primary key of its source row; null for an address given directly. */
  recordKey: string | null;
  sentAt: string | null;
  /** The stored copy in Sent (mailMessages id), once known; open it in the mail center. */
  messageId: number | null;
}

export interface BulkRecipientPage {
  rows: BulkRecipientView[];
  count: number;
  page: number;
  pageSize: number;
}
