import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CURSOR_RESTARTS_PER_RUN } from '../../src/server/sync/sync-engine';
import { Google, Microsoft, pluginOf } from '../helpers/mail';
import { mailWorld, MailWorld } from '../helpers/world';

/**
 * Bounded restarts: a cursor the provider no longer accepts (Graph 410 SyncStateNotFound, Gmail
 * history 404) starts a full reconcile, but a provider that rejects even a fresh sync state must
 * not make the run restart for ever (seen: about 400 restarts and 5,900 requests in 3 minutes).
 * The run ends with a clear error in mailSyncLogs after a few restarts; the next run syncs once
 * the provider recovers. A real NocoBase app and the SDKs against the emulators.
 */
const SINCE = new Date('2000-01-01T00:00:00Z');
const OUTLOOK = 'hedy@outlook.test';
const GMAIL = 'hedy@gmail.test';

function plain(to: string, subject: string, day: number) {
  const date = new Date(Date.UTC(2024, 2, day, 9)).toUTCString();
  return `From: Bob <bob@example.com>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${day}@example.com>\r\nDate: ${date}\r\n\r\n${subject}\r\n`;
}

describe('sync restarts are bounded', () => {
  let w: MailWorld<'outlook' | 'gmail'>;
  let app: MockServer;
  let microsoft: Microsoft;
  let google: Google;
  let accounts: Record<'outlook' | 'gmail', number>;

  const sync = (provider: 'outlook' | 'gmail', kind: any = 'incremental') => pluginOf(app).scheduler.runLocked(accounts[provider], kind);
  const stored = async (provider: 'outlook' | 'gmail') =>
    (await app.db.getRepository('mailMessages').find({ filter: { accountId: accounts[provider] } })).map((m: any) => m.get('subject')).sort();
  const lastLog = async (provider: 'outlook' | 'gmail') =>
    (await app.db.getRepository('mailSyncLogs').findOne({ filter: { accountId: accounts[provider] }, sort: ['-id'] })).toJSON();

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'sync-restarts',
      google: true,
      microsoft: true,
      users: { google: [{ email: GMAIL, displayName: 'Hedy' }], microsoft: [{ email: OUTLOOK, displayName: 'Hedy' }] },
      mailboxes: ({ google, microsoft }) => {
        for (let i = 1; i <= 3; i++) {
          microsoft.addMessage(OUTLOOK, { raw: plain(OUTLOOK, `Outlook ${i}`, i), folder: i === 3 ? 'archive' : 'inbox' });
          google.addMessage(GMAIL, { raw: plain(GMAIL, `Gmail ${i}`, i) });
        }
      },
      connect: { outlook: { provider: 'outlook', email: OUTLOOK, since: SINCE.toISOString() }, gmail: { provider: 'gmail', email: GMAIL, since: SINCE.toISOString() } },
      sync: true,
    });
    ({ app, microsoft, google, accounts } = w);
  });
  afterAll(() => w?.close());

  it('Outlook answering 410 SyncStateNotFound even to a fresh delta listing: the run ends with a clear error after a few restarts, nothing removed', async () => {
    microsoft.rejectSyncState(OUTLOOK);
    microsoft.clearRequests();
    const result = await sync('outlook');
    const requests = microsoft.requests.filter((r) => r.server === 'graph' && !r.batchPart);
    expect(result?.outcome).toBe('failed');
    expect(result?.error).toMatch(/^The provider keeps rejecting a fresh sync state \(The Outlook delta token expired \(delta\); 3 restarts in this run\)/);
    expect(await lastLog('outlook')).toMatchObject({ outcome: 'failed', error: result?.error });
    // The stored cursor's round and one per restart; each also asks for the folders first.
    expect(requests.filter((r) => r.path.endsWith('/messages/delta'))).toHaveLength(MAX_CURSOR_RESTARTS_PER_RUN + 1);
    expect(requests.length).toBeLessThan(50);
    expect(await stored('outlook')).toEqual(['Outlook 1', 'Outlook 2', 'Outlook 3']);
    const account = (await app.db.getRepository('mailAccounts').findOne({ filterByTk: accounts.outlook })).toJSON();
    expect(account).toMatchObject({ status: 'connected', lastSyncError: result?.error });
  });

  it('Outlook: once the provider accepts sync states again, the next run reconciles and syncs normally', async () => {
    microsoft.rejectSyncState(OUTLOOK, false);
    const gone = microsoft.mailboxOf(OUTLOOK).find((m) => m.folder === 'inbox')!;
    microsoft.deleteMessage(OUTLOOK, gone.id);
    microsoft.addMessage(OUTLOOK, { raw: plain(OUTLOOK, 'Outlook 4', 4), folder: 'inbox' });
    const result = await sync('outlook');
    expect(result?.error).toBeUndefined();
    expect(result?.outcome).toBe('ok');
    const expected = microsoft.mailboxOf(OUTLOOK).map((m) => m.immutableId).sort();
    const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId: accounts.outlook } });
    expect(rows.map((r: any) => r.get('providerMessageId')).sort()).toEqual(expected);
    expect(await lastLog('outlook')).toMatchObject({ outcome: 'ok', error: null });
    // And the run after that follows the delta links again.
    expect((await sync('outlook'))?.outcome).toBe('ok');
  });

  it('Gmail history answering 404 to every start id: one reconcile per run, never a loop', async () => {
    google.faults.add({ path: '/gmail/v1/users/me/history', status: 404, times: Infinity });
    try {
      google.addMessage(GMAIL, { raw: plain(GMAIL, 'Gmail 4', 4) });
      google.clearRequests();
      const result = await sync('gmail');
      expect(result?.outcome).toBe('ok');
      expect(google.requests.filter((r) => r.path.endsWith('/history'))).toHaveLength(1);
      expect(google.requests.filter((r) => !r.batchPart).length).toBeLessThan(20);
      expect(await stored('gmail')).toEqual(['Gmail 1', 'Gmail 2', 'Gmail 3', 'Gmail 4']);
    } finally {
      google.faults.clear();
    }
    expect((await sync('gmail'))?.outcome).toBe('ok');
  });
});
