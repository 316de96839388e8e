/**
 * The Email table block's Data scope (S-BLOCK-3/4) compiled to SQL: NocoBase filter JSON in,
 * one boolean SQL expression over `mailMessages m` out, with every value bound as a
 * replacement. Address and domain conditions become `m.id [NOT] IN (SELECT messageId FROM
 * mailMessageParticipants …)`, an index walk on (address, date) / (domain, date); nothing is
 * filtered in memory. The operators and the "empty value matches nothing" rule are documented
 * in src/shared/block-api.ts.
 */
import { UserError } from '../errors';
import { containsPattern, LIKE_ESCAPE, SqlNames } from '../messages/sql';
import { COLLECTIONS } from '../constants';
import {
  BLOCK_ADDRESS_FIELDS,
  BLOCK_FILTER_FIELDS,
  BLOCK_MAX_FILTER_CONDITIONS,
  BLOCK_MAX_FILTER_DEPTH,
  BLOCK_MAX_FILTER_SUBSTRINGS,
  BLOCK_MAX_FILTER_VALUES,
  BlockAddressField,
} from '../../shared/block-api';
import { checkLength, tooMany, tooManyConditions, tooManySubstrings } from './block-input';
import { normalizeAddress, normalizeDomain, ParticipantRole } from './participant-index';

const TRUE = '1=1';
const FALSE = '1=0';

/** Which participant roles an address field looks at; null: any role. */
const ROLES_OF: Record<BlockAddressField, ParticipantRole[] | null> = {
  from: ['from'],
  to: ['to'],
  cc: ['cc'],
  bcc: ['bcc'],
  replyTo: ['replyTo'],
  participants: null,
};

const DAY_MS = 86_400_000;
const WHOLE_DAY = /^(\d{4}-\d{2}-\d{2})([+-]\d{2}:?\d{2}|Z)?$/;

export interface FilterContext {
  sql: SqlNames;
  /** The caller: labels conditions look at their own labels only. */
  userId: number;
  /**
   * The accounts the query may return, when that is a list: repeated inside the participant
   * subqueries so a common address is narrowed to those accounts there too. null: unrestricted.
   */
  accountIds: number[] | null;
  replacements: Record<string, unknown>;
}

export interface CompiledFilter {
  /** Boolean SQL over `m`. */
  sql: string;
  /**
   * When the whole filter is one positive participant test (the usual block: one address field,
   * or a domains list), its condition over `mailMessageParticipants p`: the page and the count
   * can then be read from that table alone (it carries the mail's date), without visiting mail.
   */
  participantWhere: string | null;
}

/** Parses and compiles `filter` (object, JSON text or absent). */
export function compileBlockFilter(raw: unknown, context: FilterContext): CompiledFilter {
  let filter = raw;
  if (typeof raw === 'string') {
    if (!raw.trim()) return { sql: TRUE, participantWhere: null };
    try {
      filter = JSON.parse(raw);
    } catch {
      throw new UserError('The filter is not valid JSON', 400, 'filter');
    }
  }
  if (filter == null) return { sql: TRUE, participantWhere: null };
  const compiler = new FilterCompiler(context);
  const sql = compiler.group(filter, 'filter', 0);
  return { sql, participantWhere: compiler.participantWheres.get(sql) ?? null };
}

class FilterCompiler {
  private conditions = 0;
  /** "Contains" texts so far (BLOCK_MAX_FILTER_SUBSTRINGS). */
  private substrings = 0;
  /**
   * The positive `m.id IN (subquery)` tests compiled so far, by their SQL. An $or of only such
   * tests becomes one `m.id IN (a UNION b)`: PostgreSQL plans an OR of IN-subqueries as a scan of
   * every mail in scope, but a single IN as an index walk from the participants.
   */
  private readonly subqueries = new Map<string, string>();
  /** The positive participant tests' conditions over `p`, by their SQL (see CompiledFilter). */
  readonly participantWheres = new Map<string, string>();
  private readonly m = (field: string) => this.c.sql.column(COLLECTIONS.messages, field, 'm');

  constructor(private readonly c: FilterContext) {}

  /** An object: its keys AND-ed; `$and` / `$or` hold lists of such objects. */
  group(filter: unknown, path: string, depth: number): string {
    if (depth > BLOCK_MAX_FILTER_DEPTH) throw new UserError('The filter is nested too deeply', 400, 'filter');
    if (!isPlainObject(filter)) throw new UserError('Invalid filter value for {{field}}', 400, path, { field: path });
    const parts = Object.entries(filter).map(([key, value]) => {
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value)) throw new UserError('Invalid filter value for {{field}}', 400, `${path}.${key}`, { field: key });
        // An empty group adds no condition, as in NocoBase's own filters.
        const items = value.map((item, i) => this.group(item, `${path}.${key}[${i}]`, depth + 1)).filter((s) => s !== TRUE);
        if (!items.length) return TRUE;
        if (key === '$and') return and(items);
        const alive = items.filter((i) => i !== FALSE);
        if (!alive.length) return FALSE;
        if (alive.length > 1 && alive.every((i) => this.subqueries.has(i))) return this.idIn(alive.map((i) => this.subqueries.get(i)!).join(' UNION '));
        return alive.length === 1 ? alive[0] : `(${alive.join(' OR ')})`;
      }
      return this.field(key, value);
    });
    return and(parts);
  }

  private field(field: string, condition: unknown): string {
    if (!(BLOCK_FILTER_FIELDS as readonly string[]).includes(field)) {
      throw new UserError('Unknown filter field {{field}}', 400, `filter.${field}`, { field });
    }
    // A bare value is $eq; several operators on one field are AND-ed.
    const pairs = isPlainObject(condition) ? Object.entries(condition) : [['$eq', condition] as [string, unknown]];
    if (!pairs.length) return TRUE;
    return and(pairs.map(([operator, value]) => this.condition(field, operator, value)));
  }

  private condition(field: string, operator: string, value: unknown): string {
    if (++this.conditions > BLOCK_MAX_FILTER_CONDITIONS) throw tooManyConditions();
    if ((BLOCK_ADDRESS_FIELDS as readonly string[]).includes(field)) return this.address(field as BlockAddressField, operator, value);
    switch (field) {
      case 'domain':
        return this.domain(operator, value);
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
      default:
        return this.labels(operator, value);
    }
  }

  private address(field: BlockAddressField, operator: string, value: unknown) {
    const roles = ROLES_OF[field];
    if (operator === '$includes' || operator === '$notIncludes') {
      const texts = this.substringTexts(splitValues(value, field).map((t) => t.toLowerCase()), field);
      if (!texts.length) return FALSE;
      const like = texts.map((t) => `p.address LIKE ${this.bind(containsPattern(t))} ESCAPE '${LIKE_ESCAPE}'`);
      return this.participantTest(operator === '$notIncludes', `(${like.join(' OR ')})`, roles);
    }
    const negate = this.setOperator(field, operator);
    const values = [...new Set(splitValues(value, field).map(normalizeAddress).filter(Boolean))];
    if (!values.length) return FALSE;
    return this.participantTest(negate, `p.address IN (${this.bind(values)})`, roles);
  }

  private domain(operator: string, value: unknown) {
    if (operator === '$includes' || operator === '$notIncludes') {
      const texts = this.substringTexts(splitValues(value, 'domain').map(normalizeDomain).filter(Boolean), 'domain');
      if (!texts.length) return FALSE;
      const like = texts.map((t) => `p.domain LIKE ${this.bind(containsPattern(t))} ESCAPE '${LIKE_ESCAPE}'`);
      return this.participantTest(operator === '$notIncludes', `(${like.join(' OR ')})`, null);
    }
    const negate = this.setOperator('domain', operator);
    const values = [...new Set(splitValues(value, 'domain').map(normalizeDomain).filter(Boolean))];
    if (!values.length) return FALSE;
    return this.participantTest(negate, `p.domain IN (${this.bind(values)})`, null);
  }

  /** `m.id [NOT] IN (the mails with a participant matching `condition` in one of `roles`)`. */
  private participantTest(negate: boolean, condition: string, roles: ParticipantRole[] | null) {
    const P = this.c.sql.table(COLLECTIONS.participants);
    const column = (f: string) => this.c.sql.column(COLLECTIONS.participants, f, 'p');
    const where = [condition.replace(/p\.(address|domain)\b/g, (_, f) => column(f))];
    if (roles) where.push(`${column('role')} IN (${this.bind(roles)})`);
    // Narrowed to the accounts the caller may see, negated or not: a mail's participant rows
    // carry the mail's own account, so the rows of the mails in scope are all inside.
    if (this.c.accountIds) where.push(`${column('accountId')} IN (${this.bind(this.c.accountIds)})`);
    else if (negate) {
      // No plain account list (a data scope, or every mail): look only at the rows of the mail
      // being tested, which the caller's visibility predicate has already admitted.
      where.push(`${column('messageId')} = ${this.m('id')}`);
      return `NOT EXISTS (SELECT 1 FROM ${P} p WHERE ${where.join(' AND ')})`;
    }
    const subquery = `SELECT ${column('messageId')} FROM ${P} p WHERE ${where.join(' AND ')}`;
    if (negate) return `${this.m('id')} NOT IN (${subquery})`;
    const test = this.idIn(subquery);
    this.participantWheres.set(test, where.join(' AND '));
    return test;
  }

  /** $eq/$in/$anyOf → false, $ne/$notIn → true (negated); anything else is a 400. */
  private setOperator(field: string, operator: string) {
    if (['$eq', '$in', '$anyOf'].includes(operator)) return false;
    if (['$ne', '$notIn'].includes(operator)) return true;
    throw unsupported(field, operator);
  }

  private subject(operator: string, value: unknown) {
    if (isEmpty(value)) return FALSE;
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid('subject');
    const text = checkLength(String(value), 'subject').toLowerCase();
    if (operator === '$includes' || operator === '$notIncludes') this.substringTexts([text], 'subject');
    const subject = `LOWER(COALESCE(${this.m('subject')}, ''))`;
    switch (operator) {
      case '$includes':
        return `${subject} LIKE ${this.bind(containsPattern(text))} ESCAPE '${LIKE_ESCAPE}'`;
      case '$notIncludes':
        return `${subject} NOT LIKE ${this.bind(containsPattern(text))} ESCAPE '${LIKE_ESCAPE}'`;
      case '$eq':
        return `${subject} = ${this.bind(text)}`;
      case '$ne':
        return `${subject} <> ${this.bind(text)}`;
      default:
        throw unsupported('subject', operator);
    }
  }

  /**
   * Dates as NocoBase sends them: ISO timestamps, or whole days ("2025-03-01", with the
   * "+08:00" NocoBase's request parsing appends), which stand for that day in that zone.
   * `$dateBetween` arrives as [from, to] or, parsed, [from, to, "[]" | "[)" | "(]" | "()", zone].
   */
  private date(operator: string, value: unknown): string {
    if (isEmpty(value)) return FALSE;
    const column = this.m('date');
    const at = (when: Date, sign: string) => `${column} ${sign} ${this.bind(when)}`;
    if (operator === '$dateBetween') {
      if (!Array.isArray(value) || value.length < 2 || value.length > 4) throw invalid('date');
      const [from, to, bounds = '[]', zone] = value as unknown[];
      const a = readWhen(from, zone);
      const b = readWhen(to, zone);
      if (!a || !b || typeof bounds !== 'string') throw invalid('date');
      const lower = bounds.startsWith('(') ? at(a.end, '>=') : at(a.start, '>=');
      const upper = bounds.endsWith(')') ? at(b.start, '<') : at(b.end, '<');
      return and([lower, upper]);
    }
    const when = readWhen(value);
    if (!when) throw invalid('date');
    switch (operator) {
      case '$dateOn':
      case '$eq':
        return when.day ? and([at(when.start, '>='), at(when.end, '<')]) : at(when.start, '=');
      case '$gt':
      case '$dateAfter':
        return when.day ? at(when.end, '>=') : at(when.start, '>');
      case '$gte':
      case '$dateNotBefore':
        return at(when.start, '>=');
      case '$lt':
      case '$dateBefore':
        return at(when.start, '<');
      case '$lte':
      case '$dateNotAfter':
        return when.day ? at(when.end, '<') : at(when.start, '<=');
      default:
        throw unsupported('date', operator);
    }
  }

  private flag(field: string, operator: string, value: unknown) {
    const column = this.m(field);
    const isTrue = `${column} = ${this.bind(true)}`;
    const isFalse = `(${column} = ${this.bind(false)} OR ${column} IS NULL)`;
    if (operator === '$isTruly') return isTrue;
    if (operator === '$isFalsy') return isFalse;
    if (operator !== '$eq' && operator !== '$ne') throw unsupported(field, operator);
    if (isEmpty(value)) return FALSE;
    const wanted = value === true || value === 'true' || value === 1 || value === '1';
    if (!wanted && !(value === false || value === 'false' || value === 0 || value === '0')) throw invalid(field);
    return wanted === (operator === '$eq') ? isTrue : isFalse;
  }

  /** box and accountId: equality and lists. */
  private list(field: string, operator: string, value: unknown, parse: (v: unknown) => unknown) {
    const negate = this.setOperator(field, operator);
    const raw = Array.isArray(value) ? value : [value];
    if (raw.length > BLOCK_MAX_FILTER_VALUES) throw tooMany(field);
    const values = raw.filter((v) => !isEmpty(v)).map((v) => {
      if (typeof v === 'string') checkLength(v, field);
      const parsed = parse(v);
      if (parsed == null || parsed === '') throw invalid(field);
      return parsed;
    });
    if (!values.length) return FALSE;
    const column = this.m(field);
    return negate ? `(${column} IS NULL OR ${column} NOT IN (${this.bind(values)}))` : `${column} IN (${this.bind(values)})`;
  }

  private labels(operator: string, value: unknown) {
    const negate = ['$noneOf', '$notIn', '$ne'].includes(operator);
    if (!negate && !['$anyOf', '$in', '$eq'].includes(operator)) throw unsupported('labels', operator);
    const raw = Array.isArray(value) ? value : [value];
    if (raw.length > BLOCK_MAX_FILTER_VALUES) throw tooMany('labels');
    const ids = raw.filter((v) => !isEmpty(v)).map((v) => {
      const id = Number(v);
      if (!Number.isInteger(id) || id <= 0) throw invalid('labels');
      return id;
    });
    if (!ids.length) return FALSE;
    const link = (f: string) => this.c.sql.column(COLLECTIONS.labelLinks, f, 'l');
    const label = (f: string) => this.c.sql.column(COLLECTIONS.labels, f, 'lb');
    const mine =
      `SELECT ${link('messageId')} FROM ${this.c.sql.table(COLLECTIONS.labelLinks)} l ` +
      `JOIN ${this.c.sql.table(COLLECTIONS.labels)} lb ON ${label('id')} = ${link('labelId')} ` +
      `WHERE ${label('userId')} = ${this.bind(this.c.userId)} AND ${link('labelId')} IN (${this.bind(ids)})`;
    return negate ? `${this.m('id')} NOT IN (${mine})` : this.idIn(mine);
  }

  /** `m.id IN (subquery)`, remembered for the $or merge above. */
  private idIn(subquery: string) {
    const test = `${this.m('id')} IN (${subquery})`;
    this.subqueries.set(test, subquery);
    return test;
  }

  /** Counts "contains" texts against BLOCK_MAX_FILTER_SUBSTRINGS; answers them. */
  private substringTexts(texts: string[], field: string) {
    this.substrings += texts.length;
    if (this.substrings > BLOCK_MAX_FILTER_SUBSTRINGS) throw tooManySubstrings(field);
    return texts;
  }

  private bind(value: unknown) {
    const name = `f${Object.keys(this.c.replacements).length}`;
    this.c.replacements[name] = value;
    return `:${name}`;
  }
}

/**
 * A condition's values as strings: an array, JSON array text, or one string holding several
 * values split on "," and ";". Empty items are dropped; [] means "empty" (matches nothing).
 */
export function splitValues(value: unknown, field: string): string[] {
  if (isEmpty(value)) return [];
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(value);
      list = Array.isArray(parsed) ? parsed : [value];
    } catch {
      list = [value];
    }
  } else list = [value];
  const out: string[] = [];
  for (const item of list) {
    if (isEmpty(item)) continue;
    // A record's address objects ({ address, name }) are accepted too.
    const text = typeof item === 'object' && item && typeof (item as any).address === 'string' ? (item as any).address : item;
    if (typeof text !== 'string' && typeof text !== 'number') throw invalid(field);
    for (const piece of String(text).split(/[,;]/)) {
      const trimmed = piece.trim();
      if (trimmed) out.push(checkLength(trimmed, field));
    }
    if (out.length > BLOCK_MAX_FILTER_VALUES) throw tooMany(field);
  }
  return out;
}

/** A moment (start = end) or a whole day [start, end) in its zone (UTC when none); null if unreadable. */
function readWhen(value: unknown, zone?: unknown): { start: Date; end: Date; day: boolean } | null {
  if (typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : { start: d, end: d, day: false };
  }
  if (typeof value !== 'string' || !value.trim()) return null;
  const day = WHOLE_DAY.exec(value.trim());
  if (day) {
    const offset = day[2] || (typeof zone === 'string' && /^[+-]\d{2}:?\d{2}$/.test(zone) ? zone : 'Z');
    const start = new Date(`${day[1]}T00:00:00${offset}`);
    return Number.isNaN(start.getTime()) ? null : { start, end: new Date(start.getTime() + DAY_MS), day: true };
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : { start: d, end: d, day: false };
}

function isEmpty(value: unknown): boolean {
  if (value == null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.every(isEmpty);
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function and(parts: string[]) {
  const kept = parts.filter((p) => p !== TRUE);
  if (kept.includes(FALSE)) return FALSE;
  if (!kept.length) return TRUE;
  return kept.length === 1 ? kept[0] : `(${kept.join(' AND ')})`;
}

const unsupported = (field: string, operator: string) =>
  new UserError('The operator {{operator}} is not supported on {{field}}', 400, `filter.${field}`, { operator, field });
const invalid = (field: string) => new UserError('Invalid filter value for {{field}}', 400, `filter.${field}`, { field });

export { TRUE as SQL_TRUE, FALSE as SQL_FALSE };
