import { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../dev/app';
import { DevEmulators, signInToApp, startDevEmulators } from '../../dev/dev-emulators';
import { summarize } from '../../dev/emulators';
import { eml } from '../helpers/threads';
import { Harness, screenshot, signIn, startHarness, until } from './harness';
import { api, linkMailbox } from './mail-api';

/**
 * The CRM blocks in a real NocoBase app (S-BLOCK-1…6), built through the admin UI on a modern
 * (flow engine) page: a Customers table with "Send email" on its top bar and rows, and a row
 * popup holding an "Email table" whose data scope is the popup record's email, picked with
 * NocoBase's own variable picker. Each customer's popup lists exactly that customer's mail (the
 * count a direct server query gives); switching the condition to the JSON `domains` field lists
 * the domain's mail; a subject opens the details, whose Reply reaches Gmail with the right
 * recipient; the row's Send email opens the editor with To filled; the top bar's Send email sends
 * a bulk job to the ticked rows, or with "All records" to every customer, each mail filled from
 * its row; the "Email send" block is a form whose defaults come from the popup record, and it
 * sends. A classic (v1) page gets the Email table, the Send email action on a Customers table's
 * top bar and rows, and an Email send block whose defaults use classic variables. Screenshots go
 * to docs/.
 */
const OWNER = 'ada@gmail.test';
const CUSTOMERS = [
  { name: 'Alice Acme', email: 'alice@acme.test', domains: ['acme.test'] },
  { name: 'Bob Beta', email: 'bob@beta.test', domains: ['beta.test'] },
  { name: 'Carl Gamma', email: 'carl@gamma.test', domains: ['gamma.test', '@gamma-mail.test'] },
];
/** What each customer's popup must list: by address (any participant), and by domain. */
const EXPECTED_BY_EMAIL: Record<string, number> = { 'Alice Acme': 3, 'Bob Beta': 2, 'Carl Gamma': 1 };
const EXPECTED_BY_DOMAIN: Record<string, number> = { 'Alice Acme': 3, 'Bob Beta': 2, 'Carl Gamma': 2 };

async function mailbox() {
  const day = (n: number) => new Date(Date.UTC(2025, 2, n, 9));
  return [
    await eml({ from: 'Alice <alice@acme.test>', to: OWNER, subject: 'Acme order 1', text: 'Please send the order.', messageId: '<acme-1@acme.test>', date: day(1) }),
    await eml({ from: OWNER, to: 'alice@acme.test', subject: 'Re: Acme order 1', text: 'Shipped.', date: day(2) }),
    await eml({ from: 'Ann <ann@acme.test>', to: OWNER, cc: 'alice@acme.test', subject: 'Acme invoice', text: 'Invoice attached.', date: day(3) }),
    await eml({ from: 'Bob <bob@beta.test>', to: OWNER, subject: 'Beta question', text: 'A question.', date: day(4) }),
    await eml({ from: OWNER, to: 'bob@beta.test', cc: 'carl@gamma.test', subject: 'Beta and Gamma', text: 'To both.', date: day(5) }),
    await eml({ from: 'Zed <zed@gamma-mail.test>', to: OWNER, subject: 'Gamma via partner', text: 'Partner mail.', date: day(6) }),
    await eml({ from: 'Dan <dan@other.test>', to: OWNER, subject: 'Unrelated', text: 'Lunch?', date: day(7) }),
  ];
}

describe('Email table, details and Send email on a CRM page', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let page: Page;
  let token: string;
  let pageUrl: string;
  let classicUrl: string;

  const visibleText = (scope: Page | Locator, text: string) => scope.locator(`span:text-is(${JSON.stringify(text)}):visible`).first();
  const customersTable = () => page.locator('.ant-table:visible').first();
  const popup = () => page.locator('.ant-drawer:visible').first();
  const emailTable = () => popup().getByTestId('email-table-block');
  const totalShown = async () => {
    const text = await emailTable().locator('.ant-pagination-total-text').innerText();
    return Number(text.match(/\d+/)?.[0]);
  };
  /** What the server answers the same query with (S-BLOCK-3/4), as the block's count must show. */
  const serverCount = async (filter: unknown) => {
    const query = new URLSearchParams({ filter: JSON.stringify(filter), pageSize: '1' });
    const body = await api(h.app.url, token, `mailMessages:blockList?${query}`);
    return body.meta.count as number;
  };
  const sent = () => emulators.google.requests.filter((r) => r.path.endsWith('/messages/send') && r.status && r.status < 300);

  /** UI editor mode on ("Add menu item" shows in the top bar only while it is on; it survives reloads). */
  async function uiEditorOn() {
    await page.getByTestId('ui-editor-button').waitFor({ timeout: 60_000 });
    const addMenuItem = page.getByText('Add menu item').first();
    const on = await addMenuItem.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (!on) await page.getByTestId('ui-editor-button').click();
    await addMenuItem.waitFor();
  }

  /**
   * The hover settings icon of the element under the mouse (flow engine toolbars show on hover):
   * the visible icon nearest the target's top-right corner, once the toolbar has stopped moving
   * (the same icon at the same place on two looks in a row).
   */
  async function settingsOf(target: Locator) {
    await target.hover();
    const icons = page.locator('[aria-label="flows-settings"]:visible');
    const nearest = async () => {
      const box = (await target.boundingBox())!;
      let best = { index: -1, x: 0, y: 0, distance: Infinity };
      for (let i = 0; i < (await icons.count()); i++) {
        const b = await icons.nth(i).boundingBox();
        if (!b) continue;
        const distance = Math.abs(b.x - (box.x + box.width)) + Math.abs(b.y - box.y);
        if (distance < best.distance) best = { index: i, x: Math.round(b.x), y: Math.round(b.y), distance };
      }
      return best;
    };
    let last = '';
    const found = await until(
      nearest,
      (best: Awaited<ReturnType<typeof nearest>>) => {
        const seen = JSON.stringify(best);
        const steady = best.index >= 0 && seen === last;
        last = seen;
        return steady;
      },
      10_000,
      'the settings icon of the hovered element',
    );
    await icons.nth(found.index).hover();
  }

  /**
   * Fields → a column, until its header shows: on a loaded machine a click while the menu
   * re-renders can miss, and clicking a ticked item again would take the column away.
   */
  async function addColumn(name: string) {
    const header = () => page.locator('th:visible').filter({ hasText: new RegExp(`^${name}$`) });
    for (let attempt = 0; attempt < 3 && (await header().count()) === 0; attempt++) {
      await visibleText(page, 'Fields').hover();
      await page.getByRole('menuitem', { name: new RegExp(`^${name}$`) }).click();
      await header().first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await header().first().waitFor({ timeout: 1_000 });
  }

  /** The "+" of the table's Actions column (row actions). */
  async function rowActionsMenu() {
    await page.mouse.move(5, 850);
    const header = page.locator('th:visible').filter({ hasText: /^Actions$/ }).first();
    await header.hover();
    const box = (await header.boundingBox())!;
    const icons = page.locator('[aria-label="plus"]:visible');
    for (let i = 0; i < (await icons.count()); i++) {
      const b = await icons.nth(i).boundingBox();
      if (b && b.y >= box.y - 24 && b.y <= box.y + box.height && b.x >= box.x && b.x <= box.x + box.width + 200) return icons.nth(i).hover();
    }
    throw new Error('no "+" on the Actions column');
  }

  /** Send in an editor (docked or in a block): the mail as the emulated Gmail received it. */
  async function sendAndReceive(editor: Locator) {
    const before = sent().length;
    await editor.getByTestId('compose-send').click();
    await page.getByText('Email sent successfully').first().waitFor({ timeout: 30_000 });
    await until(() => sent().length, before + 1);
    return summarize(sent().pop()!.mime!);
  }

  /** The bulk editor a top-bar Send email opened, for `count` recipients, with a subject and text written. */
  async function writeBulk(count: number, subject: string, text: string) {
    const compose = page.getByTestId('compose-window');
    await until(() => compose.getByTestId('compose-send').innerText(), (v: string) => v.includes(`Bulk send (${count})`), 30_000, 'bulk send button');
    await compose.getByTestId('compose-subject').fill(subject);
    await compose.getByTestId('compose-editor').click();
    await page.keyboard.type(text);
    return compose;
  }

  /** The CRM page's top-bar Send email, and its Recipients setting opened. */
  async function topBarRecipients() {
    await page.goto(pageUrl);
    await customersTable().waitFor({ timeout: 60_000 });
    await uiEditorOn();
    const action = page.locator('button:visible').filter({ hasText: /^Send email$/ }).first();
    await settingsOf(action);
    await page.getByRole('menuitem', { name: 'Recipients' }).click();
    return { action, modal: page.locator('.ant-modal:visible').last() };
  }

  async function openPopupOf(name: string) {
    if (await popup().isVisible()) {
      await page.keyboard.press('Escape');
      const closed = await popup().waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false);
      if (!closed) {
        await page.goto(pageUrl);
        await customersTable().waitFor({ timeout: 60_000 });
      }
    }
    await customersTable().locator('tr', { hasText: name }).getByText('View', { exact: true }).click();
    await emailTable().waitFor({ timeout: 30_000 });
  }

  /** Block settings → Data scope → the condition's field and its value from "Current popup record". */
  async function setDataScope(field: 'Any participant' | 'Domain', recordField: 'Email' | 'Domains') {
    await settingsOf(emailTable());
    await page.getByRole('menuitem', { name: 'Data scope' }).click();
    const modal = page.locator('.ant-modal:visible').last();
    await modal.getByText('Data scope').first().waitFor();
    if ((await modal.locator('textarea').count()) === 0) await modal.getByText('Add condition').click();
    await modal.getByTestId('email-scope-field').click();
    await page.locator('.ant-select-item-option:visible').filter({ hasText: new RegExp(`^${field}$`) }).click();
    await modal.locator('textarea').first().fill('');
    // NocoBase's own variable picker beside the value.
    await modal.locator('textarea').first().locator('xpath=ancestor::*[3]').locator('button, [role=button], .anticon').last().click();
    for (const item of ['Current popup', 'Current popup record', recordField]) {
      await page.locator('.ant-cascader-menu-item:visible').filter({ hasText: new RegExp(`^${item}$`) }).click();
    }
    await until(() => modal.locator('textarea').first().inputValue(), (v: string) => v.includes(`ctx.popup.record.${recordField.toLowerCase()}`));
    if (field === 'Domain') await screenshot(page, 'block-email-table-data-scope', true);
    // The picker may stay open over the Save button: click beside it first.
    await modal.locator('.ant-modal-title').click();
    await until(() => page.locator('.ant-cascader-menu-item:visible').count(), 0, 10_000, 'the variable picker to close');
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    emulators = await startDevEmulators({ mail: false });
    emulators.google.seed(OWNER, { eml: await mailbox(), labelIds: (i: number) => (i === 1 || i === 4 ? ['SENT'] : ['INBOX']) } as any);
    h = await startHarness('email-blocks', emulators.env);
    await emulators.configureApp(h.app.url, ADMIN);
    token = await signInToApp(h.app.url, ADMIN);
    await linkMailbox(h.app.url, token, emulators, 'gmail', OWNER);
    // The business collection: an email field and a JSON list of domains (S-BLOCK-4).
    await api(h.app.url, token, 'collections:create', {
      name: 'customers',
      title: 'Customers',
      fields: [
        { name: 'name', type: 'string', interface: 'input', uiSchema: { title: 'Name', type: 'string', 'x-component': 'Input' } },
        { name: 'email', type: 'string', interface: 'email', uiSchema: { title: 'Email', type: 'string', 'x-component': 'Input' } },
        { name: 'domains', type: 'json', interface: 'json', uiSchema: { title: 'Domains', type: 'object', 'x-component': 'Input.JSON' } },
      ],
    });
    for (const customer of CUSTOMERS) await api(h.app.url, token, 'customers:create', customer);
    page = h.page;
    await signIn(page, h.app.url);
  });
  afterAll(async () => {
    await h?.close();
    await emulators?.close();
  });

  it('builds the page through the menus: a Customers table with Send email, and a row popup with an Email table', async () => {
    await uiEditorOn();
    await page.getByText('Add menu item').first().hover();
    await page.getByRole('menuitem', { name: 'Modern page (v2)' }).click();
    const dialog = page.locator('.ant-modal:visible').last();
    await dialog.locator('input').first().fill('CRM');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.getByRole('menuitem', { name: 'CRM' }).click();
    await visibleText(page, 'Add block').waitFor();
    pageUrl = page.url();

    // Add block → Table → Customers (moving right first, so the submenu stays open).
    // On a busy machine the submenu can miss the first hover: hover again until it lists the collections.
    const roles = page.getByRole('menuitem', { name: /^Roles$/ }).last();
    await until(
      async () => {
        await visibleText(page, 'Add block').hover();
        await page.getByRole('menuitem', { name: 'Table' }).first().hover();
        return roles.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      },
      true,
      60_000,
      'the collections under Add block → Table',
    );
    await roles.hover();
    await page.getByRole('menuitem', { name: /^Customers$/ }).last().click();
    await page.locator('th:visible').filter({ hasText: /^Actions$/ }).first().waitFor();
    await addColumn('Name');
    await addColumn('Email');
    await page.mouse.move(5, 850);

    // The top bar's "Actions" menu and the rows' "+" both offer Send email (S-BLOCK-6).
    await visibleText(page, 'Actions').hover();
    await page.getByRole('menuitem', { name: /^Send email$/ }).waitFor();
    await screenshot(page, 'block-send-email-action-menu', true);
    await page.getByRole('menuitem', { name: /^Send email$/ }).click();
    await rowActionsMenu();
    await page.getByRole('menuitem', { name: /^View$/ }).click();
    await rowActionsMenu();
    await page.getByRole('menuitem', { name: /^Send email$/ }).click();
    await page.mouse.move(5, 850);
    await customersTable().locator('tr', { hasText: 'Alice Acme' }).getByText('Send email', { exact: true }).waitFor();

    // The row popup: Add block → Other blocks → Email table.
    await customersTable().locator('tr', { hasText: 'Alice Acme' }).getByText('View', { exact: true }).click();
    await visibleText(popup(), 'Add block').hover();
    const item = page.getByRole('menuitem', { name: /^Email table$/ });
    await item.scrollIntoViewIfNeeded();
    await item.hover();
    await screenshot(page, 'block-email-table-add-menu', true);
    await item.click();
    await emailTable().waitFor();
    // Without a data scope the block lists all the user's mail.
    await until(totalShown, await serverCount({}));
    expect(await totalShown()).toBe(7);
  });

  it('Data scope = any participant is the popup record\'s email: each customer sees exactly their mail', async () => {
    await setDataScope('Any participant', 'Email');
    for (const customer of CUSTOMERS) {
      await openPopupOf(customer.name);
      const expected = await serverCount({ participants: { $in: customer.email } });
      expect(expected).toBe(EXPECTED_BY_EMAIL[customer.name]);
      await until(totalShown, expected, 30_000, `${customer.name}'s mail`);
      if (customer.name === 'Alice Acme') await screenshot(page, 'block-email-table-popup', true);
    }
    // Stored with the page: the same after a reload.
    await page.goto(pageUrl);
    await customersTable().waitFor({ timeout: 60_000 });
    await openPopupOf('Bob Beta');
    await until(totalShown, EXPECTED_BY_EMAIL['Bob Beta']);
  });

  it('Data scope = domain in the popup record\'s JSON domains field: the domain\'s mail', async () => {
    await uiEditorOn();
    await openPopupOf('Carl Gamma');
    await setDataScope('Domain', 'Domains');
    for (const customer of CUSTOMERS) {
      await openPopupOf(customer.name);
      const expected = await serverCount({ domain: { $in: customer.domains } });
      expect(expected).toBe(EXPECTED_BY_DOMAIN[customer.name]);
      await until(totalShown, expected, 30_000, `${customer.name}'s domain mail`);
    }
    expect(await emailTable().getByTestId('email-table-subject').allInnerTexts()).toEqual(['Gamma via partner', 'Beta and Gamma']);
    await screenshot(page, 'block-email-table-domain', true);
  });

  it('a subject opens the details; Reply sends to the customer through Gmail', async () => {
    await openPopupOf('Alice Acme');
    await emailTable().getByTestId('email-table-subject').filter({ hasText: /^Acme order 1$/ }).click();
    const details = page.getByTestId('email-details');
    await details.waitFor({ timeout: 30_000 });
    expect(await details.getByTestId('email-details-subject').innerText()).toContain('Acme order 1');
    await details.getByText('Please send the order.').waitFor();
    for (const button of ['reply', 'replyAll', 'forward', 'markUnread', 'archive', 'trash']) {
      expect(await details.getByTestId(`email-details-${button}`).count(), button).toBe(1);
    }
    await screenshot(page, 'block-email-details', true);

    await details.getByTestId('email-details-reply').click();
    const compose = page.getByTestId('compose-window');
    await compose.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    expect(await compose.getByTestId('compose-to-token').allTextContents()).toEqual(['Alice']);
    await compose.getByTestId('compose-editor').click();
    await page.keyboard.type('Your order ships today.');
    await screenshot(page, 'block-email-details-reply', true);
    const mail = await sendAndReceive(compose);
    expect(mail.to.map((a) => a.address)).toEqual(['alice@acme.test']);
    expect(mail.subject).toBe('Re: Acme order 1');
    expect(mail.inReplyTo).toBe('<acme-1@acme.test>');
    expect(mail.html).toContain('Your order ships today.');
  });

  it('the row\'s Send email, set to the Email field, opens the editor with To filled', async () => {
    await page.goto(pageUrl);
    await customersTable().waitFor({ timeout: 60_000 });
    await uiEditorOn();
    const action = customersTable().locator('tr', { hasText: 'Bob Beta' }).getByText('Send email', { exact: true });
    await settingsOf(action);
    await page.getByRole('menuitem', { name: 'Recipients' }).click();
    const modal = page.locator('.ant-modal:visible').last();
    await modal.locator('.ant-select').first().click();
    await until(() => page.locator('.ant-select-item-option:visible').allInnerTexts(), ['Name', 'Email']);
    await page.locator('.ant-select-item-option:visible').filter({ hasText: /^Email$/ }).click();
    await screenshot(page, 'block-send-email-settings', true);
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.mouse.move(5, 850);

    await action.click();
    const compose = page.getByTestId('compose-window');
    await compose.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    await until(() => compose.getByTestId('compose-to-token').allTextContents(), ['bob@beta.test']);
    await screenshot(page, 'block-send-email-row', true);
  });

  it('the top bar\'s Send email with two rows ticked opens a bulk send, which creates one job for both', async () => {
    const { action, modal } = await topBarRecipients();
    await modal.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option:visible').filter({ hasText: /^Email$/ }).click();
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.mouse.move(5, 850);

    for (const name of ['Alice Acme', 'Bob Beta']) {
      // The row's checkbox shows in place of its number while the row is hovered.
      const row = customersTable().locator('tr', { hasText: name });
      await row.hover();
      await row.locator('input[type=checkbox]').evaluate((el: HTMLInputElement) => el.click());
    }
    await action.click();
    const compose = await writeBulk(2, 'News for {{record.name}}', 'Hello from the CRM.');
    await screenshot(page, 'block-send-email-bulk', true);
    await compose.getByTestId('compose-send').click();
    const jobs = await until(
      async () => (await api(h.app.url, token, 'mailMassMessages:listOwn')).data.rows as any[],
      (rows: any[]) => rows.length === 1,
      30_000,
      'the bulk job',
    );
    expect(jobs[0].counts.total).toBe(2);
    expect(jobs[0].source).toMatchObject({ collection: 'customers', emailFieldNames: ['email'], all: false });
  });

  it('with "All records" the top bar\'s Send email sends one mail to every customer, each with their own name', async () => {
    const { action, modal } = await topBarRecipients();
    const allRecords = modal.getByRole('checkbox');
    await allRecords.waitFor();
    // On a busy machine a click can land while the modal still renders: click until it is checked.
    await until(
      async () => {
        if (!(await allRecords.isChecked())) await modal.getByText('All records', { exact: true }).click();
        return allRecords.isChecked();
      },
      true,
      30_000,
      '"All records" checked',
    );
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.mouse.move(5, 850);

    // No row ticked: every record of the table is a recipient.
    await action.click();
    const compose = await writeBulk(3, 'Offer for {{record.name}}', 'A new offer.');
    await compose.getByTestId('compose-send').click();
    await page.getByText('Bulk send started').first().waitFor({ timeout: 30_000 });

    const jobs = await until(
      async () => (await api(h.app.url, token, 'mailMassMessages:listOwn')).data.rows as any[],
      (rows: any[]) => rows.length === 2 && rows.every((job) => job.status === 'sent'),
      90_000,
      'both bulk jobs sent',
    );
    const job = jobs.find((j) => j.source?.all);
    expect(job.counts).toMatchObject({ total: 3, sent: 3 });
    expect(job.source).toMatchObject({ collection: 'customers', emailFieldNames: ['email'], all: true });
    const offers = sent()
      .map((r) => summarize(r.mime!))
      .filter((m) => m.subject?.startsWith('Offer for '))
      .map((m) => `${m.to.map((a) => a.address).join()} ${m.subject}`)
      .sort();
    expect(offers).toEqual(CUSTOMERS.map((c) => `${c.email} Offer for ${c.name}`));
  });

  it('"Email send" in the popup is a form: To defaults to the popup record\'s email, and it sends through Gmail', async () => {
    await page.goto(pageUrl);
    await customersTable().waitFor({ timeout: 60_000 });
    await uiEditorOn();
    await openPopupOf('Carl Gamma');
    await visibleText(popup(), 'Add block').hover();
    const item = page.getByRole('menuitem', { name: /^Email send$/ });
    await item.scrollIntoViewIfNeeded();
    await item.click();
    const block = popup().getByTestId('email-send-block');
    await block.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    await settingsOf(block);
    // NocoBase's own card settings come with the block: title, block linkage rules, height.
    await page.getByRole('menuitem', { name: 'Default values' }).waitFor();
    for (const name of ['Title & description', 'Block linkage rules']) expect(await page.getByRole('menuitem', { name }).count(), name).toBe(1);
    await page.getByRole('menuitem', { name: 'Default values' }).click();
    const modal = page.locator('.ant-modal:visible').last();
    // To, Cc, Bcc, Subject, Content
    const fields = modal.locator('textarea');
    await fields.first().waitFor();
    expect(await fields.count()).toBe(5);
    await fields.first().locator('xpath=ancestor::*[3]').locator('button, [role=button], .anticon').last().click();
    for (const name of ['Current popup', 'Current popup record', 'Email']) {
      await page.locator('.ant-cascader-menu-item:visible').filter({ hasText: new RegExp(`^${name}$`) }).click();
    }
    await until(() => fields.first().inputValue(), (v: string) => v.includes('ctx.popup.record.email'));
    await modal.locator('.ant-modal-title').click();
    await until(() => page.locator('.ant-cascader-menu-item:visible').count(), 0, 10_000, 'the variable picker to close');
    await fields.nth(3).fill('Hello {{ ctx.popup.record.name }}');
    await fields.nth(4).fill('Dear {{ ctx.popup.record.name }},');
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });

    // The form in the page, filled from the defaults with the popup record's values.
    const form = block.getByTestId('compose-window');
    await until(() => form.getByTestId('compose-to-token').allTextContents(), ['carl@gamma.test']);
    await until(() => form.getByTestId('compose-subject').inputValue(), 'Hello Carl Gamma');
    await until(() => form.getByTestId('compose-editor').innerText(), (v: string) => v.includes('Dear Carl Gamma,'));
    await form.getByTestId('compose-editor').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Your quote is attached to our CRM.');
    await screenshot(page, 'block-email-send', true);
    const mail = await sendAndReceive(form);
    expect(mail.to.map((a) => a.address)).toEqual(['carl@gamma.test']);
    expect(mail.subject).toBe('Hello Carl Gamma');
    expect(mail.html).toContain('Dear Carl Gamma,');
    expect(mail.html).toContain('Your quote is attached to our CRM.');
    // A fresh form with the same defaults, ready for the next mail.
    await until(() => form.getByTestId('compose-editor').innerText(), (v: string) => v.includes('Dear Carl Gamma,') && !v.includes('Your quote'));
    await until(() => form.getByTestId('compose-to-token').allTextContents(), ['carl@gamma.test']);
  });

  it('classic page (v1): "Email table" is in Add block, lists the mail, and takes a data scope', async () => {
    await page.goto(`${h.app.url}/admin`);
    await uiEditorOn();
    await page.getByText('Add menu item').first().hover();
    await page.getByRole('menuitem', { name: 'Classic page (v1)' }).click();
    const dialog = page.locator('.ant-modal:visible').last();
    await dialog.locator('input').first().fill('CRM classic');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.getByRole('menuitem', { name: 'CRM classic' }).click();
    await until(async () => (await page.getByText('CRM classic', { exact: true }).count()) > 1, true);
    classicUrl = page.url();
    await visibleText(page, 'Add block').hover();
    const item = page.getByRole('menuitem', { name: /Email table$/ });
    await item.scrollIntoViewIfNeeded();
    await item.click();
    const block = page.getByTestId('email-table-block').locator('visible=true').first();
    await block.waitFor({ timeout: 30_000 });
    // Every mail of the user (with the reply and bulk mails sent above, as they arrive).
    await until(async () => Number((await block.locator('.ant-pagination-total-text').innerText()).match(/\d+/)?.[0]), (n: number) => n >= 7);

    await block.hover();
    await page.locator('[aria-label^="designer-schema-settings-EmailManagerEmailTableBlock"]:visible').first().hover();
    await page.getByRole('menuitem', { name: 'Data scope' }).click();
    const modal = page.locator('.ant-modal:visible').last();
    await modal.getByText('Add condition').click();
    await modal.locator('input.ant-input').last().fill('carl@gamma.test');
    await modal.getByRole('button', { name: /^(OK|Save|Submit)$/ }).click();
    await modal.waitFor({ state: 'hidden' });
    // Carl's mail (seeded, and what the tests above sent him), as a direct query counts it.
    const carls = await serverCount({ participants: { $in: 'carl@gamma.test' } });
    expect(carls).toBeGreaterThanOrEqual(1);
    await until(async () => Number((await block.locator('.ant-pagination-total-text').innerText()).match(/\d+/)?.[0]), carls);
    await page.reload();
    const reloaded = page.getByTestId('email-table-block').locator('visible=true').first();
    await reloaded.waitFor({ timeout: 60_000 });
    await until(async () => Number((await reloaded.locator('.ant-pagination-total-text').innerText()).match(/\d+/)?.[0]), carls);
    await screenshot(page, 'block-email-table-classic', true);
    // Account settings: the mail center's Settings, on its Accounts tab, with the linked mailbox.
    await reloaded.getByTestId('email-table-account-settings').click();
    const settings = page.locator('.ant-modal:visible').filter({ hasText: 'Settings' }).last();
    await settings.getByTestId(`account-${OWNER}`).waitFor({ timeout: 30_000 });
    await settings.locator('.ant-modal-close').click();
    await settings.waitFor({ state: 'hidden' });
    expect(h.foreignRequests).toEqual([]);
  });
  it('classic page (v1): a Customers table gets "Send email" on its top bar and rows; "Email send" resolves classic variables', async () => {
    await page.goto(classicUrl);
    await uiEditorOn();
    await visibleText(page, 'Add block').hover();
    await page.getByRole('menuitem', { name: 'Table' }).first().hover();
    await page.getByRole('menuitem', { name: /^Customers$/ }).last().click();
    const card = page.locator('.ant-card:visible').filter({ has: page.getByText('Configure columns') }).first();
    await card.waitFor({ timeout: 30_000 });
    const rows = card.locator('tr.ant-table-row');
    await until(() => rows.count(), 3);

    /** The action's settings → Recipients → the Email field. */
    const setRecipients = async (action: Locator) => {
      await action.hover();
      await page.locator('[aria-label^="designer-schema-settings-Action"]:visible').first().hover();
      await page.getByRole('menuitem', { name: 'Recipients' }).click();
      const modal = page.locator('.ant-modal:visible').last();
      await modal.locator('.ant-select').first().click();
      await page.locator('.ant-select-item-option:visible').filter({ hasText: /^Email$/ }).click();
      // The multiple select keeps its list open over the buttons: click beside it first.
      await modal.locator('.ant-modal-title').click();
      await until(() => page.locator('.ant-select-item-option:visible').count(), 0, 10_000, 'the field list to close');
      await modal.getByRole('button', { name: /^(OK|Submit|Save)$/ }).click();
      await modal.waitFor({ state: 'hidden' });
      await page.mouse.move(5, 850);
    };

    // The top bar: Configure actions → Send email; two rows ticked → a bulk send for two.
    await card.getByText('Configure actions').first().hover();
    await page.getByRole('menuitem', { name: /^Send email$/ }).click();
    await page.mouse.move(5, 850);
    const topBar = card.locator('button:visible').filter({ hasText: /^Send email$/ }).first();
    await topBar.waitFor();
    await setRecipients(topBar);
    for (let i = 0; i < 2; i++) {
      await rows.nth(i).hover();
      await rows.nth(i).locator('input[type=checkbox]').evaluate((el: HTMLInputElement) => el.click());
    }
    await topBar.click();
    const compose = page.getByTestId('compose-window');
    await until(() => compose.getByTestId('compose-send').innerText(), (v: string) => /Bulk send \(2\)/.test(v), 30_000, 'classic bulk send button');
    await screenshot(page, 'block-send-email-classic-bulk');
    await compose.getByTestId('compose-close').click();
    await compose.waitFor({ state: 'detached' });

    // The rows: the Actions column's menu → Send email, set to the Email field → To filled.
    await page.reload();
    await card.waitFor({ timeout: 60_000 });
    const actionsHeader = card.locator('th:visible').filter({ hasText: /^Actions$/ }).first();
    await actionsHeader.hover();
    // The column's "+" (its toolbar: drag, initializer, settings) opens the row actions menu.
    await actionsHeader.locator('[aria-label^="designer-schema-initializer-TableV2.Column"]').first().hover();
    await page.getByRole('menuitem', { name: /^Send email$/ }).click();
    await page.mouse.move(5, 850);
    const rowAction = rows.first().getByText('Send email', { exact: true });
    await rowAction.waitFor();
    await setRecipients(rowAction);
    const firstEmail = (await rows.first().innerText()).match(/[\w.]+@[\w.]+/)?.[0];
    await rows.first().getByText('Send email', { exact: true }).click();
    await compose.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    const to = await until(() => compose.getByTestId('compose-to-token').allTextContents(), (v: string[]) => v.length === 1);
    expect(CUSTOMERS.map((c) => c.email)).toContain(to[0]);
    if (firstEmail) expect(to[0]).toBe(firstEmail);
    await compose.getByTestId('compose-close').click();

    // Email send with classic variables in its defaults.
    await visibleText(page, 'Add block').hover();
    const item = page.getByRole('menuitem', { name: /Email send$/ });
    await item.scrollIntoViewIfNeeded();
    await item.click();
    const block = page.getByTestId('email-send-block').locator('visible=true').first();
    await block.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    await block.hover();
    await page.locator('[aria-label^="designer-schema-settings-EmailManagerEmailSendBlock"]:visible').first().hover();
    await page.getByRole('menuitem', { name: 'Default values' }).click();
    const modal = page.locator('.ant-modal:visible').last();
    const fields = modal.locator('textarea');
    await fields.first().waitFor();
    expect(await fields.count()).toBe(5);
    await fields.nth(0).fill('carl@gamma.test');
    await fields.nth(3).fill('Hi from {{$user.nickname}}');
    await fields.nth(4).fill('Sent by {{$user.email}}');
    await modal.getByRole('button', { name: /^(OK|Submit|Save)$/ }).click();
    await modal.waitFor({ state: 'hidden' });
    const form = page.getByTestId('email-send-block').locator('visible=true').first();
    await until(() => form.getByTestId('compose-to-token').allTextContents(), ['carl@gamma.test']);
    const subject = await until(() => form.getByTestId('compose-subject').inputValue(), (v: string) => v.startsWith('Hi from ') && v.length > 8);
    expect(subject).not.toContain('{{');
    await until(() => form.getByTestId('compose-editor').innerText(), (v: string) => v.includes(`Sent by ${ADMIN.email}`));
    await page.mouse.move(5, 850);
    await screenshot(page, 'block-email-send-classic', true);
    expect(h.foreignRequests).toEqual([]);
  });
});
