/**
 * Types shared by the server's database code: NocoBase's model and transaction types, and the
 * rows of the plugin's collections as `raw: true` reads and hand-written SQL return them.
 *
 * A raw row holds what the dialect gives: JSON columns may be text (SQLite, raw queries), so they
 * stay `unknown` until parsed (jsonValue, addresses); booleans may be 0/1 (Flag, read through
 * truthy); dates may be text (DateValue). BIGINT ids are typed as numbers, which they are on SQLite
 * and PostgreSQL (NocoBase parses INT8); MariaDB returns them as text, which is why code that
 * compares ids goes through Number().
 */
import type { Model, ModelStatic, Transaction } from '@nocobase/database';
import type { ModelAttributeColumnOptions, QueryInterface } from 'sequelize';
import type { BulkRecipientStatus } from '../shared/bulk-api';
import type { ScheduleStatus } from '../shared/compose-api';
import type { ProviderName } from './providers/types';

export type { Model, Transaction };

/** A collection's model class, as `app.db.getCollection(name).model` gives it. */
export type Table = ModelStatic<Model>;

/** A column of `model.rawAttributes`: once the model is defined, `field` (the column's name) is set. */
export type ColumnAttribute = ModelAttributeColumnOptions & { field: string };

/** A stored boolean: true/false, or 0/1 (and '1', 't') from raw reads on some dialects. */
export type Flag = boolean | number | string | null;
/** A date column: a Date, or text from raw reads on some dialects. */
export type DateValue = Date | string | null;

/** What the plugin uses of Sequelize's SQL generator, which Sequelize's typings leave `unknown`. */
export interface QueryGenerator {
  quoteTable(table: unknown): string;
  quoteIdentifier(identifier: string): string;
  getWhereConditions(where: unknown, tableName: string, model: unknown, options: object): string;
  attributesToSQL(attributes: Record<string, unknown>, options?: object): Record<string, string>;
}

export function queryGeneratorOf(queryInterface: QueryInterface): QueryGenerator {
  return queryInterface.queryGenerator as QueryGenerator;
}

/** What a `raw: true` read resolves to: plain rows, though Sequelize types them as model instances. */
export function rawRows<T>(rows: Model[]): T[] {
  return rows as unknown as T[];
}

/** One row of a `raw: true` findOne / findByPk (see rawRows). */
export function rawRow<T>(row: Model | null): T | null {
  return row as unknown as T | null;
}

/** A mailMessages row (collections/mailMessages.ts). Every mail is written with a thread and a date (MessageStore). */
export interface MessageRow {
  id: number;
  accountId: number;
  providerMessageId: string;
  threadId: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  folderIds: unknown;
  box: string | null;
  from: unknown;
  to: unknown;
  cc: unknown;
  bcc: unknown;
  replyTo: unknown;
  deliveredTo: string | null;
  subject: string | null;
  snippet: string | null;
  text: string | null;
  html: string | null;
  date: Date | string;
  read: Flag;
  starred: Flag;
  draft: Flag;
  sent: Flag;
  hasAttachments: Flag;
  size: number | null;
  providerDraftId: string | null;
  compose: unknown;
  composeSavedAt: number | string | null;
  scheduledAt: DateValue;
  scheduleStatus: ScheduleStatus | null;
  scheduleError: string | null;
  scheduleAttempts: number | null;
  massMessageId: number | null;
}

/** A mailAttachments row, written from a RemoteAttachment (name, type and size always set). */
export interface AttachmentRow {
  id: number;
  accountId: number;
  messageId: number;
  providerAttachmentId: string | null;
  filename: string;
  mimeType: string;
  size: number;
  contentId: string | null;
  inline: Flag;
  storagePath: string | null;
}

/** A mailAccounts row, as far as raw reads take it (services use the model instance). */
export interface AccountRow {
  id: number;
  userId: number;
  provider: ProviderName;
  email: string;
  status: string;
  credentials: string | null;
}

/** A mailMassMessages row (a bulk job). */
export interface JobRow {
  id: number;
  userId: number;
  accountId: number;
  from: unknown;
  subject: string | null;
  html: string | null;
  token: string;
  source: unknown;
  status: string;
  active: Flag;
  total: number | null;
  pendingCount: number | null;
  sendingCount: number | null;
  sentCount: number | null;
  failedCount: number | null;
  canceledCount: number | null;
  scheduledAt: DateValue;
  startedAt: DateValue;
  finishedAt: DateValue;
  nextSendAt: number | string | null;
  dailyLimitSince: DateValue;
  waitingUntil: DateValue;
  reason: string | null;
  createdAt: DateValue;
}

/** A mailMassMessageRecipients row. */
export interface RecipientRow {
  id: number;
  jobId: number;
  position: number;
  address: string;
  name: string | null;
  valid: Flag;
  recordKey: string | null;
  record: unknown;
  status: BulkRecipientStatus;
  reason: string | null;
  attempts: number | null;
  claimedAt: DateValue;
  internetMessageId: string;
  sentAt: DateValue;
  messageId: number | null;
}

/** A mailSendRequests row (one send of the editor, by its idempotency key). */
export interface SendRequestRow {
  id: number;
  userId: number;
  accountId: number;
  idempotencyKey: string;
  status: string;
  providerMessageId: string | null;
  threadId: string | null;
  messageId: number | null;
  error: string | null;
}

/** A mailMessageLabels row (a personal label). */
export interface LabelRow {
  id: number;
  userId: number;
  name: string;
  color: string | null;
}

/** A mailmessagelabelsMailmessages row (a label on a mail). */
export interface LabelLinkRow {
  labelId: number;
  messageId: number;
}

/** A mailMessageNotes row. */
export interface NoteRow {
  accountId: number;
  threadId: string;
  note: string | null;
  todo: Flag;
}

/** Just the ids of a read with `attributes: ['id']`. */
export interface IdRow {
  id: number;
}
