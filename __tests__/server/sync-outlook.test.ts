import fs from 'node:fs';
import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, Microsoft, pluginOf } from '../helpers/mail';
import { mailWorld, MailWorld } from '../helpers/world';

/**
 * Outlook sync through msal-node and the Graph client against the emulator: delta per folder,
 * immutable ids across moves, 410 → reconcile, throttling; the stored mailbox must equal the
 * provider's exactly.
 */
const SINCE = new Date('2000-01-01T00:00:00Z');
const FOLDERS = ['inbox', 'sentitems', 'archive', 'junkemail', 'deleteditems', 'Projects'];

describe('Outlook sync', () => {
  let w: MailWorld<'alan'>;
  let app: MockServer;
  let microsoft: Microsoft;
  let accountId: number;
  const EMAIL = 'alan@outlook.test';

  const expected = () =>
    microsoft
      .mailboxOf(EMAIL)
      .map((m) => ({ id: m.immutableId, threadId: m.conversationId, folderIds: [m.folderId], read: m.read, starred: m.starred }))
      .sort((a, b) => a.id.localeCompare(b.id));
  const stored = async () => {
    const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { accountId }, raw: true });
    const json = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
    return rows
      .map((r) => ({ id: r.providerMessageId, threadId: r.threadId, folderIds: json(r.folderIds), read: Boolean(r.read), starred: Boolean(r.starred) }))
      .sort((a, b) => a.id.localeCompare(b.id));
  };
  const sync = (kind: any = 'incremental') => pluginOf(app).scheduler.runLocked(accountId, kind);

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'sync-outlook',
      microsoft: true,
      users: { microsoft: [{ email: EMAIL, displayName: 'Alan' }] },
      mailboxes: ({ microsoft }) => {
        microsoft.createFolder(EMAIL, 'Projects');
        microsoft.seed(EMAIL, {
          eml: corpusFiles(),
          folder: (i: number) => FOLDERS[i % FOLDERS.length],
          read: (i: number) => i % 3 === 0,
          starred: (i: number) => i % 11 === 0,
          dates: (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 3600_000),
        });
      },
      connect: { alan: { provider: 'outlook', email: EMAIL, since: SINCE.toISOString() } },
    });
    ({ app, microsoft, accounts: { alan: accountId } } = w);
  });
  afterAll(() => w?.close());

  it('imports every message of every folder exactly once, in few requests', async () => {
    microsoft.resetUsage();
    const result = await sync('initial');
    expect(result?.error).toBeUndefined();
    expect(result?.outcome).toBe('ok');
    expect(await stored()).toEqual(expected());
    expect(expected().length).toBe(corpusFiles().length);
    const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId } });
    const boxes = new Set(rows.map((r: any) => r.get('box')));
    for (const box of ['inbox', 'sent', 'archive', 'spam', 'trash', null]) expect(boxes).toContain(box);
    const account = (await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId })).toJSON();
    expect(account).toMatchObject({ status: 'connected', syncStage: 'idle' });
  });

  it('follows new, deleted, read, flagged and moved mail; a moved message keeps its id', async () => {
    const [first, second, third] = microsoft.mailboxOf(EMAIL);
    microsoft.addMessage(EMAIL, { raw: fs.readFileSync(corpusFiles()[0]), folder: 'inbox' });
    microsoft.deleteMessage(EMAIL, first.id);
    microsoft.setRead(EMAIL, second.id, !second.read);
    microsoft.setStarred(EMAIL, third.id, !third.starred);
    microsoft.moveMessage(EMAIL, second.id, 'Projects');
    expect((await sync())?.outcome).toBe('ok');
    expect(await stored()).toEqual(expected());
    expect((await stored()).some((m) => m.id === second.immutableId)).toBe(true);
  });

  it('an expired delta token triggers a full reconcile that converges with no duplicates', async () => {
    microsoft.expireDeltaTokens(EMAIL);
    const victim = microsoft.mailboxOf(EMAIL)[4];
    microsoft.deleteMessage(EMAIL, victim.id);
    microsoft.addMessage(EMAIL, { raw: fs.readFileSync(corpusFiles()[1]), folder: 'archive' });
    expect((await sync())?.outcome).toBe('ok');
    expect(await stored()).toEqual(expected());
  });

  it('survives throttling, 5xx and dropped connections without skipping a message', async () => {
    for (let i = 0; i < 6; i++) microsoft.addMessage(EMAIL, { raw: fs.readFileSync(corpusFiles()[i + 2]), folder: FOLDERS[i] });
    microsoft.faults.add({ path: /\/delta/, status: 429, headers: { 'retry-after': '1' }, times: 2 });
    microsoft.faults.add({ path: /\/delta/, status: 503, times: 2 });
    microsoft.faults.add({ path: /\/delta/, reset: true, times: 1 });
    expect((await sync())?.outcome).toBe('ok');
    expect(await stored()).toEqual(expected());
  });
});
