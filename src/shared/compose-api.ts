/**
 * What serves the editor (S-SIG-1, S-TPL-1, S-DRAFT-2, S-DRAFT-3, S-SCHED-1/2): API contract and
 * limits, shared by the server actions and the client. Everything is personal (S-ACL-8): another
 * user's signature, template, account or draft answers 404 as if it did not exist, admin and root
 * included; anonymous requests 401. Errors come back as `{ errors: [{ message, field? }] }`,
 * translated by the X-Locale header: 400 bad input (the field says which), 404 not found / not
 * yours, 409 a scheduled mail is being sent right now.
 *
 * GET  mailSignatures:listOwn    [?accountId=<account>]  → { data: SignatureView[] }
 *                                (with accountId: that account's signatures and the general ones)
 * GET  mailSignatures:defaultFor ?accountId=<account>    → { data: SignatureView | null }
 *                                (the account's default, else the general default, else null)
 * POST mailSignatures:save       SignatureInput          → { data: SignatureView }  (create, or update with id:
 *                                fields left out keep their values)
 * POST mailSignatures:remove     ?filterByTk=<signature> → { data: { deleted: 1 } }
 * GET  mailTemplates:listOwn                             → { data: TemplateView[] }
 * POST mailTemplates:save        TemplateInput           → { data: TemplateView }   (create, or update with id:
 *                                fields left out keep their values)
 * POST mailTemplates:remove      ?filterByTk=<template>  → { data: { deleted: 1 } }
 * GET  mailComposeSettings:read                          → { data: ComposeSettings }
 * POST mailComposeSettings:set   { autoSave: boolean }   → { data: ComposeSettings }
 * GET  mailMessages:findDraft    FindDraftQuery          → { data: { draftId } | null }
 * POST mailMessages:schedule     ScheduleInput           → { data: ScheduledDraft }
 * POST mailMessages:cancelSchedule ?filterByTk=<draft>   → { data: { id, scheduleStatus } }
 * GET  mailMessages:listScheduled [?accountId=<account>] → { data: ScheduledView[] }
 * GET  mailMessages:addresses    ?q=<typed text>         → { data: Address[] }  (S-SEND-4: past correspondents of the
 *                                user's own accounts whose address or a name word starts with q, best first, at most
 *                                ADDRESS_SUGGEST_LIMIT; the user's own addresses left out; q '' → [])
 */
import type { ComposeInput, ComposeMode, SavedDraft } from './send-api';
import type { Address } from './mail-center-api';

export type { Address };

/** The actions above, `resource:action` as the client calls them and the server registers them. */
export const COMPOSE_ACTIONS = {
  signatures: 'mailSignatures:listOwn',
  defaultSignature: 'mailSignatures:defaultFor',
  saveSignature: 'mailSignatures:save',
  removeSignature: 'mailSignatures:remove',
  templates: 'mailTemplates:listOwn',
  saveTemplate: 'mailTemplates:save',
  removeTemplate: 'mailTemplates:remove',
  readSettings: 'mailComposeSettings:read',
  setSettings: 'mailComposeSettings:set',
  findDraft: 'mailMessages:findDraft',
  schedule: 'mailMessages:schedule',
  cancelSchedule: 'mailMessages:cancelSchedule',
  listScheduled: 'mailMessages:listScheduled',
  addresses: 'mailMessages:addresses',
} as const;

/** A signature or template name, in characters. */
export const COMPOSE_NAME_MAX = 100;
/** A signature's HTML: room for a small inline logo, not for a document. */
export const SIGNATURE_HTML_MAX_BYTES = 100 * 1024;
/** A template's HTML: a whole mail body with a few small images. */
export const TEMPLATE_HTML_MAX_BYTES = 1024 * 1024;
/** A template's subject, in characters. */
export const TEMPLATE_SUBJECT_MAX = 500;
/** Per user: enough for any real use, bounded so a runaway client cannot fill the table. */
export const MAX_SIGNATURES_PER_USER = 100;
export const MAX_TEMPLATES_PER_USER = 500;

/** S-SEND-4: suggestions per answer, and the longest text looked up (an address is at most 254). */
export const ADDRESS_SUGGEST_LIMIT = 10;
export const ADDRESS_QUERY_MAX = 254;

/** S-SCHED-1: a send time is at least this far ahead… */
export const SCHEDULE_MIN_LEAD_MS = 60 * 1000;
/** …and at most one calendar year ahead (see latestSendAt). */
export const SCHEDULE_MAX_LEAD_YEARS = 1;
/**
 * The server accepts a time this much earlier than now + 1 minute: the editor offers "in 1 minute"
 * and the request takes a moment to arrive; clocks also differ a little.
 */
export const SCHEDULE_CLOCK_GRACE_MS = 15 * 1000;

export function earliestSendAt(now: Date) {
  return new Date(now.getTime() + SCHEDULE_MIN_LEAD_MS);
}

export function latestSendAt(now: Date) {
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + SCHEDULE_MAX_LEAD_YEARS);
  return latest;
}

export interface SignatureView {
  id: number;
  name: string;
  html: string;
  /** The default of its scope: its account, or (accountId null) every account without one. */
  isDefault: boolean;
  /** null: a general signature, for every account. */
  accountId: number | null;
}

export interface SignatureInput {
  /** Given: update that signature. */
  id?: number;
  /** Required when creating. */
  name?: string;
  html?: string;
  /** Setting it unsets the previous default of the same scope. */
  isDefault?: boolean;
  accountId?: number | null;
}

export interface TemplateView {
  id: number;
  name: string;
  /** '' when the template leaves the subject alone. */
  subject: string;
  html: string;
}

export interface TemplateInput {
  id?: number;
  /** Unique per user, ignoring case; required when creating. */
  name?: string;
  subject?: string;
  html?: string;
}

/** S-DRAFT-2: per user, off until switched on. */
export interface ComposeSettings {
  autoSave: boolean;
}

/** S-DRAFT-3: what the editor opened with. GET parameters; `to` as `to[]=a&to[]=b` or one "a, b" string. */
export interface FindDraftQuery {
  accountId: number;
  /** The From address; the account's primary address when absent. */
  from?: string;
  to?: string | (string | Address)[];
  /** Default 'new', or 'reply' when replyToMessageId is given. */
  mode?: ComposeMode;
  replyToMessageId?: number;
}

export interface FoundDraft {
  /** Open it with mailMessages:openDraft and keep saving with it as draftId. */
  draftId: number;
}

export type ScheduleStatus = 'scheduled' | 'sending' | 'sent' | 'failed' | 'canceled';

/** The states shown in the Scheduled box: waiting, going out now, or failed (with the reason). */
export const SCHEDULED_BOX_STATUSES: readonly ScheduleStatus[] = ['scheduled', 'sending', 'failed'];

export interface ScheduleInput extends ComposeInput {
  /** ISO 8601 with an offset or Z ("2030-05-01T09:00:00+02:00"); between now + 1 minute and 1 year. */
  sendAt: string;
}

/** The draft the scheduled mail is kept in; saving or scheduling it again names it as draftId. */
export interface ScheduledDraft extends SavedDraft {
  scheduledAt: string;
  scheduleStatus: 'scheduled';
}

export interface ScheduledView {
  id: number;
  accountId: number;
  subject: string;
  to: Address[];
  scheduledAt: string;
  scheduleStatus: ScheduleStatus;
  /** Why the last attempt failed (English); null when none did. */
  scheduleError: string | null;
}
