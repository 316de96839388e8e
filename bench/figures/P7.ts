/**
 * P7: the Email table block's participant filters on PostgreSQL with 100,000 stored messages
 * across 5 accounts of 2 users (bench/mail-volume.ts), the participants index back-filled by the
 * same code as the migration, then VACUUM ANALYZE (a settled database). Server time, p95:
 * - block: a block page (mailMessages:blockList: the page, its exact count and the rows'
 *   accounts, labels, attachments and replied mail) filtered by one address — From, To or any
 *   participant — for the addresses with the most mail (each in a few dozen mails of the user);
 * - domain: the same filtered by a domain list (S-BLOCK-4; thousands of mails per domain);
 * - count: the count statement alone, for the address and domain filters.
 * `block_http_p95_ms` adds the HTTP round trip through NocoBase (auth, ACL, JSON) for reference;
 * `backfill_s` is the migration's back-fill of the whole volume.
 */
import type { Figure } from '../figures';
import { measureOnPostgresVolume } from '../mail-volume';
import { fixed, p95, timed } from '../setup';

const MESSAGES = 100_000;
const CALLS = 200;
const BLOCK_TARGET_MS = 50;
/** Addresses measured: the most frequent correspondents of the user. */
const ADDRESSES = 5;

export const P7: Figure = {
  id: 'P7',
  description: 'Email block filtered by address and by domain on PostgreSQL with 100,000 messages (5 accounts, 2 users)',
  async run() {
    return measureOnPostgresVolume({ messages: MESSAGES, accountsPerUser: [3, 2] }, async (app, { users, accountIds }) => {
      const { ParticipantIndex } = require('../../src/server/messages/participant-index');
      const { BlockQuery } = require('../../src/server/blocks/block-query');
      const { AttachmentService } = require('../../src/server/messages/attachment-service');
      const { ThreadQuery } = require('../../src/server/messages/thread-query');
      const { SqlNames } = require('../../src/server/messages/sql');
      const backfill = await timed(() => new ParticipantIndex(app.db).rebuildAll());
      await app.db.sequelize.query('VACUUM ANALYZE');

      const plugin: any = app.pm.get('email-manager');
      const query = new BlockQuery(app, new AttachmentService(app, plugin.accounts), new ThreadQuery(app));
      const user = users[0];
      const ctx = { state: { currentUser: { id: Number(user.get('id')) } } };
      const own = accountIds[0];
      const sql = new SqlNames(app.db);
      const address = sql.column('mailMessageParticipants', 'address', 'p');
      const top = await sql.select(
        `SELECT ${address} AS address, COUNT(*) AS n FROM ${sql.table('mailMessageParticipants')} p
         WHERE ${sql.column('mailMessageParticipants', 'accountId', 'p')} IN (:own) AND ${address} NOT LIKE 'volume%'
         GROUP BY ${address} ORDER BY n DESC, ${address} LIMIT ${ADDRESSES}`,
        { own },
      );
      const addresses: string[] = top.map((r: any) => String(r.address));
      const addressFilters = addresses.flatMap((a) => [{ participants: a }, { from: a.toUpperCase() }, { $or: [{ to: a }, { cc: a }] }]);
      const domainFilters = [{ domain: ['acme.test'] }, { domain: '["contoso.test","@globex.test"]' }, { domain: { $in: 'initech.test; umbrella.test' } }];
      const input = (filter: unknown, i: number) => ({ filter, page: 1 + (i % 3), pageSize: 20 });

      // Warm-up: the first calls load plans and caches.
      for (const filter of [...addressFilters, ...domainFilters]) await query.list(ctx, input(filter, 0));
      const block: number[] = [];
      const domain: number[] = [];
      const count: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        block.push(await timed(() => query.list(ctx, input(addressFilters[i % addressFilters.length], i))));
        if (i % 2 === 0) domain.push(await timed(() => query.list(ctx, input(domainFilters[i % domainFilters.length], i))));
        if (i % 4 === 0) {
          const prepared = await query.prepare(ctx, input(i % 8 === 0 ? addressFilters[i % addressFilters.length] : domainFilters[i % domainFilters.length], i));
          count.push(await timed(() => query.count(prepared)));
        }
      }
      const agent = await app.agent().login(user);
      const http: number[] = [];
      for (let i = 0; i < 40; i++) {
        http.push(await timed(async () => {
          const res = await agent.get('/api/mailMessages:blockList').query({ filter: JSON.stringify(addressFilters[i % addressFilters.length]), pageSize: 20 });
          if (res.status !== 200) throw new Error(`blockList: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        }));
      }
      const perAddress = await query.list(ctx, input({ participants: addresses[0] }, 0));
      return {
        block_p95_ms: fixed(p95(block), 1),
        block_target_ms: BLOCK_TARGET_MS,
        block_ratio: fixed(p95(block) / BLOCK_TARGET_MS),
        domain_p95_ms: fixed(p95(domain), 1),
        count_p95_ms: fixed(p95(count), 1),
        block_http_p95_ms: fixed(p95(http), 1),
        address_mails: perAddress.meta.count,
        backfill_s: fixed(backfill / 1000, 1),
        messages: MESSAGES,
      };
    });
  },
};
