/** Reads and checks the block list's paging, sorting and scope parameters (src/shared/block-api.ts). */
import { UserError } from '../errors';
import {
  BLOCK_DEFAULT_PAGE_SIZE,
  BLOCK_MAX_FILTER_CONDITIONS,
  BLOCK_MAX_FILTER_SUBSTRINGS,
  BLOCK_MAX_FILTER_VALUE_LENGTH,
  BLOCK_MAX_FILTER_VALUES,
  BLOCK_MAX_PAGE_SIZE,
  BLOCK_SORTS,
  BlockScope,
  BlockSort,
} from '../../shared/block-api';

export interface BlockListInput {
  scope: BlockScope;
  filter: unknown;
  page: number;
  pageSize: number;
  sort: BlockSort;
}

export function readBlockListInput(input: Record<string, any>): BlockListInput {
  return {
    scope: readScope(input.scope),
    filter: input.filter,
    page: readPositive(input.page, 1, 'page', Number.MAX_SAFE_INTEGER),
    pageSize: readPositive(input.pageSize, BLOCK_DEFAULT_PAGE_SIZE, 'pageSize', BLOCK_MAX_PAGE_SIZE),
    sort: readSort(input.sort),
  };
}

export function readScope(value: unknown): BlockScope {
  if (value == null || value === '') return 'mine';
  if (value === 'mine' || value === 'all') return value;
  throw new UserError('Unknown scope {{scope}}', 400, 'scope', { scope: String(value) });
}

function readPositive(value: unknown, fallback: number, field: string, max: number) {
  if (value == null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError('{{field}} must be a whole number of at least 1', 400, field, { field });
  if (n > max) throw new UserError('{{field}} must be at most {{max}}', 400, field, { field, max });
  return n;
}

function readSort(value: unknown): BlockSort {
  // NocoBase sends sort as an array (sort[]=-date); the first key decides.
  const first = Array.isArray(value) ? value[0] : value;
  if (first == null || first === '') return '-date';
  if ((BLOCK_SORTS as readonly unknown[]).includes(first)) return first as BlockSort;
  throw new UserError('Unknown sort {{sort}}', 400, 'sort', { sort: String(first) });
}

/*
 * The size limits of a Data scope (src/shared/block-api.ts), checked while block-filter.ts
 * compiles it; each is a 400 that names the limit.
 */

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
