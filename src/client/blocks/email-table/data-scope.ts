/**
 * The Email table's "Data scope" (S-BLOCK-3/4): a list of conditions on address fields or the
 * participants' domain, each with a constant or an already resolved variable value, turned into
 * the block-api filter. Variables (the popup record's email, a JSON `domains` field) are resolved
 * on the client before this runs; an empty value stays in the filter, where the server lets it
 * match nothing, so a customer without an email shows no mail rather than everyone's.
 */
import type { BlockFilter } from '../../../shared/block-api';

export const SCOPE_FIELDS = ['from', 'to', 'cc', 'bcc', 'participants', 'domain'] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];

export const SCOPE_FIELD_TITLES: Record<ScopeField, string> = {
  from: 'From',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  participants: 'Any participant',
  domain: 'Domain',
};

export const SCOPE_OPERATORS = ['$in', '$notIn', '$includes'] as const;
export type ScopeOperator = (typeof SCOPE_OPERATORS)[number];
export const SCOPE_OPERATOR_TITLES: Record<ScopeOperator, string> = {
  $in: 'is',
  $notIn: 'is not',
  $includes: 'contains',
};

export interface ScopeCondition {
  field: ScopeField;
  operator?: ScopeOperator;
  /** A constant ("a@x.com", "a@x.com; b@y.org", ["acme.com"]) or a variable's resolved value. */
  value?: unknown;
}

export interface DataScope {
  /** All conditions must hold ($and, default) or any one ($or). */
  logic?: '$and' | '$or';
  conditions?: ScopeCondition[];
}

/** A variable may resolve to anything: keep what the server understands, empty for the rest. */
function filterValue(value: unknown): string | (string | number)[] | null {
  if (value == null) return null;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number') as (string | number)[];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // A to-many association resolves to records: their `email` (or first string) field.
  if (typeof value === 'object') return null;
  return String(value);
}

export function dataScopeToFilter(scope: DataScope | undefined | null): BlockFilter {
  const items = (scope?.conditions || []).filter((c) => c && (SCOPE_FIELDS as readonly string[]).includes(c.field));
  if (!items.length) return {};
  const parts = items.map((c) => {
    const operator = c.operator && (SCOPE_OPERATORS as readonly string[]).includes(c.operator) ? c.operator : '$in';
    return { [c.field]: { [operator]: filterValue(c.value) } } as BlockFilter;
  });
  if (parts.length === 1) return parts[0];
  return scope?.logic === '$or' ? { $or: parts } : { $and: parts };
}

/** A template string that is only a variable, e.g. "{{ctx.popup.record.email}}". */
export function isVariable(value: unknown): value is string {
  return typeof value === 'string' && /^\s*\{\{.*\}\}\s*$/.test(value);
}
