/**
 * Reading the values of a Data scope condition (src/shared/block-api.ts) and its size limits:
 * lists of addresses or domains, dates and whole days, "empty". Every check here is a single
 * pass over its input (no regex that can backtrack), and each limit is a 400 that names it.
 */
import { UserError } from '../../errors';
import {
  BLOCK_MAX_FILTER_CONDITIONS,
  BLOCK_MAX_FILTER_SUBSTRINGS,
  BLOCK_MAX_FILTER_VALUE_LENGTH,
  BLOCK_MAX_FILTER_VALUES,
} from '../../../shared/block-api';

const DAY_MS = 86_400_000;
const WHOLE_DAY = /^(\d{4}-\d{2}-\d{2})([+-]\d{2}:?\d{2}|Z)?$/;
const ZONE = /^[+-]\d{2}:?\d{2}$/;

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
    const text = typeof item === 'object' && item && typeof (item as { address?: unknown }).address === 'string' ? (item as { address: string }).address : item;
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
export function readWhen(value: unknown, zone?: unknown): { start: Date; end: Date; day: boolean } | null {
  if (typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : { start: d, end: d, day: false };
  }
  if (typeof value !== 'string' || !value.trim()) return null;
  const day = WHOLE_DAY.exec(value.trim());
  if (day) {
    const offset = day[2] || (typeof zone === 'string' && ZONE.test(zone) ? zone : 'Z');
    const start = new Date(`${day[1]}T00:00:00${offset}`);
    return Number.isNaN(start.getTime()) ? null : { start, end: new Date(start.getTime() + DAY_MS), day: true };
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : { start: d, end: d, day: false };
}

export function isEmpty(value: unknown): boolean {
  if (value == null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.every(isEmpty);
  return false;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value, or a 400 when it is longer than BLOCK_MAX_FILTER_VALUE_LENGTH. */
export function checkLength(text: string, field: string) {
  if (text.length > BLOCK_MAX_FILTER_VALUE_LENGTH) {
    throw new UserError('A value for {{field}} is too long (at most {{max}} characters)', 400, `filter.${field}`, { field, max: BLOCK_MAX_FILTER_VALUE_LENGTH });
  }
  return text;
}

export const tooMany = (field: string) =>
  new UserError('Too many values for {{field}} (at most {{max}})', 400, `filter.${field}`, { field, max: BLOCK_MAX_FILTER_VALUES });

export const tooManyConditions = () =>
  new UserError('The filter has too many conditions (at most {{max}})', 400, 'filter', { max: BLOCK_MAX_FILTER_CONDITIONS });

export const tooManySubstrings = (field: string) =>
  new UserError('The filter has too many "contains" texts (at most {{max}}); use "is" or "is any of" for exact addresses', 400, `filter.${field}`, {
    max: BLOCK_MAX_FILTER_SUBSTRINGS,
  });

export const unsupported = (field: string, operator: string) =>
  new UserError('The operator {{operator}} is not supported on {{field}}', 400, `filter.${field}`, { operator, field });

export const invalid = (field: string) => new UserError('Invalid filter value for {{field}}', 400, `filter.${field}`, { field });
