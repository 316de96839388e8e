/**
 * Mail in NocoBase workflows (S-WF-1, S-WF-2): the shapes the workflow editor's forms save as
 * the trigger's and the node's `config`, what the trigger puts in `$context`, and what the node's
 * job result holds. Shared by the server (src/server/workflow) and the client forms.
 *
 * Trigger "Email received" (type EMAIL_RECEIVED_TRIGGER): fires once per new message of the
 * chosen accounts and boxes that matches the filter, after the sync has stored it, never during
 * an account's first import (unless `includeFirstImport`), never twice for one message.
 *
 * Node "Send email from mailbox" (type EMAIL_SEND_INSTRUCTION): sends through the editor's send
 * path, once per execution and node (a loop iteration counts as its own send).
 *
 * Consent (both): a workflow reads from and sends from an account only while its owner allows
 * it (`workflowAccess`, set by the owner with mailAccounts:setWorkflowAccess; off by default).
 */
import type { BlockFilter } from './block-api';

export const EMAIL_RECEIVED_TRIGGER = 'email-received';
export const EMAIL_SEND_INSTRUCTION = 'email-send';

/** Boxes a trigger can watch: new mail lands in Inbox (or Spam, or skips the Inbox); "Email sent" is Sent. */
export const WORKFLOW_BOXES = ['inbox', 'sent', 'archive', 'spam', 'trash'] as const;
export type WorkflowBox = (typeof WORKFLOW_BOXES)[number];
export const DEFAULT_TRIGGER_BOXES: WorkflowBox[] = ['inbox'];

/**
 * Which accounts a trigger watches; only accounts whose owner allows workflows ever fire.
 * - `all-visible`: every such account;
 * - `user`: the accounts of one NocoBase user;
 * - `accounts`: these account ids.
 */
export type TriggerAccounts = { mode: 'all-visible' } | { mode: 'user'; userId: number } | { mode: 'accounts'; ids: number[] };

/**
 * Fields of the trigger's filter (NocoBase filter JSON, `$and` / `$or` as in a block's Data
 * scope): the address fields and `domain`, `subject` and `hasAttachments` with the operators of
 * src/shared/block-api.ts, and
 * - `text`: `$includes` / `$notIncludes` (the body text, ignoring case);
 * - `label`: `$eq` / `$in` / `$ne` / `$notIn`: a provider label (Gmail) or folder (Outlook,
 *   IMAP), by its id or its name as the mail center's sidebar shows it.
 */
export const TRIGGER_FILTER_FIELDS = [
  'from', 'to', 'cc', 'bcc', 'replyTo', 'participants', 'domain',
  'subject', 'text', 'hasAttachments', 'label',
] as const;
export type TriggerFilterField = (typeof TRIGGER_FILTER_FIELDS)[number];

export interface EmailReceivedConfig {
  /** Default `{ mode: 'all-visible' }`. */
  accounts?: TriggerAccounts;
  /** Default DEFAULT_TRIGGER_BOXES. */
  boxes?: WorkflowBox[];
  /** Empty or absent: every new message of those boxes. */
  filter?: BlockFilter | null;
  /** Also fire for the mail an account's first import (and a Resync) stores. Default false. */
  includeFirstImport?: boolean;
}

/**
 * Which account the node sends from; it must allow workflows and be able to send.
 * - `fixed`: this account;
 * - `triggering-user`: the account that received the mail (trigger "Email received"), else an
 *   account of the user who triggered the workflow (`$context.user`);
 * - `record-user`: an account of the user found at `path`: a variable (`{{$context.data.createdById}}`)
 *   or a path into the workflow's scope (`$context.data.createdBy`), giving a user id or a user record.
 * With several accounts of that user, `email` picks one; else the oldest that allows workflows.
 */
export type SendAccountChoice =
  | { mode: 'fixed'; accountId: number }
  | { mode: 'triggering-user'; email?: string }
  | { mode: 'record-user'; path: string; email?: string };

/** Recipients: an address, a list, or a text of several split at `,` `;` and newlines; variables allowed. */
export type WorkflowRecipients = string | (string | { address: string; name?: string })[];

export interface EmailSendConfig {
  account: SendAccountChoice;
  to?: WorkflowRecipients;
  cc?: WorkflowRecipients;
  bcc?: WorkflowRecipients;
  /** Variables allowed; empty: the template's subject, or "Re: …" of the replied mail. */
  subject?: string;
  /** Variables allowed; empty: the template's body. */
  html?: string;
  /** A template of the sending account's owner or of the workflow's author. */
  templateId?: number | null;
  /**
   * A stored mail (mailMessages id, e.g. `{{$context.message.id}}`) of an account of the same
   * owner that allows workflows: the mail is a reply in its thread (In-Reply-To, References,
   * the provider's conversation); without `to`, it goes to the reply recipients.
   */
  replyToMessageId?: number | string | null;
  /** Default 'reply'. */
  replyMode?: 'reply' | 'replyAll';
  /** Quote the replied mail below the body. Default false. */
  quote?: boolean;
  /**
   * Files: a variable giving file records (an attachment field of a record), or attachments of
   * the triggering mail (`{{$context.message.attachments}}`); at most WORKFLOW_MAX_ATTACHMENTS.
   */
  attachments?: unknown;
}

/** Files one node sends at most (their bytes are within the 25 MB of any mail). */
export const WORKFLOW_MAX_ATTACHMENTS = 20;

/** The job result of a successful send. */
export interface EmailSendResult {
  providerMessageId: string;
  /** The stored mail in Sent (mailMessages id), null when storing it failed (the sync adds it). */
  messageId: number | null;
  threadId: string | null;
}

/** A failed send: the job fails with the reason, in the app's language. */
export interface EmailSendFailure {
  message: string;
  field?: string;
}

export interface ContextAddress {
  address: string;
  name?: string;
}

/** `$context.message` of the trigger. */
export interface MessageContext {
  /** mailMessages id: what the node's `replyToMessageId` takes. */
  id: number;
  accountId: number;
  /** The receiving account's address. */
  accountEmail: string;
  /** The owner of the account (a NocoBase user id). */
  userId: number;
  from: ContextAddress | null;
  fromText: string;
  to: ContextAddress[];
  toText: string;
  cc: ContextAddress[];
  ccText: string;
  replyTo: ContextAddress[];
  subject: string;
  /** The plain text body, at most CONTEXT_TEXT_MAX_CHARS. */
  text: string;
  snippet: string;
  /** ISO 8601. */
  date: string | null;
  threadId: string;
  box: string | null;
  /** The Message-ID header. */
  internetMessageId: string | null;
  hasAttachments: boolean;
  /** Files (inline images left out). */
  attachments: { id: number; filename: string; mimeType: string; size: number }[];
}

/** The body text kept in an execution's context; the rest is cut (`…`). */
export const CONTEXT_TEXT_MAX_CHARS = 100_000;

/** The trigger's variables for the editor's picker: path under `$context`, English title, type. */
export const EMAIL_RECEIVED_VARIABLES: { path: string; title: string; type: 'number' | 'string' | 'boolean' | 'date' | 'object' | 'array' }[] = [
  { path: 'message.id', title: 'Email ID', type: 'number' },
  { path: 'message.accountId', title: 'Account ID', type: 'number' },
  { path: 'message.accountEmail', title: 'Account email', type: 'string' },
  { path: 'message.userId', title: 'Account owner', type: 'number' },
  { path: 'message.from', title: 'From', type: 'object' },
  { path: 'message.fromText', title: 'From (text)', type: 'string' },
  { path: 'message.to', title: 'To', type: 'array' },
  { path: 'message.toText', title: 'To (text)', type: 'string' },
  { path: 'message.cc', title: 'Cc', type: 'array' },
  { path: 'message.ccText', title: 'Cc (text)', type: 'string' },
  { path: 'message.subject', title: 'Subject', type: 'string' },
  { path: 'message.text', title: 'Content', type: 'string' },
  { path: 'message.snippet', title: 'Snippet', type: 'string' },
  { path: 'message.date', title: 'Date', type: 'date' },
  { path: 'message.threadId', title: 'Thread ID', type: 'string' },
  { path: 'message.box', title: 'Box', type: 'string' },
  { path: 'message.hasAttachments', title: 'Has attachments', type: 'boolean' },
  { path: 'message.attachments', title: 'Attachments', type: 'array' },
];
