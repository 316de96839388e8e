import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../dev/mail-servers';
import { corpusFiles } from '../helpers/corpus';
import { Harness, screenshot, signIn, startHarness, until } from './harness';
import { createMember } from './mail-api';

/**
 * S-IMAP-1/2 in a real browser, against Debian's Dovecot and Postfix: the admin turns other mail
 * servers on (allowing the local host); a member connects the Dovecot mailbox through "Connect
 * other mailbox" (a wrong password first: a clear message), sees the mail in the mail center, a
 * mail delivered while the page is open appears without a reload (IDLE), and a reply reaches the
 * sender through Postfix and is in Sent once.
 */
const MEMBER = { email: 'imap-member@example.test', password: 'member-pass-123' };
const PASSWORD = 'ada-imap-secret';
const CORPUS_MAILS = 15;

describe('an IMAP/SMTP mailbox in a real NocoBase app', () => {
  let h: Harness;
  let servers: MailServers;
  let ada: string;
  let bob: string;
  let member: BrowserContext;
  let page: Page;
  const imapClient = (user: string, pass: string) =>
    new ImapFlow({ ...servers.imap, auth: { user, pass }, tls: { ca: fs.readFileSync(servers.caCertPath) }, logger: false });
  /** Subjects in a folder of a mailbox, read with a client of our own. */
  const subjects = async (user: string, pass: string, folder: string) => {
    const client = imapClient(user, pass);
    await client.connect();
    try {
      const box = await client.mailboxOpen(folder, { readOnly: true });
      if (!box.exists) return [];
      const out: string[] = [];
      for await (const m of client.fetch('1:*', { envelope: true })) out.push(m.envelope?.subject ?? '');
      return out;
    } finally {
      await client.logout();
    }
  };

  beforeAll(async () => {
    servers = await startMailServers();
    ada = await servers.addUser('ada', PASSWORD);
    bob = await servers.addUser('bob', 'bob-secret');
    const client = imapClient(ada, PASSWORD);
    await client.connect();
    for (const file of corpusFiles().slice(0, CORPUS_MAILS)) await client.append('INBOX', fs.readFileSync(file), ['\\Seen']);
    await client.logout();
    h = await startHarness('imap');
    await createMember(h.app.url, MEMBER);
  }, 600_000);
  afterAll(async () => {
    await member?.close();
    await h?.close();
    await servers?.close();
  });

  it('the admin turns other mail servers on and allows the local server', async () => {
    const admin = h.page;
    await signIn(admin, h.app.url);
    await admin.goto(`${h.app.url}/admin/settings/mail`);
    await admin.getByRole('tab', { name: 'Other mail servers (IMAP/SMTP)' }).click({ timeout: 60_000 });
    await admin.getByTestId('imap-enabled').click();
    await admin.getByTestId('imap-allowed-hosts').locator('input').fill('127.0.0.1');
    await admin.keyboard.press('Enter');
    await screenshot(admin, 'email-settings-imap', true);
    await admin.getByTestId('save-settings').click();
    await admin.getByText('Saved', { exact: true }).waitFor();
  });

  it('a member connects the mailbox: a wrong password is named, the right one connects', async () => {
    member = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await member.newPage();
    await signIn(page, h.app.url, MEMBER.email, MEMBER.password);
    await page.locator('[data-testid="user-center-button"]').hover({ timeout: 60_000 });
    await page.getByTestId('user-menu-email-accounts').click();
    await page.getByTestId('connect-server').click();
    await page.getByTestId('server-email').fill(ada);
    await page.getByTestId('server-display-name').fill('Ada Lovelace');
    await page.getByTestId('server-password').fill('not the password');
    await page.getByTestId('server-imap-host').fill(servers.imap.host);
    await page.getByTestId('server-imap-port').fill(String(servers.imap.port));
    await page.getByTestId('server-smtp-host').fill(servers.smtp.host);
    await page.getByTestId('server-smtp-port').fill(String(servers.smtp.port));
    await page.getByTestId('server-test').click();
    await page.getByTestId('server-test-imap').getByText(/refused the password/).waitFor({ timeout: 30_000 });
    await screenshot(page, 'email-connect-server-wrong-password', true);
    await page.getByTestId('server-password').fill(PASSWORD);
    await page.getByTestId('server-connect').click();
    const row = page.getByTestId(`account-${ada}`);
    await row.getByTestId('account-status').getByText(/Connected|Syncing/).waitFor({ timeout: 60_000 });
    await screenshot(page, 'email-accounts-imap', true);
  });

  it('the mail center shows the mailbox; a mail delivered while it is open appears without a reload', async () => {
    await page.goto(`${h.app.url}/admin/mail?box=inbox`);
    const rows = page.locator('[data-testid^="thread-row-"]');
    await until(() => rows.count(), (n: number) => n > 0, 120_000, 'the imported mail');
    await nodemailer
      .createTransport({ host: servers.smtp.host, port: servers.smtp.port, secure: false, requireTLS: true, auth: { user: bob, pass: 'bob-secret' } })
      .sendMail({ from: `Bob <${bob}>`, to: ada, subject: 'Pushed while open', text: 'Delivered through Postfix while the page was open.' });
    const pushed = page.locator('[data-testid^="thread-row-"]', { hasText: 'Pushed while open' });
    await pushed.waitFor({ timeout: 60_000 });
    await screenshot(page, 'mail-center-imap', true);
  });

  it('a reply reaches the sender through Postfix and is in Sent once', async () => {
    await page.locator('[data-testid^="thread-row-"]', { hasText: 'Pushed while open' }).getByTestId('thread-subject').click();
    await page.locator('[data-testid="mail-reader"][data-loading="false"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid^="mail-reply-"]:not([data-testid^="mail-reply-all-"])').last().click();
    const compose = page.getByTestId('compose-window');
    await compose.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    await page.keyboard.type('Got it, thanks.');
    await compose.getByTestId('compose-send').click();
    await page.getByText('Email sent successfully').first().waitFor({ timeout: 60_000 });
    await until(() => subjects(bob, 'bob-secret', 'INBOX'), (list: string[]) => list.includes('Re: Pushed while open'), 30_000, 'the reply at Bob');
    expect((await subjects(ada, PASSWORD, 'Sent')).filter((s) => s === 'Re: Pushed while open')).toHaveLength(1);
  });
});
