import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_GOOGLE_CLIENT, DEV_MICROSOFT_CLIENT, DevEmulators, signInToApp, startDevEmulators } from '../../dev/dev-emulators';
import { Harness, screenshot, signIn, startHarness, until } from './harness';
import { createMember } from './mail-api';

/**
 * S-CONN in a real browser: the admin configures both providers in Settings → Email settings,
 * then a member connects Gmail and Outlook from the user menu through the emulators' consent
 * pages and sees both accounts connected.
 */
const MEMBER = { email: 'member@example.test', password: 'member-pass-123' };
const ADA = 'ada@gmail.test';

/**
 * How many mails of the emulated Gmail mailbox a first import from `syncStartDate` brings: the
 * app lists `after:<start in epoch seconds>` (inclusive, by internalDate), spam and trash included.
 */
function inSyncWindow(emulators: DevEmulators, email: string, syncStartDate: string) {
  const since = Math.floor(Date.parse(syncStartDate) / 1000) * 1000;
  return emulators.google.mailboxOf(email).filter((m) => m.internalDate >= since && !m.labelIds.includes('CHAT')).length;
}

describe('connecting mailboxes in a real NocoBase app', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let member: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    emulators = await startDevEmulators();
    h = await startHarness('connect', emulators.env);
    await createMember(h.app.url, MEMBER);
  });
  afterAll(async () => {
    await member?.close();
    await h?.close();
    await emulators?.close();
  });

  it('the admin saves the Google and Microsoft clients in Email settings', async () => {
    const admin = h.page;
    await signIn(admin, h.app.url);
    await admin.goto(`${h.app.url}/admin/settings/mail`);
    await admin.locator('#googleClientId').waitFor({ timeout: 60_000 });
    await admin.locator('#googleClientId').fill(DEV_GOOGLE_CLIENT.clientId);
    await admin.locator('#googleClientSecret').fill(DEV_GOOGLE_CLIENT.clientSecret);
    await admin.getByRole('tab', { name: 'Microsoft' }).click();
    await admin.locator('#microsoftClientId').fill(DEV_MICROSOFT_CLIENT.clientId);
    await admin.locator('#microsoftClientSecret').fill(DEV_MICROSOFT_CLIENT.clientSecret);
    await admin.getByTestId('save-settings').click();
    await admin.getByText('Saved', { exact: true }).waitFor();
  });

  it('a member connects Gmail: consent page → back in NocoBase → account connected', async () => {
    // The Microsoft emulator is https with a self-signed certificate; the real one is not.
    member = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', ignoreHTTPSErrors: true });
    page = await member.newPage();
    await signIn(page, h.app.url, MEMBER.email, MEMBER.password);
    await openAccountsPanel(page);
    await page.getByTestId('connect-gmail').waitFor();
    await screenshot(page, 'email-accounts-empty');

    await connectThroughConsent(page, 'gmail', 'ada@gmail.test');
    const row = page.getByTestId('account-ada@gmail.test');
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId('account-status').getByText('Connected').waitFor({ timeout: 30_000 });
  });

  it('a member connects Outlook the same way and sees both accounts', async () => {
    await connectThroughConsent(page, 'outlook', 'alan@outlook.test');
    const row = page.getByTestId('account-alan@outlook.test');
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId('account-status').getByText('Connected').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('account-ada@gmail.test').isVisible()).toBe(true);
    await screenshot(page, 'email-accounts', true);
  });

  it('the first import ran in the app: the sync log shows it with the number of mails the mailbox holds', async () => {
    // The import runs in the app's scheduler: wait until it is done, then count what it had to bring.
    const token = await signInToApp(h.app.url, MEMBER);
    const account = await until(
      async () => ((await (await fetch(`${h.app.url}/api/mailAccounts:listOwn`, { headers: { Authorization: `Bearer ${token}` } })).json()) as any).data.find((a: any) => a.email === ADA),
      (a: any) => Boolean(a?.lastSyncedAt) && a.syncStage === 'idle',
      120_000,
      `the first import of ${ADA}`,
    );
    const expected = inSyncWindow(emulators, ADA, account.syncStartDate);
    expect(expected, 'mails in the emulated mailbox since the start date').toBeGreaterThan(0);

    await page.getByTestId(`account-${ADA}`).getByText('Sync log').click();
    const log = page.getByTestId('sync-log');
    // The first import's runs that ended OK (one, unless it ran out of its time budget and went on).
    const firstImport = log.locator('tr.ant-table-row').filter({ hasText: 'First import' }).filter({ has: page.locator('.ant-tag', { hasText: /^OK$/ }) });
    await firstImport.first().waitFor({ timeout: 30_000 });
    const headers = (await log.locator('thead th').allInnerTexts()).map((t) => t.trim());
    expect(headers).toContain('Added');
    const added = (await firstImport.locator(`td:nth-child(${headers.indexOf('Added') + 1})`).allInnerTexts()).map((t) => Number(t.trim()));
    expect(added.every(Number.isInteger), `Added cells: ${added}`).toBe(true);
    expect(added.reduce((sum, n) => sum + n, 0), 'mails the first import added').toBe(expected);
    await screenshot(page, 'email-sync-log', true);
    await page.keyboard.press('Escape');
  });

  it("the admin sees every account's runs under Settings → Email settings → Sync logs", async () => {
    const admin = h.page;
    await admin.goto(`${h.app.url}/admin/settings/mail`);
    await admin.getByRole('tab', { name: 'Sync logs' }).click();
    const table = admin.getByTestId('admin-sync-logs');
    await table.getByText('ada@gmail.test').first().waitFor({ timeout: 30_000 });
    await table.getByText('alan@outlook.test').first().waitFor();
    expect(await admin.getByTestId('save-settings').count()).toBe(0);
    await screenshot(admin, 'email-settings-sync-logs', true);
  });

  it('cancelling at the provider says so and stores nothing', async () => {
    await page.bringToFront();
    if (!(await page.getByTestId('connect-gmail').isVisible())) await openAccountsPanel(page);
    await page.getByTestId('connect-gmail').click();
    const consent = await continueToProvider(page);
    await consent.locator('#cancel').click();
    await consent.locator('.ant-result-title').getByText('Authorization was cancelled').waitFor({ timeout: 30_000 });
    // Shown once: the page's own result, no second error notification.
    expect(await consent.getByText('Authorization was cancelled').count()).toBe(1);
    await screenshot(consent, 'email-oauth-cancelled');
    // "Try again" goes back to the provider's consent page in the same tab.
    await consent.getByTestId('oauth-retry').click();
    await consent.locator('#allow').waitFor({ timeout: 30_000 });
    await consent.close();
    const token = await signInToApp(h.app.url, MEMBER);
    const res = await fetch(`${h.app.url}/api/mailAccounts:listOwn`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await res.json()) as any).data.map((a: any) => a.email).sort()).toEqual(['ada@gmail.test', 'alan@outlook.test']);
  });
});

/** The user menu (avatar, top right) → Email accounts. */
async function openAccountsPanel(page: Page) {
  await page.locator('[data-testid="user-center-button"]').hover({ timeout: 60_000 });
  await page.getByTestId('user-menu-email-accounts').click();
}

/** Connect → start date dialog → the consent tab: choose the mailbox, Allow; the tab closes itself. */
async function connectThroughConsent(page: Page, provider: 'gmail' | 'outlook', email: string) {
  await page.getByTestId(`connect-${provider}`).click();
  const consent = await continueToProvider(page);
  await consent.locator('#allow').waitFor({ timeout: 30_000 });
  await chooseAccount(consent, email);
  await screenshot(consent, `email-consent-${provider}`);
  await consent.locator('#allow').click();
  await consent.waitForURL(/\/admin\/settings\/mail\/oauth2/, { timeout: 30_000 });
  await consent.getByText(`${email} is connected`).first().waitFor({ timeout: 60_000 });
  await consent.waitForEvent('close', { timeout: 15_000 });
}

/**
 * Continue opens the consent tab in the click's own handler and closes the dialog. A click that
 * lands while the dialog is still zooming in on a loaded machine can miss that handler: the dialog
 * then stays open with no tab, and only then is it clicked again.
 */
async function continueToProvider(page: Page): Promise<Page> {
  const button = page.getByTestId('connect-continue');
  for (let attempt = 1; ; attempt++) {
    const popup = page.waitForEvent('popup', { timeout: 10_000 });
    await button.click();
    try {
      return await popup;
    } catch (error) {
      if (attempt >= 3 || !(await button.isVisible())) throw error;
    }
  }
}

async function chooseAccount(consent: Page, email: string) {
  const select = consent.locator('select#account');
  if (await select.count()) {
    await select.selectOption(email);
    return;
  }
  await consent.locator(`input[type=radio][value="${email}"]`).check();
}
