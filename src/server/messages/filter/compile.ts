/**
 * The one SQL form of every filter condition over mailMessages: a FilterNode (tree.ts) in, one
 * boolean SQL expression over a mailMessages alias out, every value bound as a replacement. The
 * Email table block and the mail center's thread list both compile here, so a box, account,
 * label, participant, date, flag or text condition reads the same columns and indexes in both.
 *
 * Participant conditions become `m.id [NOT] IN (SELECT messageId FROM mailMessageParticipants …)`:
 * an index walk on (address, date) / (domain, date) for exact values, a scan of the accounts'
 * rows for "contains"; never a LIKE over the mail's JSON address columns.
 */
import { COLLECTIONS } from '../../constants';
import { containsPattern, LIKE_ESCAPE, SqlNames } from '../sql';
import type { FilterNode } from './tree';

export const SQL_TRUE = '1=1';
export const SQL_FALSE = '1=0';

export interface FilterContext {
  sql: SqlNames;
  /** The caller: label and to-do conditions look at their own only. */
  userId: number;
  /**
   * The accounts the query may return, when that is a list: repeated inside the participant
   * subqueries so a common address is narrowed to those accounts there too. null: unrestricted.
   */
  accountIds: number[] | null;
  replacements: Record<string, unknown>;
  /** The mailMessages alias tested: 'm' unless told (the thread list also tests its newer mails, 'n'). */
  alias?: string;
}

export interface CompiledFilter {
  /** Boolean SQL over the alias. */
  sql: string;
  /**
   * When the whole filter is one positive participant test (the usual block: one address field,
   * or a domains list), its condition over `mailMessageParticipants p`: the page and the count
   * can then be read from that table alone (it carries the mail's date), without visiting mail.
   */
  participantWhere: string | null;
}

/** A compiled node; `subquery` when it is `alias.id IN (subquery)`, for the $or merge below. */
interface Part {
  sql: string;
  subquery?: string;
  participantWhere?: string;
}

export function compileFilter(node: FilterNode, context: FilterContext): CompiledFilter {
  const part = new Compiler(context).node(node);
  return { sql: part.sql, participantWhere: part.participantWhere ?? null };
}

class Compiler {
  private readonly alias: string;

  constructor(private readonly c: FilterContext) {
    this.alias = c.alias ?? 'm';
  }

  node(node: FilterNode): Part {
    switch (node.kind) {
      case 'const':
        return { sql: node.value ? SQL_TRUE : SQL_FALSE };
      case 'and':
        return { sql: `(${node.items.map((i) => this.node(i).sql).join(' AND ')})` };
      case 'or':
        return this.or(node.items.map((i) => this.node(i)));
      case 'list': {
        const column = this.m(node.field);
        const values = this.bind(node.values);
        if (!node.negate) return { sql: `${column} IN (${values})` };
        return { sql: node.strict ? `${column} NOT IN (${values})` : `(${column} IS NULL OR ${column} NOT IN (${values}))` };
      }
      case 'flag': {
        const column = this.m(node.field);
        // Columns default to false, but a NULL one is not "true" either.
        return { sql: node.value ? `${column} = ${this.bind(true)}` : `(${column} = ${this.bind(false)} OR ${column} IS NULL)` };
      }
      case 'date':
        return { sql: `${this.m('date')} ${node.sign} ${this.bind(node.at)}` };
      case 'subject':
        return { sql: this.subject(node.op, node.text) };
      case 'participant':
        return this.participant(node);
      case 'labels':
        return this.labels(node.ids, node.negate);
      case 'folder':
        return { sql: this.inFolder(node.id) };
      case 'folders': {
        const any = `(${node.ids.map((id) => this.inFolder(id)).join(' OR ')})`;
        // A mail with no folder list is in none of them.
        return { sql: node.negate ? `(${this.m('folderIds')} IS NULL OR NOT ${any})` : any };
      }
      case 'text':
        return { sql: this.like(this.lower('text'), this.bind(containsPattern(node.text)), node.op === 'notContains') };
      case 'todo':
        return { sql: this.todo() };
      case 'search':
        return { sql: this.search(node.words) };
    }
  }

  /**
   * An OR of only positive `id IN (subquery)` tests becomes one `id IN (a UNION b)`: PostgreSQL
   * plans an OR of IN-subqueries as a scan of every mail in scope, but a single IN as an index
   * walk from the participants.
   */
  private or(parts: Part[]): Part {
    if (parts.every((p) => p.subquery)) return this.idIn(parts.map((p) => p.subquery).join(' UNION '));
    return { sql: `(${parts.map((p) => p.sql).join(' OR ')})` };
  }

  private subject(op: 'contains' | 'notContains' | 'eq' | 'ne', text: string) {
    const subject = this.lower('subject');
    if (op === 'contains' || op === 'notContains') return this.like(subject, this.bind(containsPattern(text)), op === 'notContains');
    return `${subject} ${op === 'eq' ? '=' : '<>'} ${this.bind(text)}`;
  }

  /** `id [NOT] IN (the mails with a participant matching in one of `roles`)`. */
  private participant(node: Extract<FilterNode, { kind: 'participant' }>): Part {
    const P = this.c.sql.table(COLLECTIONS.participants);
    const p = (field: string) => this.c.sql.column(COLLECTIONS.participants, field, 'p');
    const { match, roles, negate } = node;
    let test: string;
    if ('equals' in match) test = `${p(match.column)} IN (${this.bind(match.equals)})`;
    else {
      const columns = match.names ? [p(match.column), p('name')] : [p(match.column)];
      const likes = match.contains.map((text) => {
        const pattern = this.bind(containsPattern(text));
        return columns.map((column) => this.like(column, pattern)).join(' OR ');
      });
      test = `(${likes.join(' OR ')})`;
    }
    const where = [test];
    if (roles) where.push(`${p('role')} IN (${this.bind(roles)})`);
    // Narrowed to the accounts the caller may see, negated or not: a mail's participant rows
    // carry the mail's own account, so the rows of the mails in scope are all inside.
    const { accountIds } = this.c;
    if (accountIds) where.push(accountIds.length ? `${p('accountId')} IN (${this.bind(accountIds)})` : SQL_FALSE);
    else if (negate) {
      // No plain account list (a data scope, or every mail): look only at the rows of the mail
      // being tested, which the caller's visibility predicate has already admitted.
      where.push(`${p('messageId')} = ${this.m('id')}`);
      return { sql: `NOT EXISTS (SELECT 1 FROM ${P} p WHERE ${where.join(' AND ')})` };
    }
    const subquery = `SELECT ${p('messageId')} FROM ${P} p WHERE ${where.join(' AND ')}`;
    if (negate) return { sql: `${this.m('id')} NOT IN (${subquery})` };
    return { ...this.idIn(subquery), participantWhere: where.join(' AND ') };
  }

  private labels(ids: number[], negate: boolean): Part {
    const link = (f: string) => this.c.sql.column(COLLECTIONS.labelLinks, f, 'l');
    const label = (f: string) => this.c.sql.column(COLLECTIONS.labels, f, 'lb');
    const mine =
      `SELECT ${link('messageId')} FROM ${this.c.sql.table(COLLECTIONS.labelLinks)} l ` +
      `JOIN ${this.c.sql.table(COLLECTIONS.labels)} lb ON ${label('id')} = ${link('labelId')} ` +
      `WHERE ${label('userId')} = ${this.bind(this.c.userId)} AND ${link('labelId')} IN (${this.bind(ids)})`;
    return negate ? { sql: `${this.m('id')} NOT IN (${mine})` } : this.idIn(mine);
  }

  /** folderIds is a JSON list of ids: the id in quotes is the whole element. */
  private inFolder(id: string) {
    return this.like(this.c.sql.jsonText(this.m('folderIds')), this.bind(containsPattern(JSON.stringify(id))));
  }

  /** A to-do is kept per conversation (accountId, threadId), not per mail. */
  private todo() {
    const note = (f: string) => this.c.sql.column(COLLECTIONS.notes, f, 't');
    return (
      `EXISTS (SELECT 1 FROM ${this.c.sql.table(COLLECTIONS.notes)} t WHERE ${note('userId')} = ${this.bind(this.c.userId)} ` +
      `AND ${note('todo')} = ${this.bind(true)} AND ${note('accountId')} = ${this.m('accountId')} AND ${note('threadId')} = ${this.m('threadId')})`
    );
  }

  /** participantNames is stored lower-cased ("name <address>, …"); the other texts are lowered here. */
  private search(words: string[]) {
    const fields = [this.lower('subject'), this.m('participantNames'), this.lower('snippet'), this.lower('text')];
    const each = words.map((word) => {
      const pattern = this.bind(containsPattern(word));
      return `(${fields.map((field) => this.like(field, pattern)).join(' OR ')})`;
    });
    return each.length === 1 ? each[0] : `(${each.join(' AND ')})`;
  }

  private idIn(subquery: string): Part {
    return { sql: `${this.m('id')} IN (${subquery})`, subquery };
  }

  private m(field: string) {
    return this.c.sql.column(COLLECTIONS.messages, field, this.alias);
  }

  private lower(field: string) {
    return `LOWER(COALESCE(${this.m(field)}, ''))`;
  }

  private like(expression: string, pattern: string, not = false) {
    return `${expression} ${not ? 'NOT LIKE' : 'LIKE'} ${pattern} ESCAPE '${LIKE_ESCAPE}'`;
  }

  /** Binds a value under a fresh name; the caller's own names (limit, scopeOwn…) are left alone. */
  private bind(value: unknown) {
    const { replacements } = this.c;
    let i = Object.keys(replacements).length;
    while (`f${i}` in replacements) i++;
    replacements[`f${i}`] = value;
    return `:f${i}`;
  }
}
