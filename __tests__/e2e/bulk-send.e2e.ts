import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../dev/app';
import { DevEmulators, signInToApp, startDevEmulators } from '../../dev/dev-emulators';
import { summarize } from '../../dev/emulators';
import { mailCenterMailbox } from '../helpers/threads';
import { Harness, screenshot, until } from './harness';
import { api, startMemberSession } from './mail-api';

/**
 * Mass Send Tracking in a real NocoBase app (S-BULK-5): a member's bulk send, created through the
 * API with five recipients (one invalid), is followed live in the mail center until it is Some
 * sent; one pending mail is canceled and then sent again through the UI; the emulated Gmail gets
 * exactly one mail per valid recipient; a sent recipient's row opens the mail in the reader.
 * Screenshots docs/bulk-tracking.png and docs/bulk-job.png.
 */
const MEMBER = { email: 'sender@example.test', password: 'sender-pass-123', nickname: 'Sam Sender' };
const MAILBOX = 'sam@gmail.test';
const SUBJECT = 'Spring price list';
const VALID = ['ann@partner.test', 'bob@partner.test', 'cid@partner.test', 'dora@partner.test'];
/** Long enough between two mails for the UI to cancel the last one while it is still pending. */
const SLOW_INTERVAL_MS = 6000;
const FAST_INTERVAL_MS = 300;

describe('Mass Send Tracking in a real NocoBase app', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let adminToken: string;

  /** What Gmail's messages.send accepted with this subject, one entry per mail. */
  const delivered = (subject: string) =>
    emulators.google.requests
      .filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300 && r.mime)
      .map((r) => summarize(r.mime!))
      .filter((m) => m.subject === subject);
  const deliveredTo = (subject: string) => delivered(subject).flatMap((m) => m.to.map((a) => a.address)).sort();
  const setMassInterval = (ms: number) => api(h.app.url, adminToken, 'mailSettings:set', { massSendInterval: ms });
  const createJob = async (input: Record<string, unknown>) => (await api(h.app.url, token, 'mailMassMessages:create', { accountId, ...input })).data;
  let accountId: number;

  const jobRow = (id: number) => page.getByTestId(`bulk-job-${id}`);
  const jobStatus = (id: number) => jobRow(id).getByTestId('bulk-job-status').getAttribute('data-status');
  const recipientRow = (address: string) => page.locator('tr[data-testid^="bulk-recipient-"]', { has: page.getByText(address, { exact: true }) });
  const recipientStatus = (address: string) => recipientRow(address).getAttribute('data-status');

  beforeAll(async () => {
    emulators = await startDevEmulators({ mail: false });
    emulators.google.addUser({ email: MAILBOX, displayName: 'Sam Sender' } as any);
    emulators.google.seed(MAILBOX, { eml: await mailCenterMailbox(MAILBOX), labelIds: (i) => (i === 1 ? ['SENT'] : ['INBOX']) });
    ({ h, context, page, token } = await startMemberSession('bulk-send', emulators, MEMBER, MAILBOX));
    adminToken = await signInToApp(h.app.url, ADMIN);
    accountId = (await api(h.app.url, token, 'mailAccounts:listOwn')).data[0].id;
    await page.goto(`${h.app.url}/admin/mail`);
    await page.locator('[data-testid^="thread-row-"]').first().waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    // The last state of the page, for a failed run (artifacts only).
    if (page) await screenshot(page, 'bulk-send-last').catch(() => undefined);
    await context?.close();
    await h?.close();
    await emulators?.close();
  });

  it('follows a job live to Some sent; a pending mail is canceled and sent again through the UI; one mail per valid recipient', async () => {
    await setMassInterval(SLOW_INTERVAL_MS);
    const job = await createJob({
      subject: SUBJECT,
      html: '<p>Dear customer, our <b>spring prices</b> are attached.</p>',
      addresses: 'Ann Archer <ann@partner.test>; bob@partner.test\nnot-an-address, cid@partner.test, Dora <DORA@partner.test>',
    });
    expect(job.counts.total).toBe(5);

    // The sidebar entry under the boxes opens the list; it follows the job without a reload.
    await page.getByTestId('mail-bulk-tracking').click();
    await jobRow(job.id).waitFor({ timeout: 30_000 });
    expect(await jobRow(job.id).getByTestId('bulk-job-subject').textContent()).toBe(SUBJECT);
    expect(await jobRow(job.id).textContent()).toContain(MAILBOX);
    await until(() => jobStatus(job.id), 'sending', 30_000, 'job sending in the list');

    // In the job: cancel Dora's mail (the last, still waiting for the interval).
    await jobRow(job.id).getByTestId('bulk-job-subject').click();
    await page.getByTestId('bulk-job-page').waitFor();
    await recipientRow('dora@partner.test').waitFor({ timeout: 30_000 });
    expect(await recipientStatus('dora@partner.test')).toBe('pending');
    await recipientRow('dora@partner.test').getByTestId('bulk-cancel-one').click();
    await page.getByTestId('bulk-confirm-cancel-one').click();
    await page.getByText('The mail was canceled').waitFor({ timeout: 30_000 });
    await until(() => recipientStatus('dora@partner.test'), 'canceled', 30_000, 'dora canceled');
    expect(await recipientStatus('not-an-address')).toBe('failed');
    expect(await recipientRow('not-an-address').getByTestId('bulk-recipient-reason').textContent()).toBeTruthy();
    // A failed mail offers Resend; none is offered once sent.
    expect(await recipientRow('not-an-address').getByTestId('bulk-resend-one').count()).toBe(1);

    await until(() => page.getByTestId('bulk-job-status').getAttribute('data-status'), 'someSent', 60_000, 'job Some sent');
    expect(deliveredTo(SUBJECT)).toEqual(['ann@partner.test', 'bob@partner.test', 'cid@partner.test']);
    for (const address of ['ann@partner.test', 'bob@partner.test', 'cid@partner.test']) {
      expect(await recipientStatus(address)).toBe('sent');
      expect(await recipientRow(address).getByTestId('bulk-resend-one').count()).toBe(0);
    }
    expect(await page.getByTestId('bulk-counts').textContent()).toBe('3 sent · 1 failed · 1 canceled');
    await screenshot(page, 'bulk-job', true);

    // Resend the failed and canceled: Dora's goes out, the invalid address fails again, nobody gets a second mail.
    await setMassInterval(FAST_INTERVAL_MS);
    await page.getByTestId('bulk-resend-all').click();
    await page.getByTestId('bulk-confirm-resend-all').click();
    await page.getByText('The failed and canceled mails will be sent again').waitFor({ timeout: 30_000 });
    await until(() => recipientStatus('dora@partner.test'), 'sent', 60_000, 'dora sent after resend');
    await until(() => page.getByTestId('bulk-job-status').getAttribute('data-status'), 'someSent', 60_000, 'job finished again');
    expect(await recipientStatus('not-an-address')).toBe('failed');
    expect(deliveredTo(SUBJECT)).toEqual(VALID);
    const mail = delivered(SUBJECT)[0];
    expect(mail.from?.address).toBe(MAILBOX);
    expect(mail.html).toContain('<b>spring prices</b>');
    expect(await page.getByTestId('bulk-counts').textContent()).toBe('4 sent · 1 failed');
    await screenshot(page, 'bulk-job-resent');

    // A sent recipient's row opens the mail in the reader; Back returns to the job.
    await recipientRow('ann@partner.test').getByTestId('bulk-recipient-address').click();
    await page.locator('[data-testid="mail-reader"][data-loading="false"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('mail-reader').textContent()).toContain(SUBJECT);
    await page.getByTestId('mail-action-back').click();
    await recipientRow('ann@partner.test').waitFor();
  });

  it('lists every job with its status; a job of all-valid recipients ends Sent, a scheduled one waits', async () => {
    const sent = await createJob({ subject: 'Opening hours', html: '<p>We open at nine.</p>', addresses: 'eve@partner.test, finn@partner.test' });
    const later = await createJob({
      subject: 'Summer catalogue',
      html: '<p>Coming soon.</p>',
      addresses: 'gus@partner.test; hana@partner.test; ivo@partner.test',
      sendAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
    await page.getByTestId('bulk-job-back').click();
    await jobRow(sent.id).waitFor({ timeout: 30_000 });
    await until(() => jobStatus(sent.id), 'sent', 60_000, 'second job Sent');
    expect(await jobStatus(later.id)).toBe('scheduled');
    expect(deliveredTo('Opening hours')).toEqual(['eve@partner.test', 'finn@partner.test']);
    expect(delivered('Summer catalogue')).toEqual([]);
    await screenshot(page, 'bulk-tracking', true);

    // The scheduled job's mails are canceled through the UI before their time: Canceled, nothing sent.
    await jobRow(later.id).getByTestId('bulk-job-subject').click();
    await page.getByTestId('bulk-cancel-all').click();
    await page.getByTestId('bulk-confirm-cancel-all').click();
    await until(() => page.getByTestId('bulk-job-status').getAttribute('data-status'), 'canceled', 30_000, 'scheduled job canceled');
    expect(await recipientStatus('hana@partner.test')).toBe('canceled');
    expect(delivered('Summer catalogue')).toEqual([]);
    expect(h.foreignRequests).toEqual([]);
  });
});
