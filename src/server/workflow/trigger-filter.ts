/**
 * Which of an account's new messages pass a trigger's filter. The filter is read by the Email
 * table block's reader with the trigger's fields (block-filter.ts) and compiled by the one
 * compiler of mail filters (compile.ts), then run as one SELECT over the new rows: an address
 * condition reads the participants index the sync wrote in the same transaction as the mail.
 * A label is named by id or by the name the account's sidebar shows.
 */
import type Application from '@nocobase/server';
import { TRIGGER_FILTER_FIELDS } from '../../shared/workflow-api';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { readBlockFilter } from '../messages/filter/block-filter';
import { compileFilter, SQL_TRUE } from '../messages/filter/compile';
import { SqlNames } from '../messages/sql';
import { jsonValue } from '../send/stored-mail';

/** The ids a label value names in this account: a folder or label with that id or (ignoring case) that name. */
function folderResolver(account: Model) {
  const folders = jsonValue<{ id?: string; name?: string }[]>(account.get('folders'), []);
  return (value: string) => {
    const wanted = value.trim().toLowerCase();
    const named = folders.filter((f) => f.id && String(f.name || '').toLowerCase() === wanted).map((f) => String(f.id));
    return [...new Set([value.trim(), ...named])];
  };
}

/** The subset of `ids` (rows of `account`) that `filter` matches. */
export async function matchingIds(app: Application, account: Model, ids: number[], filter: unknown): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const tree = readBlockFilter(filter ?? null, { fields: TRIGGER_FILTER_FIELDS, folderIds: folderResolver(account) });
  const sql = new SqlNames(app.db);
  const accountId = Number(account.get('id'));
  const replacements: Record<string, unknown> = { ids, accountId };
  const compiled = compileFilter(tree, { sql, userId: Number(account.get('userId')), accountIds: [accountId], replacements });
  if (compiled.sql === SQL_TRUE) return new Set(ids);
  const id = sql.column(COLLECTIONS.messages, 'id', 'm');
  const rows = await sql.select<{ id: number | string }>(
    `SELECT ${id} AS id FROM ${sql.table(COLLECTIONS.messages)} m ` +
      `WHERE ${id} IN (:ids) AND ${sql.column(COLLECTIONS.messages, 'accountId', 'm')} = :accountId AND ${compiled.sql}`,
    replacements,
  );
  return new Set(rows.map((r) => Number(r.id)));
}
