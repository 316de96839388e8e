import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevEmulators, startDevEmulators } from '../../dev/dev-emulators';
import { summarize } from '../../dev/emulators';
import { mailCenterMailbox } from '../helpers/threads';
import { animationsDone, Harness, screenshot, until } from './harness';
import { startMemberSession } from './mail-api';

/**
 * The compose editor in a real NocoBase app (S-SEND-1…9, S-DRAFT-1/2): a new mail with a file
 * and a pasted inline image is sent and arrives at Gmail as MIME; reply-all from the reader
 * goes to the right people in the thread; with auto-save on, a half-written mail survives a
 * reload as a draft that opens in the editor again. Then the extras (S-SIG-1, S-TPL-1, S-SEND-4,
 * S-SCHED-1/2): a signature and a template made in Settings, the default signature in a new mail
 * with a file and an address from autocomplete, sent and found in the MIME; the template applied;
 * a schedule set from the editor, seen in the Scheduled box and cancelled back to Drafts.
 * Screenshots go to docs/.
 */
const MEMBER = { email: 'writer@example.test', password: 'writer-pass-123', nickname: 'Wendy Writer' };
const MAILBOX = 'wendy@gmail.test';
const REPORT = Buffer.from('%PDF-1.4 quarterly numbers');

describe('the compose editor in a real NocoBase app', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let context: BrowserContext;
  let page: Page;

  const compose = () => page.getByTestId('compose-window');
  const row = (subject: string) => page.locator('[data-testid^="thread-row-"]', { has: page.getByTestId('thread-subject').getByText(subject, { exact: true }) });
  const openList = async (box: string) => {
    await page.getByTestId(`mail-box-${box}`).click();
    await page.locator('[data-testid="mail-list-loading"]').waitFor({ state: 'detached', timeout: 30_000 });
  };
  /** What Gmail's messages.send received last. */
  const lastSent = () => {
    const entry = emulators.google.requests.filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300).pop();
    expect(entry?.mime, 'no send at Gmail').toBeTruthy();
    return summarize(entry!.mime!);
  };
  const sendCount = () => emulators.google.requests.filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300).length;
  const gmailDrafts = () => emulators.google.state.directory.user(MAILBOX)!.mailbox!.drafts.size;
  const tokens = (field: string) => compose().getByTestId(`compose-${field}-token`).allTextContents();

  /** A paste the way the browser delivers one (the page has no real clipboard): text, or a PNG drawn with the text given. */
  const paste = (selector: string, data: { text?: string; image?: string }) =>
    page.locator(selector).first().evaluate(async (el, d) => {
      const dt = new DataTransfer();
      if (d.text) dt.setData('text/plain', d.text);
      if (d.image) {
        const canvas = document.createElement('canvas');
        canvas.width = 160;
        canvas.height = 60;
        const g = canvas.getContext('2d')!;
        g.fillStyle = '#1677ff';
        g.fillRect(0, 0, 160, 60);
        g.fillStyle = '#fff';
        g.font = 'bold 24px sans-serif';
        g.fillText(d.image, 16, 38);
        const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
        dt.items.add(new File([blob], 'logo.png', { type: 'image/png' }));
      }
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, data);

  beforeAll(async () => {
    emulators = await startDevEmulators({ mail: false });
    emulators.google.addUser({ email: MAILBOX, displayName: 'Wendy Writer' } as any);
    emulators.google.seed(MAILBOX, { eml: await mailCenterMailbox(MAILBOX), labelIds: (i) => (i === 1 ? ['SENT'] : ['INBOX']) });
    ({ h, context, page } = await startMemberSession('compose', emulators, MEMBER, MAILBOX));
    await page.goto(`${h.app.url}/admin/mail`);
    await row('Price list').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
    await emulators?.close();
  });

  it('writes a new mail with a file and a pasted inline image and sends it; Gmail gets the MIME, Sent shows it', async () => {
    await page.getByTestId('mail-action-compose').click();
    await compose().getByTestId('compose-editor').waitFor();
    // A pasted list: split, a duplicate merged, an invalid address flagged.
    await compose().getByTestId('compose-to').click();
    await paste('[data-testid="compose-window"] .emc-recipients', { text: 'Dan Doe <dan@partner.test>; eve@partner.test\nnot-an-address, DAN@partner.test' });
    await until(() => tokens('to'), ['Dan Doe', 'eve@partner.test', 'not-an-address']);
    expect(await compose().getByTestId('compose-to-error').textContent()).toBe('not-an-address is not a email format');
    await compose().getByTestId('compose-to-token').nth(2).locator('.ant-tag-close-icon').click();
    await until(() => tokens('to'), ['Dan Doe', 'eve@partner.test']);

    await compose().getByTestId('compose-subject').fill('Quarterly numbers');
    const editor = compose().getByTestId('compose-editor');
    await editor.click();
    await page.keyboard.type('Hello Dan, ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('the numbers are in');
    await page.keyboard.press('Control+B');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('See the logo:');
    await paste('[data-testid="compose-editor"]', { image: 'ACME' });
    await editor.locator('img[data-cid]').waitFor();
    await compose().getByTestId('compose-file-input').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: REPORT });
    await until(() => compose().getByTestId('compose-attachment').getAttribute('data-status'), 'done', 30_000, 'upload');
    expect(await compose().getByTestId('compose-attachment').textContent()).toContain('report.pdf');
    await screenshot(page, 'compose-new', true);

    const before = sendCount();
    await compose().getByTestId('compose-send').click();
    await page.getByText('Email sent successfully').waitFor({ timeout: 30_000 });
    await compose().waitFor({ state: 'detached' });
    expect(sendCount()).toBe(before + 1);
    const mail = lastSent();
    expect(mail.to.map((a) => a.address)).toEqual(['dan@partner.test', 'eve@partner.test']);
    expect(mail.from?.address).toBe(MAILBOX);
    expect(mail.subject).toBe('Quarterly numbers');
    expect(mail.html).toContain('<strong>the numbers are in</strong>');
    expect(mail.html).toMatch(/<br>\s*See the logo:/);
    const files = mail.attachments.map((a) => ({ name: a.filename, inline: a.inline, cid: Boolean(a.contentId) }));
    expect(files).toEqual(expect.arrayContaining([{ name: 'report.pdf', inline: false, cid: false }, { name: 'logo.png', inline: true, cid: true }]));
    const logo = mail.attachments.find((a) => a.filename === 'logo.png')!;
    expect(mail.html).toContain(`cid:${logo.contentId}`);
    expect(mail.attachments.find((a) => a.filename === 'report.pdf')!.content().equals(REPORT)).toBe(true);

    await openList('sent');
    await row('Quarterly numbers').waitFor({ timeout: 30_000 });
    await screenshot(page, 'compose-sent', true);
  });

  it('reply all from the reader: the original sender in To, its Cc in Cc, in the thread', async () => {
    await openList('inbox');
    await row('Re: Order 42').getByTestId('thread-subject').click();
    await page.locator('[data-testid="mail-reader"][data-loading="false"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid^="mail-reply-all-"]').last().click();
    await compose().getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    expect(await tokens('to')).toEqual(['Alice Customer']);
    expect(await tokens('cc')).toEqual(['Bob Buyer']);
    expect(await compose().getByTestId('compose-subject').inputValue()).toBe('Re: Order 42');
    await page.keyboard.type('Both of you: it shipped today.');
    await compose().getByTestId('compose-quote-toggle').click();
    await compose().getByTestId('mail-body-frame').waitFor();
    await screenshot(page, 'compose-reply-all', true);
    await compose().getByTestId('compose-send').click();
    await page.getByText('Email sent successfully').first().waitFor({ timeout: 30_000 });
    await compose().waitFor({ state: 'detached' });
    const mail = lastSent();
    expect(mail.to.map((a) => a.address)).toEqual(['alice@customer.test']);
    expect(mail.cc.map((a) => a.address)).toEqual(['bob@customer.test']);
    expect(mail.subject).toBe('Re: Order 42');
    expect(mail.inReplyTo).toBe('<thread-3@customer.test>');
    expect(mail.html).toContain('Both of you: it shipped today.');
    expect(mail.html).toContain('email-manager-quote');
    await page.getByTestId('mail-action-back').click();
  });

  it('with auto-save on, a half-written mail survives a reload as a draft that opens in the editor', async () => {
    const draftsBefore = gmailDrafts();
    await page.getByTestId('mail-action-compose').click();
    await compose().getByTestId('compose-editor').waitFor();
    await compose().getByTestId('compose-save-menu').click();
    await page.getByTestId('compose-autosave').click();
    await until(() => page.getByTestId('compose-autosave-switch').getAttribute('aria-checked'), 'true');
    await compose().getByTestId('compose-subject').click();
    await compose().getByTestId('compose-to').click();
    await page.keyboard.type('hal@partner.test');
    await page.keyboard.press('Enter');
    await until(() => tokens('to'), ['hal@partner.test']);
    await compose().getByTestId('compose-subject').fill('Plan for Monday');
    await compose().getByTestId('compose-editor').click();
    await page.keyboard.type('First draft of the plan.');
    const status = compose().getByTestId('compose-status');
    await until(async () => (await status.textContent()) || '', (v: string) => /^Auto saved at \d\d:\d\d$/.test(v), 30_000, 'auto-save');
    expect(gmailDrafts()).toBe(draftsBefore + 1);
    await screenshot(page, 'compose-autosaved', true);

    await page.reload();
    await page.locator('[data-testid^="thread-row-"]').first().waitFor({ timeout: 60_000 });
    await openList('drafts');
    await row('Plan for Monday').click();
    await compose().getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    expect(await compose().getByTestId('compose-subject').inputValue()).toBe('Plan for Monday');
    expect(await tokens('to')).toEqual(['hal@partner.test']);
    expect(await compose().getByTestId('compose-editor').textContent()).toBe('First draft of the plan.');
    await screenshot(page, 'compose-draft-reopened', true);
    await compose().getByTestId('compose-maximise').click();
    await until(() => compose().getAttribute('data-state'), 'max');
    await screenshot(page, 'compose-max', true);
    await compose().getByTestId('compose-maximise').click();
    // The switch was remembered for this user.
    await compose().getByTestId('compose-save-menu').click();
    await until(() => page.getByTestId('compose-autosave-switch').getAttribute('aria-checked'), 'true');
    await compose().getByTestId('compose-subject').click();
    // Closing it (nothing changed) asks nothing; the draft stays.
    await compose().getByTestId('compose-close').click();
    await compose().waitFor({ state: 'detached' });
    expect(gmailDrafts()).toBe(draftsBefore + 1);
  });

  it('replying again to the same mail offers the draft of the first reply (S-DRAFT-3); Use continues it', async () => {
    await openList('inbox');
    await row('Price list').getByTestId('thread-subject').click();
    await page.locator('[data-testid="mail-reader"][data-loading="false"]').waitFor({ timeout: 30_000 });
    const reply = page.locator('[data-testid^="mail-reply-"]:not([data-testid^="mail-reply-all-"])').last();
    await reply.click();
    await compose().getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    await page.keyboard.type('Prices noted, ');
    const status = compose().getByTestId('compose-status');
    await until(async () => (await status.textContent()) || '', (v: string) => /^Auto saved at/.test(v), 30_000, 'auto-save of the reply');
    // Auto-save is on: closing saves and asks nothing.
    await compose().getByTestId('compose-close').click();
    await compose().waitFor({ state: 'detached' });

    await reply.click();
    await compose().getByTestId('compose-draft-found').waitFor({ timeout: 30_000 });
    await screenshot(page, 'compose-draft-found', true);
    await compose().getByTestId('compose-draft-use').click();
    await compose().getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    expect(await compose().getByTestId('compose-editor').textContent()).toContain('Prices noted,');
    expect(await tokens('to')).toEqual(['Carol']);
    await compose().getByTestId('compose-send').click();
    await page.getByText('Email sent successfully').first().waitFor({ timeout: 30_000 });
    const mail = lastSent();
    expect(mail.subject).toBe('Re: Price list');
    expect(mail.html).toContain('Prices noted,');
    expect(h.foreignRequests).toEqual([]);
  });

  it('Settings → Signature and Templates: a default signature and a template, made in the rich-text editor', async () => {
    await openList('inbox');
    await page.getByTestId('mail-action-settings').click();
    await page.getByTestId('mail-settings-signature').click();
    await page.getByTestId('signature-add').click();
    const form = page.getByTestId('signature-form');
    await form.getByTestId('signature-name-input').fill('Work');
    await form.getByTestId('signature-editor').click();
    await page.keyboard.type('Wendy Writer');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('Sales, ACME');
    await page.keyboard.press('Control+B');
    expect(await form.getByTestId('signature-default-input').isChecked()).toBe(true);
    await page.getByTestId('signature-save').click();
    await page.getByTestId('signature-form').waitFor({ state: 'detached' });
    await until(() => page.getByTestId('signature-name').allTextContents(), ['Work']);
    expect(await page.getByTestId('signature-default').isChecked()).toBe(true);
    await screenshot(page, 'settings-signatures', true);

    await page.getByTestId('mail-settings-templates').click();
    await page.getByTestId('template-add').click();
    const tpl = page.getByTestId('template-form');
    await tpl.getByTestId('template-name-input').fill('Follow-up');
    await tpl.getByTestId('template-subject-input').fill('Following up');
    await tpl.getByTestId('template-editor').click();
    await page.keyboard.type('Just checking in on my last email.');
    await page.getByTestId('template-save').click();
    await page.getByTestId('template-form').waitFor({ state: 'detached' });
    await until(() => page.getByTestId('template-name').allTextContents(), ['Follow-up']);
    await page.locator('.ant-modal-close').first().click();
    await page.getByTestId('mail-settings').waitFor({ state: 'detached' });
  });

  it('a new mail gets the default signature; with a file and an address from autocomplete it is sent, Gmail gets the signature, Sent shows it', async () => {
    await page.getByTestId('mail-action-compose').click();
    const editor = compose().getByTestId('compose-editor');
    await editor.locator('.email-manager-signature').waitFor({ timeout: 30_000 });
    expect(await editor.locator('.email-manager-signature').textContent()).toBe('Wendy WriterSales, ACME');
    // S-SEND-4: a past correspondent, from the server's suggestions.
    await compose().getByTestId('compose-to').click();
    await page.keyboard.type('ali');
    await page.locator('.ant-select-item-option', { hasText: 'alice@customer.test' }).click();
    await until(() => tokens('to'), ['Alice Customer']);
    await compose().getByTestId('compose-subject').fill('Signed report');
    await editor.locator('p').first().click();
    await page.keyboard.type('Please find the report attached.');
    await compose().getByTestId('compose-file-input').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: REPORT });
    await until(() => compose().getByTestId('compose-attachment').getAttribute('data-status'), 'done', 30_000, 'upload');
    await screenshot(page, 'compose-signature', true);

    await compose().getByTestId('compose-send').click();
    await page.getByText('Email sent successfully').first().waitFor({ timeout: 30_000 });
    await compose().waitFor({ state: 'detached' });
    const mail = lastSent();
    expect(mail.subject).toBe('Signed report');
    expect(mail.to.map((a) => a.address)).toEqual(['alice@customer.test']);
    expect(mail.html).toMatch(/Please find the report attached\.<\/p><div[^>]*class="email-manager-signature"[^>]*><p>Wendy Writer<br><strong>Sales, ACME<\/strong><\/p><\/div>/);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['report.pdf']);
    await openList('sent');
    await row('Signed report').waitFor({ timeout: 30_000 });
  });

  it('a template fills an empty mail (subject too) and keeps the signature; Schedule send puts it in Scheduled; cancelling moves it back to Drafts', async () => {
    await page.getByTestId('mail-action-compose').click();
    const editor = compose().getByTestId('compose-editor');
    await editor.locator('.email-manager-signature').waitFor({ timeout: 30_000 });
    await compose().getByTestId('compose-tool-template').click();
    await page.getByTestId('compose-template-option').getByText('Follow-up', { exact: true }).click();
    await until(() => editor.textContent(), 'Just checking in on my last email.Wendy WriterSales, ACME');
    expect(await compose().getByTestId('compose-subject').inputValue()).toBe('Following up');
    await compose().getByTestId('compose-to').click();
    await page.keyboard.type('ivy@partner.test');
    await page.keyboard.press('Enter');
    await until(() => tokens('to'), ['ivy@partner.test']);

    await compose().getByTestId('compose-send-menu').click();
    await page.getByTestId('compose-schedule').click();
    await page.getByTestId('compose-schedule-dialog').waitFor();
    // Past the dialog's opening animation (and the menu's closing one).
    await animationsDone(page);
    await screenshot(page, 'compose-schedule', true);
    const sendsBefore = sendCount();
    await page.getByTestId('compose-schedule-tomorrow-morning').click();
    await page.getByText(/^Scheduled to be sent at /).first().waitFor({ timeout: 30_000 });
    await compose().waitFor({ state: 'detached' });
    expect(sendCount()).toBe(sendsBefore);

    await openList('scheduled');
    await row('Following up').click();
    const banner = compose().getByTestId('compose-scheduled');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/Scheduled to be sent at \d{4}-\d\d-\d\d 08:00/);
    await screenshot(page, 'compose-scheduled-open', true);
    await banner.getByTestId('compose-cancel-schedule').click();
    await page.getByTestId('compose-cancel-schedule-ok').click();
    await page.getByText('Scheduled send canceled. The email is in Drafts.').waitFor({ timeout: 30_000 });
    await banner.waitFor({ state: 'detached' });
    await compose().getByTestId('compose-close').click();
    await compose().waitFor({ state: 'detached' });
    await openList('scheduled');
    await until(() => row('Following up').count(), 0);
    await openList('drafts');
    await row('Following up').waitFor({ timeout: 30_000 });
    expect(sendCount()).toBe(sendsBefore);
  });
});
