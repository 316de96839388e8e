import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevEmulators, signInToApp, startDevEmulators } from '../../dev/dev-emulators';
import { eml, mailCenterMailbox } from '../helpers/threads';
import { Harness, screenshot, settle, until } from './harness';
import { startMemberSession } from './mail-api';

/**
 * The mail center in a real NocoBase app (S-CENTER-1…12): a member opens it from the top bar,
 * reads a conversation with an inline image and attachments, marks it unread, labels it, writes
 * a note and a to-do, archives, trashes, restores and searches; every change also reaches the
 * emulated Gmail. Screenshots go to docs/ for the README.
 */
const MEMBER = { email: 'reader@example.test', password: 'reader-pass-123', nickname: 'Rita Reader' };
const MAILBOX = 'rita@gmail.test';
/** Time a rendered mail is given to load its remote images before "Show images" (it must load none). */
const NOTHING_LOADS_MS = 500;

describe('the mail center in a real NocoBase app', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let context: BrowserContext;
  let page: Page;

  const row = (subject: string) => page.locator('[data-testid^="thread-row-"]', { has: page.getByTestId('thread-subject').getByText(subject, { exact: true }) });
  const badge = async () => Number(await page.getByTestId('mail-center-badge').getAttribute('data-count'));
  const waitForBadge = (count: number) => until(badge, count, 30_000, 'badge');
  const gmail = () => emulators.google.mailboxOf(MAILBOX) as any[];
  const atGmail = (messageId: string) => gmail().find((m) => m.messageId === messageId);
  const openList = async (box: string) => {
    await page.getByTestId(`mail-box-${box}`).click();
    await page.locator('[data-testid="mail-list-loading"]').waitFor({ state: 'detached', timeout: 30_000 });
  };

  /** antd puts the test id on the <input> of Input.Search, or on its wrapper in other versions. */
  const search = async (text: string) => {
    const field = page.getByTestId('mail-search');
    const input = (await field.evaluate((e) => e.tagName)) === 'INPUT' ? field : field.locator('input');
    await input.fill(text);
    await input.press('Enter');
  };

  beforeAll(async () => {
    emulators = await startDevEmulators({ mail: false });
    emulators.google.addUser({ email: MAILBOX, displayName: 'Rita Reader' } as any);
    const remote = await eml({
      from: 'Newsletter <news@shop.test>',
      to: MAILBOX,
      subject: 'Autumn sale',
      html: '<h1>Autumn sale</h1><img src="https://images.shop.test/banner.png" alt="banner"><p style="background:url(https://images.shop.test/bg.png)">30% off</p>',
      date: new Date(Date.UTC(2025, 0, 6, 9)),
    });
    emulators.google.seed(MAILBOX, {
      eml: [...(await mailCenterMailbox(MAILBOX)), remote],
      labelIds: (i) => (i === 1 ? ['SENT'] : ['INBOX', 'UNREAD']),
    });
    // Nothing may leave for the internet; remote images are refused (and counted by the test below).
    ({ h, context, page } = await startMemberSession('mail-center', emulators, MEMBER, MAILBOX));
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
    await emulators?.close();
  });

  it('opens from the top-bar icon and shows the synced Inbox, unread in bold, with the badge', async () => {
    await page.getByTestId('mail-center-shortcut').click({ timeout: 60_000 });
    await page.waitForURL(/\/admin\/mail/);
    for (const subject of ['Autumn sale', 'Lunch?', 'Price list', 'Re: Order 42']) await row(subject).waitFor({ timeout: 30_000 });
    expect(await row('Re: Order 42').getByTestId('thread-count').textContent()).toContain('3');
    expect(await row('Re: Order 42').getAttribute('data-unread')).toBe('true');
    expect(await row('Re: Order 42').getByTestId('thread-attachment').count()).toBe(1);
    // Unread Inbox mail: two of the conversation, Price list, Lunch?, Autumn sale.
    await waitForBadge(5);
    await screenshot(page, 'mail-center', true);
  });

  it('opens a conversation: oldest first, newest expanded, inline image and attachments; reading marks it read', async () => {
    await row('Re: Order 42').getByTestId('thread-subject').click();
    const reader = page.locator('[data-testid="mail-reader"][data-loading="false"]');
    await reader.waitFor({ timeout: 30_000 });
    const messages = reader.locator('[data-testid^="mail-message-"][data-expanded]');
    await until(() => messages.count(), 3);
    expect(await messages.last().getAttribute('data-expanded')).toBe('true');
    const frame = reader.getByTestId('mail-body-frame').last();
    // The mail is in the frame's own document (never in the app's), cid: images as data: URLs.
    const frameHtml = () => frame.evaluate((f: HTMLIFrameElement) => f.contentDocument?.documentElement.outerHTML || '');
    await until(frameHtml, (v: string) => v.includes('data:image/png;base64'), 30_000);
    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin allow-popups allow-popups-to-escape-sandbox');
    expect(await frameHtml()).not.toContain('<script');
    const attachments = reader.getByTestId('mail-attachments').last();
    await attachments.getByText('invoice.pdf').waitFor();
    await screenshot(page, 'mail-reader', true);
    await waitForBadge(3);
    expect(atGmail('<thread-3@customer.test>').read).toBe(true);
  });

  it('marks the conversation unread from the list: bold again, badge +1, and unread at Gmail', async () => {
    await page.getByTestId('mail-action-back').click();
    await until(() => row('Re: Order 42').getAttribute('data-unread'), 'false');
    await row('Re: Order 42').locator('[data-testid^="thread-select-"]').click();
    await page.getByTestId('mail-action-mark-unread').click();
    await until(() => row('Re: Order 42').getAttribute('data-unread'), 'true');
    await waitForBadge(4);
    expect(atGmail('<thread-3@customer.test>').read).toBe(false);
    expect(atGmail('<thread-1@customer.test>').read).toBe(true);
  });

  it('applies a new coloured label, writes a note and marks the conversation as a to-do', async () => {
    await row('Re: Order 42').getByTestId('thread-subject').click();
    await page.locator('[data-testid="mail-reader"][data-loading="false"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('mail-reader-create-label').click();
    await page.getByTestId('mail-reader-new-label-name').fill('Key account');
    await page.getByTestId('label-color-magenta').click();
    await page.getByTestId('mail-reader-new-label-submit').click();
    const label = page.getByTestId('mail-reader-side').locator('label', { hasText: 'Key account' });
    await until(() => label.locator('input').isChecked(), true, 30_000, 'new label ticked');

    await page.getByTestId('mail-note-add').click();
    await page.getByTestId('mail-note-input').fill('Call Alice back about the invoice');
    await page.getByTestId('mail-note-save').click();
    await page.getByTestId('mail-note-text').getByText('Call Alice back about the invoice').waitFor();
    await page.getByTestId('mail-todo').click();
    await until(() => page.getByTestId('mail-todo').getAttribute('data-todo'), 'true');
    await screenshot(page, 'mail-reader-labels-note', true);

    await page.getByTestId('mail-action-back').click();
    const tag = row('Re: Order 42').locator('[data-testid^="thread-label-"]');
    await tag.getByText('Key account').waitFor();
    expect(await tag.getAttribute('class')).toContain('magenta');
    await row('Re: Order 42').getByTestId('thread-todo').waitFor();
    await openList('todo');
    await until(() => page.locator('[data-testid^="thread-row-"]').count(), 1, 30_000, 'to-do rows');
    await row('Re: Order 42').waitFor();
  });

  it('archives, trashes and restores a conversation, at Gmail too', async () => {
    await openList('inbox');
    await row('Lunch?').locator('[data-testid^="thread-select-"]').click();
    await page.getByTestId('mail-action-archive').click();
    await row('Lunch?').waitFor({ state: 'detached' });
    await openList('archive');
    await row('Lunch?').waitFor();
    await row('Lunch?').locator('[data-testid^="thread-select-"]').click();
    await page.getByTestId('mail-action-trash').click();
    await row('Lunch?').waitFor({ state: 'detached' });
    await openList('trash');
    await row('Lunch?').locator('[data-testid^="thread-select-"]').click();
    await page.getByTestId('mail-action-restore').click();
    await row('Lunch?').waitFor({ state: 'detached' });
    await openList('inbox');
    await row('Lunch?').waitFor();
    const atProvider = gmail().filter((m) => m.labelIds.includes('TRASH'));
    expect(atProvider).toEqual([]);
  });

  it('searches subject, names and body text', async () => {
    await search('noon');
    await until(() => page.locator('[data-testid^="thread-row-"]').count(), 1, 30_000);
    await row('Lunch?').waitFor();
    await screenshot(page, 'mail-search', true);
    await search('');
    await row('Price list').waitFor();
  });

  it('blocks remote images until "Show images", then loads them', async () => {
    const remote: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('images.shop.test')) remote.push(req.url());
    });
    await row('Autumn sale').getByTestId('thread-subject').click();
    await page.getByTestId('mail-show-images').waitFor({ timeout: 30_000 });
    const frame = page.getByTestId('mail-body-frame');
    // The mail is in its frame (the shell loaded, the sanitised body copied in)…
    await until(() => frame.evaluate((f: HTMLIFrameElement) => Boolean(f.contentDocument?.documentElement?.hasAttribute('data-shell') && f.contentDocument.body?.textContent?.trim())), true, 30_000, 'the mail in its frame');
    expect(await frame.evaluate((f: HTMLIFrameElement) => f.contentDocument?.documentElement.outerHTML || '')).not.toContain('https://images.shop.test');
    // …and is given time to load its images, which it must not do (a pause on purpose: see settle()).
    await settle(page, NOTHING_LOADS_MS);
    expect(remote).toEqual([]);
    await page.getByTestId('mail-show-images-button').click();
    await until(() => remote.length, (v: number) => v > 0, 15_000);
    await page.getByTestId('mail-action-back').click();
  });

  it('new mail after a sync shows up without a reload: badge +1 (WebSocket) and the row in the list', async () => {
    await openList('inbox');
    const before = await badge();
    emulators.google.addMessage(MAILBOX, {
      raw: await eml({ from: 'Erin <erin@partner.test>', to: MAILBOX, subject: 'Fresh news', text: 'Just arrived.', date: new Date() }),
      labelIds: ['INBOX', 'UNREAD'],
    } as any);
    const token = await signInToApp(h.app.url, MEMBER);
    await fetch(`${h.app.url}/api/mailAccounts:syncNow`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    await waitForBadge(before + 1);
    await row('Fresh news').waitFor({ timeout: 30_000 });
  });

  it('shows an empty state for an empty box', async () => {
    await openList('spam');
    await page.getByTestId('mail-empty').waitFor();
    expect(await page.getByTestId('mail-empty').textContent()).toContain('No mail in Spam');
    await screenshot(page, 'mail-empty', true);
    expect(h.foreignRequests.filter((u) => !u.includes('images.shop.test'))).toEqual([]);
  });
});
