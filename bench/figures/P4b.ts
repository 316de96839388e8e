/**
 * P4b: address autocomplete (S-SEND-4, mailMessages:addresses) on the P4 data: PostgreSQL with
 * 100,000 stored messages across 5 accounts of 2 users (VACUUM ANALYZE after the load). Server
 * time p95 of one suggestion list, over prefixes a user types: common ones (a letter or two,
 * many matching mails: the newest SUGGEST_SCAN_ROWS are counted), a full address, and rare or
 * absent ones (every matching mail of the user's accounts is looked at). `http_p95_ms` adds the
 * round trip through NocoBase (auth, ACL, JSON) for reference.
 */
import type { Figure } from '../figures';
import { measureOnPostgresVolume } from '../mail-volume';
import { fixed, p95, timed } from '../setup';

const MESSAGES = 100_000;
const CALLS = 200;
const TARGET_MS = 50;
/** What people type: common prefixes, a name, a whole address, a domain word, and nothing that exists. */
const QUERIES = ['a', 'gr', 'katherine', 'zoe.wei@', 'olu.olu@umbrella.test', 'hiroshi.priya', 'nobody-like-this', 'zz'];

export const P4b: Figure = {
  id: 'P4b',
  description: 'Address suggestions on PostgreSQL with 100,000 messages (5 accounts, 2 users)',
  async run() {
    return measureOnPostgresVolume({ messages: MESSAGES, accountsPerUser: [3, 2] }, async (app, { users }) => {
      const { AddressSuggestService } = require('../../src/server/compose/address-suggest');
      const service = new AddressSuggestService(app, (app.pm.get('email-manager') as any).accounts);
      const user = Number(users[0].get('id'));
      for (const q of QUERIES) await service.suggest(user, q);
      const times: number[] = [];
      const rare: number[] = [];
      let found = 0;
      for (let i = 0; i < CALLS; i++) {
        const q = QUERIES[i % QUERIES.length];
        let answer: unknown[] = [];
        const ms = await timed(async () => {
          answer = await service.suggest(user, q);
        });
        times.push(ms);
        if (q === 'nobody-like-this' || q === 'zz') rare.push(ms);
        found += answer.length;
      }
      const agent = await app.agent().login(users[0]);
      const http: number[] = [];
      for (let i = 0; i < 40; i++) {
        http.push(await timed(async () => {
          const res = await agent.get('/api/mailMessages:addresses').query({ q: QUERIES[i % QUERIES.length] });
          if (res.status !== 200) throw new Error(`addresses: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        }));
      }
      return {
        messages: MESSAGES,
        p95_ms: fixed(p95(times), 1),
        target_ms: TARGET_MS,
        ratio: fixed(p95(times) / TARGET_MS),
        no_match_p95_ms: fixed(p95(rare), 1),
        http_p95_ms: fixed(p95(http), 1),
        suggestions_per_call: fixed(found / CALLS, 1),
      };
    });
  },
};
