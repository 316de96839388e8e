/**
 * The trigger's filter as the editor shows it: all (or any) of a flat list of conditions, each a
 * field of TRIGGER_FILTER_FIELDS, an operator the server's reader accepts for it, and a value;
 * saved as NocoBase filter JSON (`{ $and: [{ from: { $includes: '@acme.test' } }, …] }`).
 */
import type { BlockFilter } from '../../shared/block-api';
import type { TriggerFilterField } from '../../shared/workflow-api';

export type FilterLogic = '$and' | '$or';

export interface FilterRow {
  field: TriggerFilterField;
  operator: string;
  value: string | boolean;
}

export interface FilterDraft {
  logic: FilterLogic;
  rows: FilterRow[];
}

const ADDRESS_OPERATORS = ['$in', '$notIn', '$includes', '$notIncludes'];

/** The operators each field takes (src/shared/workflow-api.ts), the first is the default. */
export const FIELD_OPERATORS: Record<TriggerFilterField, string[]> = {
  from: ADDRESS_OPERATORS,
  to: ADDRESS_OPERATORS,
  cc: ADDRESS_OPERATORS,
  bcc: ADDRESS_OPERATORS,
  replyTo: ADDRESS_OPERATORS,
  participants: ADDRESS_OPERATORS,
  domain: ['$in', '$notIn'],
  subject: ['$includes', '$notIncludes', '$eq', '$ne'],
  text: ['$includes', '$notIncludes'],
  hasAttachments: ['$isTruly', '$isFalsy'],
  label: ['$eq', '$ne'],
};

export const FIELD_TITLES: Record<TriggerFilterField, string> = {
  from: 'From',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  replyTo: 'Reply-To',
  participants: 'Any participant',
  domain: 'Domain',
  subject: 'Subject',
  text: 'Content',
  hasAttachments: 'Attachments',
  label: 'Label or folder',
};

export const OPERATOR_TITLES: Record<string, string> = {
  $in: 'is',
  $notIn: 'is not',
  $eq: 'is',
  $ne: 'is not',
  $includes: 'contains',
  $notIncludes: 'does not contain',
  $isTruly: 'has some',
  $isFalsy: 'has none',
};

/** Operators that take no value: the row saves `true`. */
export const VALUELESS = new Set(['$isTruly', '$isFalsy']);

export const newRow = (field: TriggerFilterField = 'from'): FilterRow => ({
  field,
  operator: FIELD_OPERATORS[field][0],
  value: VALUELESS.has(FIELD_OPERATORS[field][0]) ? true : '',
});

function rowOf(part: unknown): FilterRow | null {
  if (!part || typeof part !== 'object' || Array.isArray(part)) return null;
  const entries = Object.entries(part as Record<string, unknown>);
  if (entries.length !== 1) return null;
  const [field, condition] = entries[0];
  if (!(field in FIELD_OPERATORS)) return null;
  const known = FIELD_OPERATORS[field as TriggerFilterField];
  if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    const [operator, value] = Object.entries(condition as Record<string, unknown>)[0] || [];
    if (!operator || !known.includes(operator)) return null;
    return { field: field as TriggerFilterField, operator, value: VALUELESS.has(operator) ? true : Array.isArray(value) ? value.join(', ') : String(value ?? '') };
  }
  // A bare value means "equals": for an address that is `$in`.
  return { field: field as TriggerFilterField, operator: known[0], value: String(condition ?? '') };
}

/** The saved filter as rows; a filter this editor cannot show keeps `unreadable` so it is not silently dropped. */
export function filterToDraft(filter: BlockFilter | null | undefined): FilterDraft & { unreadable?: boolean } {
  if (!filter || !Object.keys(filter).length) return { logic: '$and', rows: [] };
  const record = filter as Record<string, unknown>;
  const logic: FilterLogic = Array.isArray(record.$or) ? '$or' : '$and';
  const parts = Array.isArray(record[logic]) ? (record[logic] as unknown[]) : Object.entries(record).map(([k, v]) => ({ [k]: v }));
  const rows = parts.map(rowOf);
  const readable = rows.filter((r): r is FilterRow => Boolean(r));
  return { logic, rows: readable, unreadable: readable.length !== rows.length || undefined };
}

/** Rows as the filter the server reads; no rows: null (every new mail). */
export function draftToFilter(draft: FilterDraft): BlockFilter | null {
  if (!draft.rows.length) return null;
  const parts = draft.rows.map((r) => ({ [r.field]: { [r.operator]: VALUELESS.has(r.operator) ? true : r.value } }) as BlockFilter);
  return draft.logic === '$or' ? { $or: parts } : { $and: parts };
}
