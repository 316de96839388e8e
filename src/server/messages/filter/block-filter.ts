/**
 * The Email table block's Data scope (S-BLOCK-3/4) read into the filter tree (tree.ts):
 * NocoBase filter JSON in ($and / $or, fields, operators), checked against the limits of
 * src/shared/block-api.ts, where the operators and the "empty value matches nothing" rule are
 * documented. compile.ts writes the SQL; nothing here knows a table or a column. The workflow
 * trigger's filter (src/shared/workflow-api.ts) is read here too, with its own fields: the
 * block's address and subject fields, and `text` and `label`.
 */
import { UserError } from '../../errors';
import {
  BLOCK_ADDRESS_FIELDS,
  BLOCK_FILTER_FIELDS,
  BLOCK_MAX_FILTER_CONDITIONS,
  BLOCK_MAX_FILTER_DEPTH,
  BLOCK_MAX_FILTER_SUBSTRINGS,
  BLOCK_MAX_FILTER_VALUES,
  BlockAddressField,
} from '../../../shared/block-api';
import { normalizeAddress, normalizeDomain, ParticipantRole } from '../participant-index';
import { CompiledFilter, compileFilter, FilterContext } from './compile';
import { and, date, FALSE, FilterNode, flag, list, or, TRUE } from './tree';
import { checkLength, invalid, isEmpty, isPlainObject, readWhen, splitValues, tooMany, tooManyConditions, tooManySubstrings, unsupported } from './values';

/** Which participant roles an address field looks at; null: any role. */
const ROLES_OF: Record<BlockAddressField, ParticipantRole[] | null> = {
  from: ['from'],
  to: ['to'],
  cc: ['cc'],
  bcc: ['bcc'],
  replyTo: ['replyTo'],
  participants: null,
};

/** The subject's operators (a Map: an operator such as "constructor" must not find anything). */
const SUBJECT_OPERATORS = new Map<string, 'contains' | 'notContains' | 'eq' | 'ne'>([
  ['$includes', 'contains'],
  ['$notIncludes', 'notContains'],
  ['$eq', 'eq'],
  ['$ne', 'ne'],
]);

/** What a filter other than the block's may use. */
export interface FilterReadOptions {
  /** The fields it may name (default BLOCK_FILTER_FIELDS); `text` and `label` only when listed. */
  fields?: readonly string[];
  /** The folder or label ids a `label` value names (an id, or a name as the sidebar shows it). */
  folderIds?: (value: string) => string[];
}

/** Parses `filter` (object, JSON text or absent) and compiles it over `mailMessages m`. */
export function compileBlockFilter(raw: unknown, context: FilterContext): CompiledFilter {
  return compileFilter(readBlockFilter(raw), context);
}

/** The Data scope as a filter tree; a 400 naming the first field or limit it breaks. */
export function readBlockFilter(raw: unknown, options: FilterReadOptions = {}): FilterNode {
  let filter = raw;
  if (typeof raw === 'string') {
    if (!raw.trim()) return TRUE;
    try {
      filter = JSON.parse(raw);
    } catch {
      throw new UserError('The filter is not valid JSON', 400, 'filter');
    }
  }
  if (filter == null) return TRUE;
  return new BlockFilterReader(options).group(filter, 'filter', 0);
}

/** One reader per filter: it counts conditions and "contains" texts across the whole of it. */
class BlockFilterReader {
  private conditions = 0;
  /** "Contains" texts so far (BLOCK_MAX_FILTER_SUBSTRINGS). */
  private substrings = 0;

  constructor(private readonly options: FilterReadOptions) {}

  /** An object: its keys AND-ed; `$and` / `$or` hold lists of such objects. */
  group(filter: unknown, path: string, depth: number): FilterNode {
    if (depth > BLOCK_MAX_FILTER_DEPTH) throw new UserError('The filter is nested too deeply', 400, 'filter');
    if (!isPlainObject(filter)) throw new UserError('Invalid filter value for {{field}}', 400, path, { field: path });
    const parts = Object.entries(filter).map(([key, value]) => {
      if (key !== '$and' && key !== '$or') return this.field(key, value);
      if (!Array.isArray(value)) throw new UserError('Invalid filter value for {{field}}', 400, `${path}.${key}`, { field: key });
      // An empty group adds no condition, as in NocoBase's own filters: not even to an $or.
      const items = value.map((item, i) => this.group(item, `${path}.${key}[${i}]`, depth + 1)).filter((node) => node !== TRUE);
      if (!items.length) return TRUE;
      return key === '$and' ? and(items) : or(items);
    });
    return and(parts);
  }

  private field(field: string, condition: unknown): FilterNode {
    if (!(this.options.fields ?? (BLOCK_FILTER_FIELDS as readonly string[])).includes(field)) {
      throw new UserError('Unknown filter field {{field}}', 400, `filter.${field}`, { field });
    }
    // A bare value is $eq; several operators on one field are AND-ed.
    const pairs = isPlainObject(condition) ? Object.entries(condition) : [['$eq', condition] as [string, unknown]];
    return and(pairs.map(([operator, value]) => this.condition(field, operator, value)));
  }

  private condition(field: string, operator: string, value: unknown): FilterNode {
    if (++this.conditions > BLOCK_MAX_FILTER_CONDITIONS) throw tooManyConditions();
    if ((BLOCK_ADDRESS_FIELDS as readonly string[]).includes(field)) return this.participant(field, operator, value, ROLES_OF[field as BlockAddressField]);
    switch (field) {
      case 'domain':
        return this.participant('domain', operator, value, null);
      case 'subject':
        return this.subject(operator, value);
      case 'date':
        return this.date(operator, value);
      case 'read':
      case 'draft':
      case 'hasAttachments':
        return this.flag(field, operator, value);
      case 'box':
        return this.list(field, operator, value, (v) => (typeof v === 'string' ? v.trim() : null));
      case 'accountId':
        return this.list(field, operator, value, (v) => (Number.isInteger(Number(v)) && String(v).trim() !== '' ? Number(v) : null));
      case 'text':
        return this.text(operator, value);
      case 'label':
        return this.folders(operator, value);
      default:
        return this.labels(operator, value);
    }
  }

  /** The plain-text body: contains / does not contain, ignoring case. */
  private text(operator: string, value: unknown): FilterNode {
    if (isEmpty(value)) return FALSE;
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid('text');
    if (operator !== '$includes' && operator !== '$notIncludes') throw unsupported('text', operator);
    const [text] = this.substringTexts([checkLength(String(value), 'text').toLowerCase()], 'text');
    return { kind: 'text', op: operator === '$includes' ? 'contains' : 'notContains', text };
  }

  /** A provider label or folder, by id or name: in one of them (or in none). */
  private folders(operator: string, value: unknown): FilterNode {
    const negate = setOperator('label', operator);
    const named = splitValues(value, 'label');
    const ids = [...new Set(named.flatMap((name) => this.options.folderIds?.(name) ?? [name]))];
    if (!ids.length) return FALSE;
    return { kind: 'folders', ids, negate };
  }

  /** An address field (by role) or `domain` (any role). */
  private participant(field: string, operator: string, value: unknown, roles: ParticipantRole[] | null): FilterNode {
    const column = field === 'domain' ? 'domain' : 'address';
    const normalize = column === 'domain' ? normalizeDomain : normalizeAddress;
    if (operator === '$includes' || operator === '$notIncludes') {
      const texts = splitValues(value, field).map((t) => (column === 'domain' ? normalizeDomain(t) : t.toLowerCase()));
      const contains = this.substringTexts(texts.filter(Boolean), field);
      if (!contains.length) return FALSE;
      return { kind: 'participant', roles, match: { column, contains }, negate: operator === '$notIncludes' };
    }
    const negate = setOperator(field, operator);
    const equals = [...new Set(splitValues(value, field).map(normalize).filter(Boolean))];
    if (!equals.length) return FALSE;
    return { kind: 'participant', roles, match: { column, equals }, negate };
  }

  private subject(operator: string, value: unknown): FilterNode {
    if (isEmpty(value)) return FALSE;
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid('subject');
    const text = checkLength(String(value), 'subject').toLowerCase();
    const op = SUBJECT_OPERATORS.get(operator);
    if (!op) throw unsupported('subject', operator);
    if (op === 'contains' || op === 'notContains') this.substringTexts([text], 'subject');
    return { kind: 'subject', op, text };
  }

  /**
   * Dates as NocoBase sends them: ISO timestamps, or whole days ("2025-03-01", with the
   * "+08:00" NocoBase's request parsing appends), which stand for that day in that zone.
   * `$dateBetween` arrives as [from, to] or, parsed, [from, to, "[]" | "[)" | "(]" | "()", zone].
   */
  private date(operator: string, value: unknown): FilterNode {
    if (isEmpty(value)) return FALSE;
    if (operator === '$dateBetween') {
      if (!Array.isArray(value) || value.length < 2 || value.length > 4) throw invalid('date');
      const [from, to, bounds = '[]', zone] = value as unknown[];
      const a = readWhen(from, zone);
      const b = readWhen(to, zone);
      if (!a || !b || typeof bounds !== 'string') throw invalid('date');
      const lower = date('>=', bounds.startsWith('(') ? a.end : a.start);
      const upper = date('<', bounds.endsWith(')') ? b.start : b.end);
      return and([lower, upper]);
    }
    const when = readWhen(value);
    if (!when) throw invalid('date');
    switch (operator) {
      case '$dateOn':
      case '$eq':
        return when.day ? and([date('>=', when.start), date('<', when.end)]) : date('=', when.start);
      case '$gt':
      case '$dateAfter':
        return when.day ? date('>=', when.end) : date('>', when.start);
      case '$gte':
      case '$dateNotBefore':
        return date('>=', when.start);
      case '$lt':
      case '$dateBefore':
        return date('<', when.start);
      case '$lte':
      case '$dateNotAfter':
        return when.day ? date('<', when.end) : date('<=', when.start);
      default:
        throw unsupported('date', operator);
    }
  }

  private flag(field: 'read' | 'draft' | 'hasAttachments', operator: string, value: unknown): FilterNode {
    if (operator === '$isTruly') return flag(field, true);
    if (operator === '$isFalsy') return flag(field, false);
    if (operator !== '$eq' && operator !== '$ne') throw unsupported(field, operator);
    if (isEmpty(value)) return FALSE;
    const wanted = value === true || value === 'true' || value === 1 || value === '1';
    if (!wanted && !(value === false || value === 'false' || value === 0 || value === '0')) throw invalid(field);
    return flag(field, wanted === (operator === '$eq'));
  }

  /** box and accountId: equality and lists. */
  private list(field: 'box' | 'accountId', operator: string, value: unknown, parse: (v: unknown) => string | number | null): FilterNode {
    const negate = setOperator(field, operator);
    const raw = Array.isArray(value) ? value : [value];
    if (raw.length > BLOCK_MAX_FILTER_VALUES) throw tooMany(field);
    const values = raw.filter((v) => !isEmpty(v)).map((v) => {
      if (typeof v === 'string') checkLength(v, field);
      const parsed = parse(v);
      if (parsed == null || parsed === '') throw invalid(field);
      return parsed;
    });
    return list(field, values, negate);
  }

  private labels(operator: string, value: unknown): FilterNode {
    const negate = ['$noneOf', '$notIn', '$ne'].includes(operator);
    if (!negate && !['$anyOf', '$in', '$eq'].includes(operator)) throw unsupported('labels', operator);
    const raw = Array.isArray(value) ? value : [value];
    if (raw.length > BLOCK_MAX_FILTER_VALUES) throw tooMany('labels');
    const ids = raw.filter((v) => !isEmpty(v)).map((v) => {
      const id = Number(v);
      if (!Number.isInteger(id) || id <= 0) throw invalid('labels');
      return id;
    });
    return ids.length ? { kind: 'labels', ids, negate } : FALSE;
  }

  /** Counts "contains" texts against BLOCK_MAX_FILTER_SUBSTRINGS; answers them. */
  private substringTexts(texts: string[], field: string) {
    this.substrings += texts.length;
    if (this.substrings > BLOCK_MAX_FILTER_SUBSTRINGS) throw tooManySubstrings(field);
    return texts;
  }
}

/** $eq/$in/$anyOf → false, $ne/$notIn → true (negated); anything else is a 400. */
function setOperator(field: string, operator: string) {
  if (['$eq', '$in', '$anyOf'].includes(operator)) return false;
  if (['$ne', '$notIn'].includes(operator)) return true;
  throw unsupported(field, operator);
}
