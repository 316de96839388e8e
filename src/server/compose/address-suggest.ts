/**
 * Address autocomplete (S-SEND-4): the people the user has corresponded with, from the stored
 * mail of their own accounts only. A suggestion's address or one word of its name starts with
 * what was typed (case-insensitive); the best come first: often and recently seen.
 *
 * The query: `participantNames` already holds every participant of a mail, lower-cased, as
 * `name <address>, …`, so three LIKE patterns find the mails with a matching participant —
 * `q…` (the first name), `… q…` (any later word) and `<q…` (an address). The newest
 * SUGGEST_SCAN_ROWS of those are read on the `(accountId, date)` order, and their From/To/Cc/Bcc
 * counted here. A common prefix stops after that many rows; a rare one reads the matching rows of
 * the user's own accounts and nobody else's (P-figure in bench: 100,000 messages).
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { LIKE_ESCAPE, SqlNames } from '../messages/sql';
import { jsonValue } from '../send/stored-mail';
import { ADDRESS_QUERY_MAX, ADDRESS_SUGGEST_LIMIT, type Address } from '../../shared/compose-api';

/** How many of the newest matching mails are counted: enough to rank, bounded per keystroke. */
export const SUGGEST_SCAN_ROWS = 2000;
/** A mail this many days old counts half as much as one from today. */
const RECENCY_HALF_LIFE_DAYS = 30;
const DAY_MS = 86_400_000;
const COLUMNS = ['from', 'to', 'cc', 'bcc', 'date'] as const;
/** A row of matchingMail: `m_<column>` for each of COLUMNS. */
type MatchRow = Record<string, unknown> & { m_date: Date | string };
/** An address as stored in a mail's JSON; checked before use. */
type StoredPerson = { address?: unknown; name?: unknown } | null;

interface Candidate {
  address: string;
  name: string;
  score: number;
  last: number;
}

export class AddressSuggestService {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {}

  async suggest(userId: number, q: unknown, now = new Date()): Promise<Address[]> {
    const text = queryOf(q);
    if (!text) return [];
    const own = await this.accounts.ownedModels(userId);
    if (!own.length) return [];
    const accountIds = own.map((a) => Number(a.get('id')));
    const mine = ownAddresses(own);
    const rows = await this.matchingMail(accountIds, text);
    const found = new Map<string, Candidate>();
    for (const row of rows) {
      const time = new Date(row.m_date).getTime() || 0;
      const weight = Math.pow(0.5, Math.max(0, now.getTime() - time) / DAY_MS / RECENCY_HALF_LIFE_DAYS);
      const people = [jsonValue<StoredPerson>(row.m_from, null), ...['to', 'cc', 'bcc'].flatMap((f) => jsonValue<StoredPerson[]>(row[`m_${f}`], []) || [])];
      const seen = new Set<string>();
      for (const person of people) {
        const address = typeof person?.address === 'string' ? person.address.trim().toLowerCase() : '';
        const name = typeof person?.name === 'string' ? person.name.trim() : '';
        if (!address || seen.has(address) || mine.has(address) || !matches(text, address, name)) continue;
        seen.add(address);
        const known = found.get(address);
        if (!known) found.set(address, { address, name, score: weight, last: time });
        else {
          known.score += weight;
          // The newest mail's name wins: people change how they sign.
          if (name && (time > known.last || !known.name)) known.name = name;
          known.last = Math.max(known.last, time);
        }
      }
    }
    return [...found.values()]
      .sort((a, b) => b.score - a.score || b.last - a.last || a.address.localeCompare(b.address))
      .slice(0, ADDRESS_SUGGEST_LIMIT)
      .map((c) => (c.name ? { name: c.name, address: c.address } : { address: c.address }));
  }

  /** The newest mails of the accounts with a participant whose address or name word starts with `text`. */
  private async matchingMail(accountIds: number[], text: string) {
    const sql = new SqlNames(this.app.db);
    const M = COLLECTIONS.messages;
    const col = (field: string) => sql.column(M, field, 'm');
    const like = (name: string) => `${col('participantNames')} LIKE :${name} ESCAPE '${LIKE_ESCAPE}'`;
    const literal = text.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
    const statement =
      // Plain lower-case aliases: the same keys on every dialect, whatever the columns are called.
      `SELECT ${COLUMNS.map((f) => `${col(f)} AS m_${f}`).join(', ')} FROM ${sql.table(M)} m ` +
      `WHERE ${col('accountId')} IN (:accountIds) AND (${col('box')} IS NULL OR ${col('box')} <> 'spam') ` +
      `AND (${like('first')} OR ${like('word')} OR ${like('address')}) ` +
      `ORDER BY ${col('date')} DESC LIMIT ${SUGGEST_SCAN_ROWS}`;
    return sql.select<MatchRow>(statement, { accountIds, first: `${literal}%`, word: `% ${literal}%`, address: `%<${literal}%` });
  }
}

/** The typed text, lower-cased; '' for nothing to look up. */
function queryOf(q: unknown): string {
  if (q == null) return '';
  if (typeof q !== 'string') throw new UserError('The search text must be text', 400, 'q');
  const text = q.trim().toLowerCase();
  if (text.length > ADDRESS_QUERY_MAX) throw new UserError('The search text has at most {{max}} characters', 400, 'q', { max: ADDRESS_QUERY_MAX });
  return text;
}

/** The address, or a word of the name, starts with the text. */
function matches(text: string, address: string, name: string) {
  if (address.startsWith(text)) return true;
  const lower = name.toLowerCase();
  // Word by word, as the SQL pattern `% q%` does; "ada lo" finds "Ada Lovelace" too.
  return lower.startsWith(text) || lower.replace(/\s+/g, ' ').includes(` ${text}`);
}

/** The user's own addresses and aliases: never suggested as a recipient. */
function ownAddresses(accounts: Model[]) {
  const mine = new Set<string>();
  for (const account of accounts) {
    mine.add(String(account.get('email') || '').toLowerCase());
    for (const alias of jsonValue<{ email?: unknown }[]>(account.get('aliases'), []) || []) {
      if (typeof alias?.email === 'string') mine.add(alias.email.toLowerCase());
    }
  }
  return mine;
}
