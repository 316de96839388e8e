/**
 * Who a bulk job goes to (S-BULK-2, S-ACL-9): rows of a collection of the main data source, read
 * WITHIN THE SENDER'S ACL. NocoBase's own resolution decides: `acl.resolveActionParams` gives the
 * `list` params the sender's roles allow on that collection (root: everything; a role without
 * `view`: NoPermissionError → 403; a data scope: its filter, with variables like the current user
 * filled in), and the block's filter is merged into it. Picked rows are looked up through the same
 * filter, so a row id outside the sender's scope is simply not found.
 */
import type { Context } from '@nocobase/actions';
import type { Collection, Field } from '@nocobase/database';
import type Application from '@nocobase/server';
import { BULK_MAX_EMAIL_FIELDS, type BulkSource } from '../../shared/bulk-api';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { parseRecipients } from '../send/addresses';
import { snapshotOf } from './variables';

/** Rows one job may read; past this the job would be over its recipient limit anyway (dupes aside). */
export const BULK_MAX_SOURCE_ROWS = 10_000;
/** Field types that hold addresses as text. */
const TEXT_TYPES = new Set(['string', 'text', 'email']);
/** Associations through which `association.field` reads a single row. */
const TO_ONE = new Set(['belongsTo', 'hasOne']);
const OWN = new Set<string>(Object.values(COLLECTIONS));

export const INVALID_REASON = {
  empty: 'No email address',
  invalid: 'Not a valid email address',
} as const;

export interface SourceRecipient {
  address: string;
  name: string | null;
  valid: boolean;
  reason: string | null;
  recordKey: string | null;
  record: Record<string, unknown> | null;
}

export interface ResolvedRecipients {
  recipients: SourceRecipient[];
  duplicates: number;
  rows: number;
}

export class RecipientSource {
  constructor(private readonly app: Application) {}

  /** `variables`: field paths the templates use, kept on each recipient for filling later. */
  async resolve(ctx: Context, source: BulkSource | undefined, addresses: unknown, variables: string[]): Promise<ResolvedRecipients> {
    const out = new Collector();
    let rows = 0;
    if (source) {
      const found = await this.rows(ctx, source, variables);
      rows = found.rows.length;
      for (const row of found.rows) {
        const recordKey = String(row[found.primaryKey]);
        const record = snapshotOf(row, variables.filter((path) => found.readable(path)));
        const values = source.emailFieldNames.map((path) => pathValue(row, path)).filter((v) => v != null && String(v).trim() !== '');
        if (!values.length) {
          out.invalid('', INVALID_REASON.empty, recordKey, record);
          continue;
        }
        for (const value of values) out.add(parseRecipients(String(value)), recordKey, record);
      }
    }
    if (addresses != null && addresses !== '') out.add(parseRecipients(addresses), null, null);
    return { recipients: out.recipients, duplicates: out.duplicates, rows };
  }

  private async rows(ctx: Context, source: BulkSource, variables: string[]) {
    const collection = this.collectionOf(source);
    const fields = this.emailFields(collection, source.emailFieldNames);
    const ids = Array.isArray(source.filterByTk) ? source.filterByTk.filter((id) => id != null && id !== '') : [];
    if (!source.all && !ids.length) throw new UserError('Select at least one record', 400, 'source.filterByTk');
    const params = await this.allowed(ctx, collection.name, source.filter);
    const primaryKey: string = collection.model.primaryKeyAttribute;
    // The role's field list (NocoBase puts the associations it allows under appends).
    const allowedFields: string[] | null = Array.isArray(params.fields) && params.fields.length ? [...params.fields, ...(params.appends || [])] : null;
    const readable = (path: string) => !allowedFields || allowedFields.includes(path.split('.')[0]);
    // An address field the role may not read is refused; a variable it may not read stays empty.
    for (const path of fields) if (!readable(path)) throw new UserError('You may not read the field {{field}}', 403, 'source.emailFieldNames', { field: path });
    const filter = { $and: [params.filter, source.all ? null : { [primaryKey]: { $in: ids } }].filter((f) => f && Object.keys(f).length) };
    const appends = [...new Set([...fields, ...variables].filter((p) => p.includes('.')).map((p) => p.split('.')[0]))].filter((name) => {
      const field = collection.getField(name);
      return field && TO_ONE.has(field.type);
    });
    let found: Model[];
    try {
      found = await collection.repository.find({ filter, appends, sort: [primaryKey], limit: BULK_MAX_SOURCE_ROWS + 1, context: ctx });
    } catch (error) {
      this.app.log.debug?.(`email-manager: bulk source query failed: ${(error as Error).message}`, { module: 'email-manager' });
      throw new UserError('The filter of the recipients is not valid', 400, 'source.filter');
    }
    if (found.length > BULK_MAX_SOURCE_ROWS) {
      throw new UserError('Too many records: at most {{limit}} can be read for one bulk send', 400, 'source', { limit: BULK_MAX_SOURCE_ROWS });
    }
    return { rows: found.map((r): Record<string, unknown> => (typeof r.toJSON === 'function' ? r.toJSON() : r)), primaryKey, readable };
  }

  /** The sender's `list` params on the collection, with the block's filter merged in; 403 without `view`. */
  private async allowed(ctx: Context, resourceName: string, filter: unknown): Promise<{ filter?: Record<string, unknown>; fields?: string[]; appends?: string[] }> {
    if (filter != null && (typeof filter !== 'object' || Array.isArray(filter))) throw new UserError('The filter of the recipients is not valid', 400, 'source.filter');
    try {
      const resolved = await this.app.acl.resolveActionParams(ctx, { resourceName, actionName: 'list', params: filter ? { filter } : {} });
      // The filter as merged for this query; the readable fields and associations as the role grants them.
      const granted = resolved.can?.params || {};
      return { filter: resolved.mergedParams?.filter, fields: granted.fields, appends: granted.appends };
    } catch (error) {
      // NocoBase's NoPermissionError keeps the name only on its class.
      if ((error as Error)?.constructor?.name === 'NoPermissionError' || (error as Error)?.name === 'NoPermissionError') throw new UserError('You may not view the records of {{collection}}', 403, 'source.collection', { collection: resourceName });
      throw error;
    }
  }

  private collectionOf(source: BulkSource) {
    const name = typeof source.collection === 'string' ? source.collection : '';
    const collection: Collection | null = name && !OWN.has(name) ? this.app.db.getCollection(name) : null;
    if (!collection) throw new UserError('Collection {{collection}} not found', 400, 'source.collection', { collection: name });
    return collection;
  }

  /** `email` or `company.email`: a text field of the collection, or of a to-one association. */
  private emailFields(collection: Collection, names: unknown): string[] {
    if (!Array.isArray(names) || !names.length || names.length > BULK_MAX_EMAIL_FIELDS) {
      throw new UserError('Choose 1 to {{max}} email fields', 400, 'source.emailFieldNames', { max: BULK_MAX_EMAIL_FIELDS });
    }
    return names.map((name) => {
      const path = String(name);
      const [root, leaf, ...rest] = path.split('.');
      const field = collection.getField(root);
      let target: Field | null | undefined = field;
      if (leaf !== undefined && !rest.length && field && TO_ONE.has(field.type)) target = this.app.db.getCollection(field.target)?.getField(leaf);
      else if (leaf !== undefined) target = null;
      if (!target || !TEXT_TYPES.has(target.type)) throw new UserError('{{field}} is not a text or email field', 400, 'source.emailFieldNames', { field: path });
      return path;
    });
  }
}

function pathValue(row: Record<string, unknown>, path: string) {
  return path.split('.').reduce<unknown>((value, key) => (value == null ? undefined : (value as Record<string, unknown>)[key]), row);
}

/** Recipients in order, valid addresses once each (ignoring case), every invalid value kept. */
class Collector {
  readonly recipients: SourceRecipient[] = [];
  duplicates = 0;
  private readonly seen = new Set<string>();

  add(parsed: ReturnType<typeof parseRecipients>, recordKey: string | null, record: Record<string, unknown> | null) {
    for (const { address, name } of parsed.addresses) {
      if (this.seen.has(address)) {
        this.duplicates++;
        continue;
      }
      this.seen.add(address);
      this.recipients.push({ address, name: name || null, valid: true, reason: null, recordKey, record });
    }
    for (const value of parsed.invalid) this.invalid(value.slice(0, 254), INVALID_REASON.invalid, recordKey, record);
  }

  invalid(value: string, reason: string, recordKey: string | null, record: Record<string, unknown> | null) {
    this.recipients.push({ address: value.toLowerCase(), name: null, valid: false, reason, recordKey, record });
  }
}
