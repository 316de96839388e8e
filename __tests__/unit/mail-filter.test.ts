import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/server/errors';
import { compileBlockFilter, readBlockFilter } from '../../src/server/messages/filter/block-filter';
import { compileFilter } from '../../src/server/messages/filter/compile';
import { readThreadFilter, threadFilterTree } from '../../src/server/messages/filter/thread-filter';
import { and, FALSE, or, TRUE } from '../../src/server/messages/filter/tree';

/**
 * The one filter compiler behind the mail center's thread list and the Email table block
 * (src/server/messages/filter/): the thread list's parameters become the block's filter tree,
 * and each condition compiles to one SQL form. The SQL runs on every dialect in the server
 * tests (mail-center.api, blocks.api, limits.api); here its shape is checked without a database.
 */

/** SqlNames as compile.ts uses it: quoted names, JSON read as text. */
const sql: any = {
  table: (collection: string) => `"${collection}"`,
  column: (_collection: string, field: string, alias: string) => `${alias}."${field}"`,
  jsonText: (expression: string) => expression,
};

/** The SQL with its values written in, to compare shapes. */
function compiled(node: Parameters<typeof compileFilter>[0], accountIds: number[] | null = [1, 2], alias = 'm') {
  const replacements: Record<string, unknown> = {};
  const out = compileFilter(node, { sql, userId: 7, accountIds, replacements, alias });
  return out.sql.replace(/:(f\d+)/g, (_, name) => JSON.stringify(replacements[name]));
}

const thread = (params: Record<string, unknown>) => readThreadFilter(params, 7, [1, 2], [5]);

describe('mail filter', () => {
  it('turns the mail center From and To into participant tests on the index, by address or display name', () => {
    const tree = threadFilterTree(thread({ from: ' Alice ', to: 'Bob@' }));
    expect(tree).toMatchObject({
      kind: 'and',
      items: expect.arrayContaining([
        { kind: 'participant', roles: ['from'], match: { column: 'address', contains: ['alice'], names: true }, negate: false },
        { kind: 'participant', roles: ['to', 'cc', 'bcc'], match: { column: 'address', contains: ['bob@'], names: true }, negate: false },
      ]),
    });
    const where = compiled(tree);
    // No LIKE over the mail's JSON address columns any more.
    expect(where).not.toMatch(/m\."(from|to|cc|bcc)"/);
    expect(where).toContain(
      `m."id" IN (SELECT p."messageId" FROM "mailMessageParticipants" p WHERE (p."address" LIKE "%alice%" ESCAPE '!' OR p."name" LIKE "%alice%" ESCAPE '!') AND p."role" IN (["from"]) AND p."accountId" IN ([1,2]))`,
    );
  });

  it('writes a participant "contains" once for both lists: the block matches addresses, the mail center names too', () => {
    const block = compiled(readBlockFilter({ from: { $includes: 'Alice' } }));
    const center = compiled(threadFilterTree(thread({ from: 'alice', box: 'all' })));
    expect(block).toBe(`m."id" IN (SELECT p."messageId" FROM "mailMessageParticipants" p WHERE (p."address" LIKE "%alice%" ESCAPE '!') AND p."role" IN (["from"]) AND p."accountId" IN ([1,2]))`);
    expect(center).toContain(block.replace(`ESCAPE '!')`, `ESCAPE '!' OR p."name" LIKE "%alice%" ESCAPE '!')`));
  });

  it('compiles the mail center boxes, label, flags and dates with the block conditions', () => {
    const where = (params: Record<string, unknown>) => compiled(threadFilterTree(thread(params)));
    expect(where({})).toBe(`(m."accountId" IN ([1,2]) AND m."box" IN (["inbox"]))`);
    expect(where({ box: 'all' })).toBe(`(m."accountId" IN ([1,2]) AND (m."box" IS NULL OR m."box" NOT IN (["trash","spam"])))`);
    // A draft only in a custom folder (box NULL) stays out of Drafts, as it always was.
    expect(where({ box: 'drafts' })).toContain(`m."box" NOT IN (["trash"])`);
    expect(where({ box: 'scheduled' })).toContain(`((m."draft" = true AND m."scheduleStatus" IN (["scheduled","sending","failed"])) OR m."box" IN (["scheduled"]))`);
    // The same SQL as the block's { labels: { $anyOf: [5] } }, { read: false }, { hasAttachments: true }.
    const mailCenter = where({ labelId: 5, unread: 1, hasAttachments: 'true' });
    for (const filter of [{ labels: { $anyOf: [5] } }, { read: false }, { hasAttachments: true }]) expect(mailCenter).toContain(compiled(readBlockFilter(filter)));
    expect(where({ after: '2025-01-01T00:00:00Z', before: '2025-02-01T00:00:00Z' })).toContain(
      compiled(readBlockFilter({ date: { $gte: '2025-01-01T00:00:00Z', $lt: '2025-02-01T00:00:00Z' } })).slice(1, -1),
    );
    // One branch of the list: one account, and the participant subqueries narrowed to it.
    const branch = compiled(threadFilterTree(thread({ to: 'x' }), [2]), [2], 'n');
    expect(branch).toMatch(/^\(n\."accountId" IN \(\[2\]\) .* p\."accountId" IN \(\[2\]\)\)\)$/);
  });

  it('searches every word in subject, names, snippet and text, wildcards taken literally', () => {
    const where = compiled(threadFilterTree(thread({ q: '  Foo   100%_ ' })));
    expect(where).toContain(`(LOWER(COALESCE(m."subject", '')) LIKE "%foo%" ESCAPE '!' OR m."participantNames" LIKE "%foo%" ESCAPE '!'`);
    expect(where).toContain(`LOWER(COALESCE(m."text", '')) LIKE "%100!%!_%" ESCAPE '!')`);
    // At most 8 words are used; a long q is refused.
    expect(thread({ q: Array.from({ length: 12 }, (_, i) => `w${i}`).join(' ') }).words).toHaveLength(8);
    expect(() => thread({ from: 'x'.repeat(201) })).toThrow(UserError);
  });

  it('folds constants while building, so empty values match nothing and empty groups add nothing', () => {
    expect(and([])).toBe(TRUE);
    expect(or([])).toBe(FALSE);
    expect(and([TRUE, FALSE])).toBe(FALSE);
    expect(readBlockFilter({ $or: [{}, { from: '' }] })).toBe(FALSE);
    expect(readBlockFilter({ $and: [{}, { $or: [] }] })).toBe(TRUE);
    // A caller with no accounts: the participant subquery reads nothing (never `IN ()`).
    expect(compiled(readBlockFilter({ from: 'a@x.com' }), [])).toContain('AND 1=0)');
  });

  it('keeps the one-participant-test shortcut and the $or merge of the block', () => {
    const replacements: Record<string, unknown> = {};
    const one = compileBlockFilter({ $and: [{ from: 'a@x.com' }, {}] }, { sql, userId: 7, accountIds: [1], replacements });
    expect(one.participantWhere).toMatch(/^p\."address" IN \(:f\d+\) AND p\."role" IN \(:f\d+\) AND p\."accountId" IN \(:f\d+\)$/);
    const merged = compiled(readBlockFilter({ $or: [{ from: 'a@x.com' }, { labels: [3] }] }));
    expect(merged.match(/ IN \(SELECT /g)).toHaveLength(1);
    expect(merged).toContain(' UNION SELECT l."messageId"');
  });

  it('refuses unknown operators, including the names of object properties', () => {
    // As JSON text, the way a request carries them: "__proto__" is then a key of its own.
    for (const filter of ['{"subject":{"constructor":"x"}}', '{"subject":{"__proto__":"x"}}', '{"subject":{"$gt":"x"}}', '{"nope":1}']) {
      expect(() => readBlockFilter(filter), filter).toThrow(UserError);
    }
  });
});
