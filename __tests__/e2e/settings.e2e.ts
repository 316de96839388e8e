import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../dev/app';
import { signInToApp } from '../../dev/dev-emulators';
import { Harness, screenshot, signIn, startHarness, until } from './harness';
import { api } from './mail-api';

const GOOGLE_ID = '1234567890-e2e.apps.googleusercontent.com';
const GOOGLE_SECRET = 'GOCSPX-e2e-google-secret';
const MS_ID = '6f1c2a4e-8b1d-4c3e-9a7f-2d5b8e0c1f3a';
const MS_SECRET = 'Abc8Q~e2e-microsoft-secret';

describe('Settings → Email settings in a real NocoBase app', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('settings');
    await signIn(h.page, h.app.url);
  });
  afterAll(async () => h?.close());

  it('saves both providers, and after a reload shows the IDs and "secret set", never a secret', async () => {
    const { page } = h;
    const settingsBodies: string[] = [];
    page.on('response', async (res) => {
      if (res.url().includes('mailSettings:')) settingsBodies.push(await res.text().catch(() => ''));
    });

    await page.goto(`${h.app.url}/admin/settings/mail`);
    await page.getByText('Redirect URI to register at the provider').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('redirect-uri').first().textContent()).toBe(`${h.app.url}/admin/settings/mail/oauth2`);

    await page.locator('#googleClientId').fill(GOOGLE_ID);
    await page.locator('#googleClientSecret').fill(GOOGLE_SECRET);
    await page.getByRole('tab', { name: 'Microsoft' }).click();
    await page.locator('#microsoftClientId').fill(MS_ID);
    await page.locator('#microsoftClientSecret').fill(MS_SECRET);
    await page.locator('#microsoftTenant').fill('contoso.onmicrosoft.com');
    await page.getByRole('tab', { name: 'General' }).click();
    await page.locator('#syncInterval').fill('10');
    await page.getByTestId('save-settings').click();
    await page.getByText('Saved', { exact: true }).waitFor();

    await page.reload();
    await page.locator('#googleClientId').waitFor({ timeout: 60_000 });
    expect(await page.locator('#googleClientId').inputValue()).toBe(GOOGLE_ID);
    expect(await page.locator('#googleClientSecret').inputValue()).toBe('');
    expect(await page.getByTestId('googleClientSecret-state').textContent()).toBe('Secret set');
    expect(await page.getByTestId('google-status').textContent()).toBe('Configured');
    await screenshot(page, 'email-settings', true);

    await page.getByRole('tab', { name: 'Microsoft' }).click();
    expect(await page.locator('#microsoftClientId').inputValue()).toBe(MS_ID);
    expect(await page.locator('#microsoftTenant').inputValue()).toBe('contoso.onmicrosoft.com');
    expect(await page.getByTestId('microsoftClientSecret-state').textContent()).toBe('Secret set');
    await page.getByRole('tab', { name: 'General' }).click();
    expect(await page.locator('#syncInterval').inputValue()).toBe('10');

    expect(settingsBodies.length).toBeGreaterThan(0);
    for (const body of settingsBodies) {
      expect(body).not.toContain(GOOGLE_SECRET);
      expect(body).not.toContain(MS_SECRET);
    }
    expect(h.foreignRequests).toEqual([]);
  });

  it('shows inline validation and saves nothing on bad input', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'General' }).click();
    await page.locator('#syncInterval').fill('0');
    await page.getByTestId('save-settings').click();
    await page.getByText('Sync Interval (minutes) must be a whole number from 1 to 1440').waitFor();
    await screenshot(page, 'email-settings-validation');
    await page.reload();
    await page.getByRole('tab', { name: 'General' }).click();
    expect(await page.locator('#syncInterval').inputValue()).toBe('10');
  });

  it('Roles & permissions → a role → Email: grants and takes away "Read all users\' emails"', async () => {
    const { page } = h;
    const token = await signInToApp(h.app.url, ADMIN);
    const snippets = async () => ((await api(h.app.url, token, 'roles:get?filterByTk=member')).data.snippets as string[]) || [];
    expect(await snippets()).toContain('email-manager');
    expect(await snippets()).not.toContain('email-manager.all-mail');

    await page.goto(`${h.app.url}/admin/settings/users-permissions/roles`);
    await page.getByText('Member', { exact: true }).first().click({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Email', exact: true }).click();
    const grant = page.getByTestId('role-mail-email-manager.all-mail');
    await grant.waitFor({ timeout: 30_000 });
    expect(await grant.getAttribute('aria-checked')).toBe('false');
    expect(await page.getByTestId('role-mail-email-manager').getAttribute('aria-checked')).toBe('true');
    await grant.click();
    await until(snippets, (list: string[]) => list.includes('email-manager.all-mail'), 15_000, 'the grant saved');
    await screenshot(page, 'role-email-permissions', true);
    await grant.click();
    await until(snippets, (list: string[]) => !list.includes('email-manager.all-mail'), 15_000, 'the grant taken away');
    expect(await snippets()).toContain('email-manager');
  });
});
