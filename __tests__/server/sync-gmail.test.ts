import fs from 'node:fs';
import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, Google, pluginOf, storedMailbox } from '../helpers/mail';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * Gmail sync through googleapis against the emulator (S-SYNC-2…6, S-SYNC-8…10): the real-world
 * corpus imported, then kept in step; the stored mailbox must equal the provider's exactly.
 */
const SINCE = new Date('2000-01-01T00:00:00Z');

describe('Gmail sync', () => {
  let w: MailWorld<'ada'>;
  let app: MockServer;
  let as: Agents;
  let google: Google;
  let accountId: number;
  const EMAIL = 'ada@gmail.test';

  const expected = () =>
    google
      .mailboxOf(EMAIL)
      .map((m) => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds].sort(), read: m.read, starred: m.starred }))
      .sort((a, b) => a.id.localeCompare(b.id));
  const sync = (kind: any = 'incremental') => pluginOf(app).scheduler.runLocked(accountId, kind);
  const account = async () => (await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId })).toJSON();

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'sync-gmail',
      google: true,
      users: { google: [{ email: EMAIL, displayName: 'Ada' }] },
      // Every fixture, spread over the boxes, some read, some starred, all inside the window.
      mailboxes: ({ google }) =>
        google.seed(EMAIL, {
          eml: corpusFiles(),
          labelIds: (i: number) => [['INBOX'], ['SENT'], ['INBOX', 'IMPORTANT'], ['SPAM'], ['TRASH'], ['Work'], []][i % 7],
          read: (i: number) => i % 3 === 0,
          starred: (i: number) => i % 11 === 0,
          dates: (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 3600_000),
        }),
      connect: { ada: { provider: 'gmail', email: EMAIL, since: SINCE.toISOString() } },
    });
    ({ app, as, google, accounts: { ada: accountId } } = w);
  });
  afterAll(() => w?.close());

  it('imports every message of the corpus exactly once, malformed ones included', async () => {
    const result = await sync('initial');
    expect(result?.error).toBeUndefined();
    expect(result?.outcome).toBe('ok');
    expect(await storedMailbox(app, accountId)).toEqual(expected());
    expect(expected().length).toBe(corpusFiles().length);
    const state = await account();
    expect(state).toMatchObject({ status: 'connected', syncStage: 'idle' });
    expect(state.importProgress.percent).toBe(100);
    const log = await app.db.getRepository('mailSyncLogs').findOne({ filter: { accountId }, sort: ['-id'] });
    expect(log.toJSON()).toMatchObject({ kind: 'initial', outcome: 'ok', added: corpusFiles().length });
    expect(log.get('apiCalls')).toBeGreaterThan(0);
  });

  it('stores parsed fields: participants, boxes, attachments with inline parts marked', async () => {
    const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId } });
    const nodemailer = rows.find((r: any) => (r.get('subject') || '').includes('Nodemailer'));
    expect(nodemailer).toBeTruthy();
    const attachments = await app.db.getRepository('mailAttachments').find({ filter: { messageId: nodemailer.get('id') } });
    expect(attachments.some((a: any) => a.get('inline') && a.get('contentId'))).toBe(true);
    expect(rows.every((r: any) => typeof r.get('participants') === 'string')).toBe(true);
    const boxes = new Set(rows.map((r: any) => r.get('box')));
    for (const box of ['inbox', 'sent', 'spam', 'trash', 'archive']) expect(boxes).toContain(box);
  });

  it('follows new, deleted, read, starred and relabelled mail through history, with few calls', async () => {
    const [first, second, third] = google.mailboxOf(EMAIL);
    const added = google.addMessage(EMAIL, { raw: fs.readFileSync(corpusFiles()[0]), labelIds: ['INBOX'] });
    google.deleteMessage(EMAIL, first.id);
    google.setRead(EMAIL, second.id, !second.read);
    google.setStarred(EMAIL, third.id, true);
    google.setLabels(EMAIL, third.id, ['INBOX', 'Work']);
    const before = google.requests.length;
    expect((await sync())?.outcome).toBe('ok');
    expect(await storedMailbox(app, accountId)).toEqual(expected());
    expect((await storedMailbox(app, accountId)).some((m) => m.id === added)).toBe(true);
    // history.list + one batch fetch.
    expect(google.requests.length - before).toBeLessThanOrEqual(3);
  });

  it('an expired history id triggers a full reconcile that converges with no duplicates', async () => {
    google.expireHistory(EMAIL);
    const victim = google.mailboxOf(EMAIL)[5];
    google.deleteMessage(EMAIL, victim.id);
    google.addMessage(EMAIL, { raw: fs.readFileSync(corpusFiles()[1]), labelIds: ['INBOX'] });
    expect((await sync())?.outcome).toBe('ok');
    expect(await storedMailbox(app, accountId)).toEqual(expected());
  });

  it('survives 429 storms, 5xx and dropped connections without skipping a message', async () => {
    for (let i = 0; i < 8; i++) google.addMessage(EMAIL, { raw: fs.readFileSync(corpusFiles()[i + 2]), labelIds: ['INBOX'] });
    google.faults.add({ path: /\/batch\//, status: 503, times: 2 });
    google.faults.add({ path: /\/history/, status: 429, headers: { 'retry-after': '1' }, times: 2 });
    google.faults.add({ path: /\/batch\//, reset: true, times: 1 });
    expect((await sync())?.outcome).toBe('ok');
    expect(await storedMailbox(app, accountId)).toEqual(expected());
  });

  it('Sync now and Resync act on own accounts only; Resync refetches with no duplicate', async () => {
    expect((await as.memberB.resource('mailAccounts').syncNow({ filterByTk: accountId })).status).toBe(404);
    expect((await as.admin.resource('mailAccounts').resync({ filterByTk: accountId })).status).toBe(404);
    expect((await as.anonymous.resource('mailAccounts').syncNow({ filterByTk: accountId })).status).toBe(401);
    const queued = await as.memberA.resource('mailAccounts').syncNow({ filterByTk: accountId });
    expect(queued.body.data).toEqual({ queued: [accountId] });
    expect(pluginOf(app).scheduler.queued.has(accountId)).toBe(true);
    pluginOf(app).scheduler.queued.clear();

    // More than one listing page (500 ids), so a resync takes several steps.
    await google.generateMailbox(EMAIL, { count: 600, seed: 5, start: new Date('2024-06-01'), end: new Date('2024-12-31') });
    expect((await sync())?.outcome).toBe('ok');
    google.resetUsage();
    expect((await as.memberA.resource('mailAccounts').resync({ filterByTk: accountId })).status).toBe(200);
    // A resync cut short by its time budget continues where it stopped, not from the start.
    await pluginOf(app).engine.run(accountId, 'resync', Date.now());
    expect((await account()).syncCursor).toMatchObject({ phase: 'full', refetch: true });
    expect((await sync('resync'))?.outcome).toBe('ok');
    expect(await storedMailbox(app, accountId)).toEqual(expected());
    const fetched = (google.usage(EMAIL) as any).methods['messages.get'];
    expect(fetched).toBeGreaterThanOrEqual(expected().length);
    expect(fetched).toBeLessThan(expected().length * 1.5);
  });

  it('sync logs: the owner sees theirs, other members none, admins all in Settings', async () => {
    const own = await as.memberA.resource('mailSyncLogs').listOwn({ accountId });
    expect(own.status).toBe(200);
    expect(own.body.data.length).toBeGreaterThan(3);
    expect(own.body.data[0]).toMatchObject({ accountId, outcome: 'ok' });
    expect((await as.memberB.resource('mailSyncLogs').listOwn({ accountId })).status).toBe(404);
    const none = await as.memberB.resource('mailSyncLogs').listOwn();
    expect(none.status, JSON.stringify(none.body)).toBe(200);
    expect(none.body.data).toEqual([]);
    expect((await as.memberA.resource('mailSyncLogs').listAll()).status).toBe(403);
    const all = await as.admin.resource('mailSyncLogs').listAll({ pageSize: 2 });
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(2);
    expect(all.body.data[0].email).toBe(EMAIL);
    expect(all.body.meta.count).toBe(own.body.data.length);
  });

  it('invalid_grant puts the account into reauthorize and stops syncing it', async () => {
    google.revokeGrant(EMAIL);
    google.expireAccessTokens(EMAIL);
    await app.db.getRepository('mailAccounts').update({ filterByTk: accountId, values: { credentials: await reExpire() } });
    const result = await sync();
    expect(result?.outcome).toBe('reauthorize');
    expect((await account()).status).toBe('reauthorize');
    expect((await sync())?.outcome).toBe('skipped');
  });

  /** The stored token set with its expiry in the past, so the next call refreshes first. */
  async function reExpire() {
    const plugin = pluginOf(app);
    const model = await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId });
    const tokens = await plugin.accounts.credentialsOf(model);
    return plugin.accounts.secrets.sealJson({ ...tokens, expiresAt: Date.now() - 1000 });
  }
});
