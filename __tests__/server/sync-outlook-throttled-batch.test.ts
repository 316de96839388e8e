import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Microsoft, pluginOf } from '../helpers/mail';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * Outlook's folder lookup is a `$batch` of well-known folders, and Graph applies the mailbox's 4
 * concurrent requests to each part: on a busy mailbox some parts come back 429. Such a part must
 * be asked again, never read as "this mailbox has no Deleted Items" (which made Deleted Items and
 * Archive custom folders and left trashed mail out of the product's Trash). A real NocoBase app,
 * msal-node and the Graph client against the emulator.
 */
const EMAIL = 'grace@outlook.test';
const SINCE = new Date('2000-01-01T00:00:00Z');
const SEEDED: [string, string][] = [
  ['Inbox mail', 'inbox'],
  ['Sent mail', 'sentitems'],
  ['Junk mail', 'junkemail'],
  ['Trashed mail', 'deleteditems'],
  ['Archived mail', 'archive'],
];
const WELL_KNOWN_BOXES = { Inbox: 'inbox', 'Sent Items': 'sent', Drafts: 'drafts', 'Junk Email': 'spam', 'Deleted Items': 'trash', Archive: 'archive' };

function plain(subject: string, day: number) {
  const date = new Date(Date.UTC(2024, 4, day, 9)).toUTCString();
  return `From: Bob <bob@example.com>\r\nTo: ${EMAIL}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${day}@example.com>\r\nDate: ${date}\r\n\r\n${subject}\r\n`;
}

describe('Outlook sync when the well-known-folder lookup is throttled', () => {
  let w: MailWorld<'grace'>;
  let app: MockServer;
  let as: Agents;
  let microsoft: Microsoft;
  let accountId: number;

  const sync = (kind: any = 'incremental') => pluginOf(app).scheduler.runLocked(accountId, kind);
  const subjectsIn = async (box: string) => {
    const res = await as.memberA.get('/api/mailMessages:threads').query({ accountId, box });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.data as any[]).map((r) => r.subject).sort();
  };
  const folderBoxes = async () => {
    const account = (await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId })).toJSON();
    const folders = typeof account.folders === 'string' ? JSON.parse(account.folders) : account.folders;
    return Object.fromEntries((folders as any[]).map((f) => [f.name, f.box]));
  };
  const partAnswers = (folder: string) =>
    microsoft.requests.filter((r) => r.batchPart && r.path === `/v1.0/me/mailFolders/${folder}`).map((r) => r.status);
  /** The folder list is read at most hourly: make the next run read it again. */
  const forgetFolders = () => app.db.getRepository('mailAccounts').update({ filterByTk: accountId, values: { foldersSyncedAt: null } });

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'sync-outlook-throttled',
      microsoft: true,
      users: { microsoft: [{ email: EMAIL, displayName: 'Grace' }] },
      mailboxes: ({ microsoft }) => SEEDED.forEach(([subject, folder], i) => microsoft.addMessage(EMAIL, { raw: plain(subject, i + 1), folder })),
      connect: { grace: { provider: 'outlook', email: EMAIL, since: SINCE.toISOString() } },
    });
    ({ app, as, microsoft, accounts: { grace: accountId } } = w);
  });
  afterAll(() => w?.close());

  it('first import of a busy mailbox (other clients hold 2 of its 4 concurrent requests): refused parts are asked again, every box is right', async () => {
    microsoft.clearRequests();
    const release = microsoft.occupyConcurrency(EMAIL, 2);
    try {
      const result = await sync('initial');
      expect(result?.error).toBeUndefined();
      expect(result?.outcome).toBe('ok');
    } finally {
      release();
    }
    // The concurrency limit really refused well-known-folder parts, which were then answered.
    expect(partAnswers('drafts')).toEqual(expect.arrayContaining([429, 200]));
    expect(partAnswers('junkemail')).toEqual(expect.arrayContaining([429, 200]));
    expect(await folderBoxes()).toMatchObject(WELL_KNOWN_BOXES);
    expect(await subjectsIn('inbox')).toEqual(['Inbox mail']);
    expect(await subjectsIn('spam')).toEqual(['Junk mail']);
    expect(await subjectsIn('trash')).toEqual(['Trashed mail']);
    expect(await subjectsIn('archive')).toEqual(['Archived mail']);
  });

  it('Deleted Items and Archive answered 429 in the batch: still Trash and Archive, and mail moved to Deleted Items shows in Trash', async () => {
    const inbox = microsoft.mailboxOf(EMAIL).find((m) => m.folder === 'inbox')!;
    microsoft.moveMessage(EMAIL, inbox.id, 'deleteditems');
    microsoft.addMessage(EMAIL, { raw: plain('Archived later', 20), folder: 'archive' });
    await forgetFolders();
    microsoft.clearRequests();
    // Three attempts in a row are refused; the fourth is answered.
    for (const folder of ['deleteditems', 'archive']) {
      microsoft.faults.add({ batchPart: true, path: `/v1.0/me/mailFolders/${folder}`, status: 429, headers: { 'retry-after': '1' }, times: 3 });
    }
    const result = await sync();
    expect(result?.error).toBeUndefined();
    expect(result?.outcome).toBe('ok');
    expect(partAnswers('deleteditems').slice(0, 3)).toEqual([429, 429, 429]);
    expect(partAnswers('deleteditems')).toContain(200);
    expect(await folderBoxes()).toMatchObject(WELL_KNOWN_BOXES);
    expect(await subjectsIn('trash')).toEqual(['Inbox mail', 'Trashed mail']);
    expect(await subjectsIn('archive')).toEqual(['Archived later', 'Archived mail']);
    expect(await subjectsIn('inbox')).toEqual([]);
  });

  it('a lookup refused at every attempt ends the run with a clear error and changes nothing; the next run syncs', async () => {
    microsoft.addMessage(EMAIL, { raw: plain('Trashed while throttled', 21), folder: 'deleteditems' });
    microsoft.faults.add({ batchPart: true, path: '/v1.0/me/mailFolders/deleteditems', status: 503, headers: { 'retry-after': '0' }, times: Infinity });
    const failed = await sync();
    microsoft.faults.clear();
    expect(failed?.outcome).toBe('failed');
    expect(failed?.error).toMatch(/^Microsoft Graph folder lookup: 1 of 9 requests of a batch were refused \(HTTP 503\) after 6 attempts/);
    const logs = await app.db.getRepository('mailSyncLogs').find({ filter: { accountId }, sort: ['-id'] });
    expect(logs[0].get('outcome')).toBe('failed');
    expect(logs[0].get('error')).toBe(failed?.error);
    expect(await subjectsIn('trash')).toEqual(['Inbox mail', 'Trashed mail']);
    expect(await folderBoxes()).toMatchObject(WELL_KNOWN_BOXES);

    expect((await sync())?.outcome).toBe('ok');
    expect(await subjectsIn('trash')).toEqual(['Inbox mail', 'Trashed mail', 'Trashed while throttled']);
  });
});
