/**
 * S-IMAP-1/2 through the API, against real servers (Debian's Dovecot + Postfix, dev/mail-servers):
 * the admin's switch and host policy, "Test connection" naming what failed, connect with the
 * password sealed and never returned, the first import, a refused password turning the account to
 * `reauthorize`, and the password entered again restoring the same account.
 */
import { ImapFlow } from 'imapflow';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../dev/mail-servers';
import { agents, createApp } from '../helpers/app';
import { corpusFiles } from '../helpers/corpus';
import { pluginOf } from '../helpers/mail';
import type { MockServer } from '@nocobase/test';

const PASSWORD = 'imap: secret ü';
const CORPUS_MAILS = 20;
/** A folder path of 300 characters: ids of its mail would not fit the VARCHAR(255) columns (ids.ts). */
const LONG_FOLDER = ['Clients', 'c'.repeat(150), 'Überweisungen'.padEnd(141, '-')].join('/');
/** The corpus in the Inbox and one mail in the long folder. */
const MAILS = CORPUS_MAILS + 1;

describe('IMAP/SMTP accounts (S-IMAP-1/2) against Dovecot and Postfix', () => {
  let servers: MailServers;
  let app: MockServer;
  let as: Awaited<ReturnType<typeof agents>>;
  let email: string;
  let accountId: number;

  const input = (over: Record<string, unknown> = {}) => ({
    email,
    password: PASSWORD,
    imap: { host: servers.imap.host, port: servers.imap.port, security: 'tls' },
    smtp: { host: servers.smtp.host, port: servers.smtp.port, security: 'starttls' },
    syncStartDate: '2000-01-01T00:00:00Z',
    ...over,
  });
  const setSettings = (values: Record<string, unknown>) => as.root.post('/api/mailSettings:set').send(values);
  /** Another mail program on the same mailbox. */
  const serverClient = async () => {
    const client = new ImapFlow({ ...servers.imap, auth: { user: email, pass: PASSWORD }, tls: { ca: fs.readFileSync(servers.caCertPath) }, logger: false });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    servers = await startMailServers();
    // A folder layout that takes long nested paths (Dovecot's default Maildir++ caps a path at 255 bytes).
    email = await servers.addUser('ada', PASSWORD, { folderLayout: 'fs' });
    // The mailbox: a slice of the real-world corpus, appended from a client of our own, and one
    // mail in a folder with a long path.
    const client = await serverClient();
    for (const file of corpusFiles().slice(0, CORPUS_MAILS)) await client.append('INBOX', fs.readFileSync(file), ['\\Seen']);
    await client.mailboxCreate(LONG_FOLDER);
    await client.append(LONG_FOLDER, 'From: bob@imap.test\r\nSubject: Deep\r\nMessage-ID: <deep@imap.test>\r\n\r\nx\r\n', []);
    await client.logout();
    app = await createApp();
    as = await agents(app);
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
    await servers?.close();
  });

  it('is off by default: no Connect, and the actions refuse', async () => {
    expect((await as.memberA.get('/api/mailAccounts:providers')).body.data.imap).toBe(false);
    const res = await as.memberA.post('/api/mailAccounts:testServer').send(input());
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/turned off/);
  });

  it('refuses a private-network server unless the admin allows its host', async () => {
    expect((await setSettings({ imapEnabled: true })).status).toBe(200);
    expect((await as.memberA.get('/api/mailAccounts:providers')).body.data.imap).toBe(true);
    const refused = await as.memberA.post('/api/mailAccounts:testServer').send(input());
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/private network/);
    expect((await setSettings({ imapAllowedHosts: ['mail.example.com'] })).status).toBe(200);
    const notListed = await as.memberA.post('/api/mailAccounts:testServer').send(input());
    expect(notListed.body.errors[0].message).toMatch(/not on the list/);
    expect((await setSettings({ imapAllowedHosts: ['127.0.0.1', 'bad host!'] })).status).toBe(400);
    expect((await setSettings({ imapAllowedHosts: ['127.0.0.1'] })).status).toBe(200);
  });

  it('"Test connection" checks both servers and names what failed', async () => {
    const ok = await as.memberA.post('/api/mailAccounts:testServer').send(input());
    expect(ok.status).toBe(200);
    expect(ok.body.data.imap.ok).toBe(true);
    expect(ok.body.data.smtp.ok).toBe(true);
    const wrong = await as.memberA.post('/api/mailAccounts:testServer').send(input({ password: 'wrong' }));
    expect(wrong.body.data.imap).toMatchObject({ ok: false, failure: 'login' });
    expect(wrong.body.data.smtp).toMatchObject({ ok: false, failure: 'login' });
    const closedPort = await as.memberA.post('/api/mailAccounts:testServer').send(input({ smtp: { host: '127.0.0.1', port: 1, security: 'starttls' } }));
    expect(closedPort.body.data.imap.ok).toBe(true);
    expect(closedPort.body.data.smtp).toMatchObject({ ok: false, failure: 'connection' });
    // Nothing of it is stored.
    expect((await as.memberA.get('/api/mailAccounts:listOwn')).body.data).toEqual([]);
  });

  it('connects only with a working login; the password is sealed and never returned', async () => {
    const refused = await as.memberA.post('/api/mailAccounts:connectServer').send(input({ password: 'wrong' }));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/^IMAP: /);
    const res = await as.memberA.post('/api/mailAccounts:connectServer').send(input({ displayName: 'Ada L.' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ created: true, account: { provider: 'imap', email, displayName: 'Ada L.', capabilities: { signIn: 'password', grouping: 'folders' } } });
    expect(res.body.data.account.server).toEqual({ username: email, imap: input().imap, smtp: input().smtp });
    accountId = res.body.data.account.id;
    const listed = await as.memberA.get('/api/mailAccounts:listOwn');
    expect(JSON.stringify(listed.body)).not.toContain(PASSWORD);
    const raw: any = await app.db.getCollection('mailAccounts').model.findByPk(accountId, { raw: true });
    expect(String(raw.credentials)).not.toContain(PASSWORD);
    expect(String(raw.credentials)).not.toContain('imap: secret');
    // Another user sees nothing of it.
    expect((await as.memberB.get('/api/mailAccounts:listOwn')).body.data).toEqual([]);
    const other = await as.memberB.post('/api/mailAccounts:connectServer').send(input({ accountId }));
    expect(other.status).toBe(404);
  });

  it('imports the mailbox', async () => {
    expect((await pluginOf(app).scheduler.runLocked(accountId, 'initial'))?.outcome).toBe('ok');
    const count = (await as.memberA.get('/api/mailMessages:threadCount?box=inbox')).body.data.count;
    expect(count).toBeGreaterThan(0);
    const stored = await app.db.getCollection('mailMessages').model.count({ where: { accountId } });
    expect(stored).toBe(MAILS);
  });

  it('stores the mail of a folder with a 300-character path under an id that fits the column; changes reach it', async () => {
    const row: any = await app.db.getCollection('mailMessages').model.findOne({ where: { accountId, subject: 'Deep' } });
    expect(row.get('folderIds')).toEqual([LONG_FOLDER]);
    expect(row.get('providerMessageId').length).toBeLessThanOrEqual(255);
    const res = await as.memberA.post('/api/mailMessages:setRead').send({ ids: [row.get('id')], scope: 'message', read: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ changed: 1 });
    const client = await serverClient();
    try {
      await client.mailboxOpen(LONG_FOLDER, { readOnly: true });
      const [message] = await client.fetchAll('1:*', { flags: true });
      expect(message.flags!.has('\\Seen')).toBe(true);
    } finally {
      await client.logout();
    }
  });

  it('archive keeps the row: it takes the id the move gave the mail, and the next sync neither deletes nor fetches it again', async () => {
    const messages = app.db.getCollection('mailMessages').model;
    const row: any = await messages.findOne({ where: { accountId, box: 'inbox' }, order: [['id', 'ASC']], raw: true });
    const rowIds = async () => (await messages.findAll({ attributes: ['id'], where: { accountId }, order: [['id', 'ASC']], raw: true })).map((r: any) => r.id);
    const idsBefore = await rowIds();
    const res = await as.memberA.post('/api/mailMessages:archive').send({ ids: [row.id], scope: 'message' });
    expect(res.status).toBe(200);
    const archived: any = await messages.findByPk(row.id, { raw: true });
    expect(archived.box).toBe('archive');
    expect(Boolean(archived.archived)).toBe(true);
    expect(archived.providerMessageId).not.toBe(row.providerMessageId);
    expect(archived.providerMessageId).toMatch(/^\d+:\d+:Archive$/);
    // A mark that only a download of the mail would overwrite.
    await messages.update({ snippet: 'kept here' }, { where: { id: row.id } });
    const result = await pluginOf(app).scheduler.runLocked(accountId, 'incremental');
    expect(result).toMatchObject({ outcome: 'ok', added: 0, deleted: 0 });
    const after: any = await messages.findByPk(row.id, { raw: true });
    expect(after).toMatchObject({ providerMessageId: archived.providerMessageId, box: 'archive', snippet: 'kept here' });
    // No row went and none came: the same rows, by database id, as before the archive.
    expect(await rowIds()).toEqual(idsBefore);
    expect(idsBefore).toHaveLength(MAILS);
  });

  it('a refused password sets the account to reauthorize; entering it again restores the same account', async () => {
    await servers.setPassword(email, 'changed elsewhere');
    await pluginOf(app).scheduler.runLocked(accountId, 'incremental');
    const account = (await as.memberA.get('/api/mailAccounts:listOwn')).body.data[0];
    expect(account).toMatchObject({ id: accountId, status: 'reauthorize' });
    expect(account.statusMessage).toMatch(/refused the password/);
    const again = await as.memberA.post('/api/mailAccounts:connectServer').send({ accountId, password: 'changed elsewhere' });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ created: false, reauthorized: true, account: { id: accountId, status: 'connected' } });
    expect((await pluginOf(app).scheduler.runLocked(accountId, 'incremental'))?.outcome).toBe('ok');
    expect(await app.db.getCollection('mailMessages').model.count({ where: { accountId } })).toBe(MAILS);
  });

  it('switched off by the admin, the accounts stop with a reason and come back when switched on', async () => {
    await setSettings({ imapEnabled: false });
    expect((await as.memberA.get('/api/mailAccounts:listOwn')).body.data[0]).toMatchObject({ status: 'error', statusMessage: expect.stringMatching(/turned off/) });
    await setSettings({ imapEnabled: true });
    expect((await as.memberA.get('/api/mailAccounts:listOwn')).body.data[0]).toMatchObject({ status: 'connected', statusMessage: null });
  });
});
