import { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, screenshot, signIn, startHarness, until } from './harness';

/**
 * The "Email" block in a real NocoBase app: the admin adds it through "Add block" on both page
 * kinds the admin UI creates (Classic page (v1) = schema pages, Modern page (v2) = flow pages)
 * and in their record popups; it is saved with the page and comes back after a reload.
 */

const BLOCK = 'mail-center-block';
/** Classic menus prefix the item's name with its icon's label ("mail"). */
const EMAIL_ITEM = /^(mail )?Email$/;
const NO_MAIL = { name: 'nomail', email: 'nomail@nocobase.com', password: 'NoMail-123' };

async function api(page: Page, action: string, values: unknown) {
  return page.evaluate(
    async ({ action, values }) => {
      const res = await fetch(`/api/${action}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${localStorage.getItem('NOCOBASE_TOKEN')}`,
          'X-Authenticator': localStorage.getItem('NOCOBASE_AUTH') || 'basic',
        },
        body: JSON.stringify(values),
      });
      return { status: res.status, body: await res.text() };
    },
    { action, values },
  );
}

/** UI editor mode: "Add menu item" shows in the top bar only while it is on. */
async function uiEditorOn(page: Page) {
  const addMenuItem = page.getByText('Add menu item').first();
  if (!(await addMenuItem.isVisible())) await page.getByTestId('ui-editor-button').click();
  await addMenuItem.waitFor();
}

async function createPage(page: Page, kind: 'Classic page (v1)' | 'Modern page (v2)', title: string) {
  await uiEditorOn(page);
  await page.getByText('Add menu item').first().hover();
  await page.getByRole('menuitem', { name: kind }).click();
  const dialog = page.locator('.ant-modal:visible').last();
  await dialog.locator('input').first().fill(title);
  await dialog.getByRole('button', { name: 'Save' }).click();
  // The menu item is under the closing dialog until it has gone (slow on a loaded machine).
  await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
  await page.getByRole('menuitem', { name: title }).click();
  // The title shows twice once the page is open: in the menu and in the page header.
  await until(async () => (await page.getByText(title, { exact: true }).count()) > 1, true, 30_000, `the page "${title}" open`);
  await page.getByText('Add block', { exact: true }).first().waitFor();
  return page.url();
}

/** Opens an "Add block" menu (of the page, or of a popup when `scope` is its drawer) and adds "Email". */
async function addEmailBlock(page: Page, scope: Page | Locator = page, shotName?: string) {
  await scope.getByText('Add block', { exact: true }).first().hover();
  const item = page.getByRole('menuitem', { name: EMAIL_ITEM });
  await item.scrollIntoViewIfNeeded();
  await item.hover();
  if (shotName) await screenshot(page, shotName);
  await item.click();
  await scope.getByTestId(BLOCK).first().waitFor();
}

async function heightOf(locator: Locator) {
  return Math.round((await locator.boundingBox())!.height);
}

/** Block settings → height → "Specify height" → px. */
async function specifyHeight(page: Page, settings: Locator, itemName: string, px: number) {
  await page.getByTestId(BLOCK).first().hover();
  await settings.hover();
  await page.getByRole('menuitem', { name: itemName }).click();
  const dialog = page.locator('.ant-modal:visible').last();
  await dialog.getByText('Specify height').click();
  await dialog.locator('input.ant-input-number-input').fill(String(px));
  await dialog.getByRole('button', { name: /^(OK|Save|Submit)$/ }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The visible toolbar icon of a modern table's "Actions" column header (hovered first). */
async function actionsColumnIcon(page: Page, ariaLabel: string) {
  const header = page.locator('th').filter({ hasText: /^Actions$/ }).first();
  await header.hover();
  const box = (await header.boundingBox())!;
  const icons = page.locator(`[aria-label="${ariaLabel}"]:visible`);
  for (let i = 0; i < (await icons.count()); i++) {
    const b = await icons.nth(i).boundingBox();
    if (b && b.y >= box.y - 24 && b.y <= box.y + box.height && b.x >= box.x && b.x <= box.x + box.width + 200) return icons.nth(i);
  }
  throw new Error(`no ${ariaLabel} icon on the Actions column`);
}

describe('"Email" block in a real NocoBase app', () => {
  let h: Harness;
  const pages: { modern?: string; classic?: string } = {};

  beforeAll(async () => {
    h = await startHarness('mail-block');
    await signIn(h.page, h.app.url);
    // A role that may configure pages but lacks the mail snippet; created before the pages,
    // so allowNewMenu gives it the menu items the tests add.
    const role = await api(h.page, 'roles:create', {
      name: NO_MAIL.name,
      title: 'No mail',
      snippets: ['ui.*', '!email-manager'],
      allowNewMenu: true,
    });
    expect(role.status, role.body).toBe(200);
    const user = await api(h.page, 'users:create', {
      nickname: 'No mail',
      username: NO_MAIL.name,
      email: NO_MAIL.email,
      password: NO_MAIL.password,
      roles: [{ name: NO_MAIL.name }],
    });
    expect(user.status, user.body).toBe(200);
  });
  afterAll(async () => h?.close());

  it('Modern page (v2): adds "Email" from Add block → Other blocks, keeps it after a reload, and sizes it', async () => {
    const { page } = h;
    pages.modern = await createPage(page, 'Modern page (v2)', 'Mail modern');
    await addEmailBlock(page, page, 'mail-block-v2-add-menu');
    expect(await page.getByTestId(BLOCK).count()).toBe(1);

    await page.reload();
    await page.getByTestId(BLOCK).first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId(BLOCK).count()).toBe(1);

    // The card's "Block height" (BlockModel's own setting) sizes the card; the mail center fills it.
    await specifyHeight(page, page.locator('[aria-label="flows-settings"]:visible').last(), 'Block height', 420);
    await page.reload();
    await page.getByTestId(BLOCK).first().waitFor({ timeout: 60_000 });
    // The card lays out in steps after the reload: wait until the mail center fills it.
    const height = await until(() => heightOf(page.getByTestId(BLOCK).first()), (px: number) => px > 300 && px < 420, 30_000, 'the block height after the reload');
    expect(height).toBeGreaterThan(300);
    expect(height).toBeLessThan(420);
    await screenshot(page, 'mail-block-v2-reloaded', true);
    expect(h.foreignRequests).toEqual([]);
  });

  it('Classic page (v1): adds "Email" from Add block → Other blocks, keeps it after a reload, and sizes it', async () => {
    const { page } = h;
    pages.classic = await createPage(page, 'Classic page (v1)', 'Mail classic');
    await addEmailBlock(page, page, 'mail-block-v1-add-menu');

    await page.reload();
    await page.getByTestId(BLOCK).first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId(BLOCK).count()).toBe(1);

    const settings = page.locator('[aria-label^="designer-schema-settings-EmailManagerMailCenterBlock"]').first();
    await page.getByTestId(BLOCK).first().hover();
    await settings.hover();
    const menu = await page.locator('.ant-dropdown:visible').last().innerText();
    expect(menu).toContain('Set block height');
    expect(menu).toContain('Delete');
    await page.mouse.move(5, 300);
    await specifyHeight(page, settings, 'Set block height', 420);
    await page.reload();
    await page.getByTestId(BLOCK).first().waitFor({ timeout: 60_000 });
    expect(await heightOf(page.getByTestId(BLOCK).first())).toBe(420);
    await screenshot(page, 'mail-block-v1-reloaded');
  });

  it('Classic record popup: "Email" can be added to a View popup and stays there', async () => {
    const { page } = h;
    await page.goto(pages.classic!);
    await page.getByTestId(BLOCK).first().waitFor({ timeout: 60_000 });
    await uiEditorOn(page);
    await page.getByText('Add block', { exact: true }).first().hover();
    await page.getByRole('menuitem', { name: 'Table' }).first().hover();
    await page.getByRole('menuitem', { name: /^Users$/ }).first().click();
    await page.locator('th').filter({ hasText: /^Actions$/ }).first().waitFor();
    await page.locator('th').filter({ hasText: /^Actions$/ }).first().hover();
    await page.locator('[aria-label^="designer-schema-initializer-TableV2.Column-fieldSettings:TableColumn-users"]').first().hover();
    await page.getByRole('menuitem', { name: /^View$/ }).click();
    await page.mouse.move(5, 300);
    await page.locator('.ant-table').getByText('View', { exact: true }).first().click();
    const drawer = page.locator('.ant-drawer:visible').last();
    await drawer.getByText('Add block', { exact: true }).first().waitFor();
    await addEmailBlock(page, drawer, 'mail-block-v1-popup-add-menu');

    await page.reload();
    await page.locator('.ant-drawer:visible').last().getByTestId(BLOCK).waitFor({ timeout: 60_000 });
    await screenshot(page, 'mail-block-v1-popup');
  });

  it('Modern record popup: "Email" can be added to a View popup and stays there', async () => {
    const { page } = h;
    await page.goto(pages.modern!);
    await page.getByTestId(BLOCK).first().waitFor({ timeout: 60_000 });
    await uiEditorOn(page);
    await page.getByText('Add block', { exact: true }).first().hover();
    await page.getByRole('menuitem', { name: 'Table' }).first().hover();
    await page.getByRole('menuitem', { name: /^Users$/ }).first().click();
    await page.locator('th').filter({ hasText: /^Actions$/ }).first().waitFor();
    await (await actionsColumnIcon(page, 'plus')).hover();
    await page.getByRole('menuitem', { name: /^View$/ }).click();
    await page.mouse.move(5, 300);
    await page.locator('.ant-table').getByText('View', { exact: true }).first().click();
    const drawer = page.locator('.ant-drawer:visible').last();
    await drawer.getByText('Add block', { exact: true }).first().waitFor();
    await addEmailBlock(page, drawer, 'mail-block-v2-popup-add-menu');

    await page.reload();
    await page.locator('.ant-drawer:visible').last().getByTestId(BLOCK).waitFor({ timeout: 60_000 });
    await screenshot(page, 'mail-block-v2-popup');
  });

  it('a role without the email-manager snippet sees a notice instead of mail, and no "Email" in Add block', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await signIn(page, h.app.url, NO_MAIL.email, NO_MAIL.password);
      for (const url of [pages.modern!, pages.classic!]) {
        await page.goto(url.split('/popups/')[0].split('/view/')[0]);
        await page.getByTestId('mail-center-block-forbidden').first().waitFor({ timeout: 60_000 });
        expect(await page.getByTestId(BLOCK).first().innerText()).toContain('You do not have permission to use email');
        await uiEditorOn(page);
        await page.getByText('Add block', { exact: true }).last().hover();
        await page.getByRole('menuitem', { name: /Markdown$/ }).first().waitFor();
        expect(await page.getByRole('menuitem', { name: EMAIL_ITEM }).count()).toBe(0);
        await screenshot(page, `mail-block-no-snippet-${url === pages.modern ? 'v2' : 'v1'}`);
        await page.mouse.move(5, 300);
      }
    } finally {
      await context.close();
    }
  });
});
