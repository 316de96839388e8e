/**
 * What the "Send email" action does when clicked (S-BLOCK-6), free of the flow engine so it can
 * be tested: on a record (a row, a details block) the editor opens with To from the record's
 * `emailFieldNames`; on a table's top bar it opens in bulk mode (S-BULK-1) for the ticked rows,
 * or for all records matching the block's filter when `defaultSelectAllRecords` is on.
 */
import type { BulkSource } from '../../../shared/bulk-api';
import { associationsOf, recordAddresses } from './recipients';

export interface SendEmailSettings {
  emailFieldNames?: string[];
  /** "All records": the block's records are the recipients when none are ticked. */
  defaultSelectAllRecords?: boolean;
}

export type SendEmailPlan =
  | { kind: 'single'; to: string[] }
  | { kind: 'bulk'; source: BulkSource }
  | { kind: 'error'; message: string };

export interface SendEmailContext {
  /** The row or details record the action sits on; none on a table's top bar. */
  record?: Record<string, any> | null;
  collectionName?: string;
  dataSourceKey?: string;
  /** Primary keys of the ticked rows (top bar). */
  selectedKeys?: (string | number)[];
  /** The block's current filter (data scope and filter form). */
  blockFilter?: Record<string, unknown>;
  /** Loads the record with the associations named (when `company.email` is not in the row). */
  loadRecord?: (appends: string[]) => Promise<Record<string, any> | null>;
}

/** The record's associations reached by the settings but missing from it. */
function missingAssociations(record: Record<string, any>, emailFieldNames: string[]) {
  return associationsOf(emailFieldNames).filter((name) => record[name] === undefined);
}

export async function planSendEmail(settings: SendEmailSettings, ctx: SendEmailContext): Promise<SendEmailPlan> {
  const fields = settings.emailFieldNames || [];
  if (ctx.record) {
    let record = ctx.record;
    const missing = missingAssociations(record, fields);
    if (missing.length && ctx.loadRecord) record = (await ctx.loadRecord(missing)) || record;
    return { kind: 'single', to: recordAddresses(record, fields) };
  }
  if (!ctx.collectionName || (ctx.dataSourceKey && ctx.dataSourceKey !== 'main')) {
    return { kind: 'single', to: [] };
  }
  if (!fields.length) return { kind: 'error', message: 'Choose the email fields of this action first' };
  const source: BulkSource = { collection: ctx.collectionName, emailFieldNames: fields };
  if (ctx.selectedKeys?.length) return { kind: 'bulk', source: { ...source, filterByTk: ctx.selectedKeys } };
  if (settings.defaultSelectAllRecords) {
    const filter = ctx.blockFilter && Object.keys(ctx.blockFilter).length ? ctx.blockFilter : undefined;
    return { kind: 'bulk', source: { ...source, all: true, ...(filter ? { filter } : {}) } };
  }
  return { kind: 'error', message: 'Please select the records to send to' };
}
