/**
 * P4: the mail center's reads on PostgreSQL with 100,000 stored messages across 5 accounts of 2
 * users (a settled database: VACUUM ANALYZE after the load). Server time, p95 over many calls:
 * - list: the thread-list page (mailMessages:threads) over the views a user browses: all
 *   accounts or one, Inbox / All / Sent / Starred / unread / with attachments, pages 1–5;
 * - badge: the unread badge (mailMessages:unreadCount);
 * - count: the list's total (mailMessages:threadCount, fetched beside the page);
 * - search: a text search page (substring match in subject, names, snippet and body; no target).
 * `list_http_p95_ms` adds the HTTP round trip through NocoBase (auth, ACL, JSON) for reference.
 */
import type { Figure } from '../figures';
import { measureOnPostgresVolume } from '../mail-volume';
import { fixed, p95, timed } from '../setup';

const MESSAGES = 100_000;
const CALLS = 200;
const LIST_TARGET_MS = 50;
const BADGE_TARGET_MS = 10;

export const P4: Figure = {
  id: 'P4',
  description: 'Thread list and unread badge on PostgreSQL with 100,000 messages (5 accounts, 2 users)',
  async run() {
    return measureOnPostgresVolume({ messages: MESSAGES, accountsPerUser: [3, 2] }, async (app, { users, accountIds }) => {
      const { ThreadQuery } = require('../../src/server/messages/thread-query');
      const { readThreadFilter } = require('../../src/server/messages/filter/thread-filter');
      const query = new ThreadQuery(app);
      const user = Number(users[0].get('id'));
      const own = accountIds[0];
      const views: Record<string, unknown>[] = [
        {},
        { accountId: own[0] },
        { box: 'all' },
        { box: 'sent', accountId: own[1] },
        { unread: true },
        { box: 'starred' },
        { hasAttachments: true, box: 'all' },
      ];
      const list: number[] = [];
      const badge: number[] = [];
      const count: number[] = [];
      const search: number[] = [];
      // Warm-up: the first calls load plans and caches.
      for (const view of views) await query.threads(readThreadFilter(view, user, own, []));
      for (let i = 0; i < CALLS; i++) {
        const view = { ...views[i % views.length], page: 1 + (i % 5) };
        list.push(await timed(() => query.threads(readThreadFilter(view, user, own, []))));
        badge.push(await timed(() => query.unreadInbox(own)));
        if (i % 4 === 0) count.push(await timed(() => query.threadCount(readThreadFilter(view, user, own, []))));
        if (i % 4 === 0) search.push(await timed(() => query.threads(readThreadFilter({ q: ['invoice', 'grace', 'details'][i % 3], box: 'all' }, user, own, []))));
      }
      const agent = await app.agent().login(users[0]);
      const http: number[] = [];
      for (let i = 0; i < 40; i++) {
        const view = { ...views[i % views.length], page: 1 + (i % 5) };
        http.push(await timed(async () => {
          const res = await agent.get('/api/mailMessages:threads').query(view);
          if (res.status !== 200) throw new Error(`threads: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        }));
      }
      return {
        messages: MESSAGES,
        list_p95_ms: fixed(p95(list), 1),
        list_target_ms: LIST_TARGET_MS,
        list_ratio: fixed(p95(list) / LIST_TARGET_MS),
        badge_p95_ms: fixed(p95(badge), 1),
        badge_target_ms: BADGE_TARGET_MS,
        badge_ratio: fixed(p95(badge) / BADGE_TARGET_MS),
        list_http_p95_ms: fixed(p95(http), 1),
        count_p95_ms: fixed(p95(count), 1),
        search_p95_ms: fixed(p95(search), 1),
      };
    });
  },
};
