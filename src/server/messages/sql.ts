/**
 * Small helpers for the mail center's hand-written SQL. The thread list needs a correlated
 * "newest mail of its conversation" test that Sequelize's finders cannot express; these keep the
 * statements portable: real table and column names (NocoBase may prefix tables or use
 * snake_case columns), quoting, JSON as text, and LIKE patterns with a fixed escape character.
 */
import type Database from '@nocobase/database';
import { Op } from '@nocobase/database';
import type { QueryOptions } from 'sequelize';
import { type QueryGenerator, queryGeneratorOf, type Transaction } from '../db-types';

/** The escape character of every LIKE pattern built here (`LIKE :p ESCAPE '!'`). */
export const LIKE_ESCAPE = '!';

/** `%text%` with LIKE's wildcards in `text` taken literally. */
export function containsPattern(text: string) {
  return `%${text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c)}%`;
}

export class SqlNames {
  readonly dialect: string;
  private readonly generator: QueryGenerator;

  constructor(private readonly db: Database) {
    this.dialect = db.sequelize.getDialect();
    this.generator = queryGeneratorOf(db.sequelize.getQueryInterface());
  }

  /** The quoted table of a collection. */
  table(collection: string) {
    return this.generator.quoteTable(this.db.getCollection(collection).model.getTableName());
  }

  /** `alias.column` for a field of a collection, quoted. */
  column(collection: string, field: string, alias: string) {
    const attribute = this.db.getCollection(collection).model.rawAttributes[field];
    if (!attribute) throw new Error(`${collection} has no field ${field}`);
    return `${alias}.${this.generator.quoteIdentifier(attribute.field || field)}`;
  }

  /** A JSON column read as text, for LIKE. */
  jsonText(expression: string) {
    return this.dialect === 'postgres' ? `CAST(${expression} AS TEXT)` : expression;
  }

  async select<T = Record<string, unknown>>(sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<T[]> {
    // type 'SELECT' (QueryTypes.SELECT): the rows alone, not [rows, metadata].
    return (await this.db.sequelize.query(sql, { replacements, type: 'SELECT', transaction } as QueryOptions)) as unknown as T[];
  }
}

/** Provider ids per IN (…) list: far below every dialect's parameter limit. */
const PROVIDER_ID_CHUNK = 500;

/** The account's mailMessages rows with these provider ids (raw, only `attributes`), in chunks. */
export async function rowsByProviderIds(
  model: { findAll(options: object): Promise<unknown[]> },
  accountId: number,
  providerIds: string[],
  attributes: string[],
  transaction?: unknown,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < providerIds.length; i += PROVIDER_ID_CHUNK) {
    const where = { accountId, providerMessageId: { [Op.in]: providerIds.slice(i, i + PROVIDER_ID_CHUNK) } };
    rows.push(...((await model.findAll({ attributes, where, raw: true, transaction })) as Record<string, unknown>[]));
  }
  return rows;
}
