/**
 * Reads and checks the block list's paging, sorting and scope parameters (src/shared/block-api.ts);
 * the Data scope itself is read by src/server/messages/filter/block-filter.ts.
 */
import { UserError } from '../errors';
import { BLOCK_DEFAULT_PAGE_SIZE, BLOCK_MAX_PAGE_SIZE, BLOCK_SORTS, BlockScope, BlockSort } from '../../shared/block-api';

export interface BlockListInput {
  scope: BlockScope;
  filter: unknown;
  page: number;
  pageSize: number;
  sort: BlockSort;
}

export function readBlockListInput(input: Record<string, unknown>): BlockListInput {
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
