import { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../dev/app';
import { DevEmulators, signInToApp, startDevEmulators } from '../../dev/dev-emulators';
import { eml } from '../helpers/threads';
import { animationsDone, Harness, screenshot, signIn, startHarness, until } from './harness';
import { api, linkMailbox } from './mail-api';

/**
 * Mail in workflows in a real app (S-WF-1/2): the admin allows workflows on their Gmail mailbox,
 * builds "Email received (from …@acme.test) → Send email from mailbox (the same mailbox, a reply)"
 * in the workflow editor and turns it on; a mail delivered to the Gmail emulator is synced, the
 * workflow runs once, and its acknowledgement is sent through the emulator in the mail's thread.
 */
const MAILBOX = 'ada@gmail.test';
const WORKFLOW = 'Acknowledge acme mail';
const ACK = 'Thanks, we received your email.';

describe('mail in workflows, built in the workflow editor', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let page: Page;
  let token: string;
  let accountId: number;
  let workflowId: number;

  beforeAll(async () => {
    emulators = await startDevEmulators();
    h = await startHarness('workflow', emulators.env);
    await emulators.configureApp(h.app.url, ADMIN);
    token = await signInToApp(h.app.url, ADMIN);
    accountId = await linkMailbox(h.app.url, token, emulators, 'gmail', MAILBOX);
    page = h.page;
    await signIn(page, h.app.url);
  });
  afterAll(async () => {
    await h?.close();
    await emulators?.close();
  });

  /** The drawer the editor opens for a trigger or node, and its Submit. */
  const drawer = () => page.locator('.ant-drawer-content').last();
  const submit = async () => {
    await drawer().getByRole('button', { name: 'Submit' }).click();
    await drawer().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
  };

  it('the owner allows workflows on the mailbox in Email accounts', async () => {
    await page.goto(`${h.app.url}/admin`);
    await page.locator('[data-testid="user-center-button"]').hover({ timeout: 60_000 });
    await page.getByTestId('user-menu-email-accounts').click();
    const row = page.getByTestId(`account-${MAILBOX}`);
    await row.waitFor({ timeout: 30_000 });
    const toggle = row.getByTestId('workflow-access');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await until(() => toggle.getAttribute('aria-checked'), 'true', 15_000, 'the switch');
    const own = (await api(h.app.url, token, 'mailAccounts:listOwn')).data as any[];
    expect(own.find((a) => a.id === accountId)?.workflowAccess).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('the admin creates the workflow with the trigger "Email received"', async () => {
    await page.goto(`${h.app.url}/admin/settings/workflow`);
    await page.getByRole('button', { name: /Add new/ }).first().click();
    const form = drawer();
    const item = (label: string) => form.locator('.ant-formily-item', { has: page.locator('.ant-formily-item-label', { hasText: label }) }).first();
    await item('Name').locator('input').fill(WORKFLOW);
    await item('Trigger type').locator('.ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: 'Email received' }).click();
    await submit();
    const created = await until(
      async () => ((await api(h.app.url, token, `workflows:list?filter=${encodeURIComponent(JSON.stringify({ title: WORKFLOW }))}`)).data as any[])[0],
      (w: any) => Boolean(w?.id),
      30_000,
      'the new workflow',
    );
    expect(created.type).toBe('email-received');
    workflowId = created.id;
  });

  it('configures the trigger: this mailbox, mail from @acme.test', async () => {
    await page.goto(`${h.app.url}/admin/settings/workflow/workflows/${workflowId}`);
    await page.getByText('Email received').first().waitFor({ timeout: 60_000 });
    // The card opens its drawer from its header (the title below it is a text box).
    await page.locator('[aria-label^="Trigger-"]').first().locator('.workflow-node-meta').click();
    const form = drawer();
    await form.getByTestId('trigger-accounts').waitFor({ timeout: 30_000 });
    await form.getByLabel('Chosen mailboxes').check();
    await form.getByTestId('trigger-accounts-ids').locator('.ant-select-selector').click();
    await page.locator('.ant-select-item-option', { hasText: MAILBOX }).click();
    // Closes the open list (Escape would close the drawer).
    await form.getByText('Only emails that match').click();
    await form.getByTestId('trigger-filter-add').click();
    const row = form.getByTestId('trigger-filter-row');
    await row.locator('.ant-select').nth(1).click();
    await page.locator('.ant-select-item-option:visible', { hasText: /^contains$/ }).click();
    await row.locator('input.ant-input').fill('@acme.test');
    await animationsDone(page);
    await screenshot(page, 'workflow-trigger-form', true);
    await submit();
    const saved = (await api(h.app.url, token, `workflows:get?filterByTk=${workflowId}`)).data;
    expect(saved.config).toMatchObject({ accounts: { mode: 'accounts', ids: [accountId] }, boxes: ['inbox'], filter: { $and: [{ from: { $includes: '@acme.test' } }] } });
  });

  it('adds the node "Send email from mailbox": the same mailbox, a reply to the mail', async () => {
    await page.getByLabel('add-button', { exact: true }).first().click();
    // The "Add node" drawer lists the node under "Extended types", with its icon.
    await drawer().getByText('Send email from mailbox', { exact: true }).click();
    const node = page.locator('[aria-label^="Send email from mailbox-"]').first();
    await node.waitFor({ timeout: 30_000 });
    await screenshot(page, 'workflow-canvas-with-node');
    const form = drawer();
    if (!(await form.getByText('Send from').isVisible().catch(() => false))) await node.locator('.workflow-node-meta').click();
    await form.getByText('The mailbox that received the email (or of the user who triggered)').waitFor({ timeout: 30_000 });
    // The reply goes to the sender: "Reply to email" takes the trigger's email id from the variable picker.
    const reply = form.locator('.ant-formily-item', { hasText: 'Reply to email' }).first();
    await reply.getByRole('button').last().click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'Trigger variables' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: /^Email$/ }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'Email ID' }).click();
    const html = form.locator('.ant-formily-item', { hasText: 'Content (HTML)' }).locator('textarea').first();
    await html.fill(`<p>${ACK}</p>`);
    // The picture starts at "Send from" (filling the body scrolled the drawer down).
    await form.getByText('Send from').first().scrollIntoViewIfNeeded();
    await animationsDone(page);
    await screenshot(page, 'workflow-send-node-form', true);
    await submit();
    const nodes = (await api(h.app.url, token, `workflows/${workflowId}/nodes:list`)).data as any[];
    expect(nodes).toHaveLength(1);
    expect(nodes[0].type).toBe('email-send');
    expect(nodes[0].config).toMatchObject({ account: { mode: 'triggering-user' }, replyToMessageId: '{{$context.message.id}}', html: `<p>${ACK}</p>` });
  });

  it('turned on, it answers a mail from acme once, in its thread, through the emulator', async () => {
    await page.getByRole('switch').first().click();
    await until(async () => (await api(h.app.url, token, `workflows:get?filterByTk=${workflowId}`)).data.enabled, true, 15_000, 'the workflow enabled');
    await screenshot(page, 'workflow-canvas');

    const sentBefore = emulators.google.mailboxOf(MAILBOX).filter((m) => m.labelIds.includes('SENT')).length;
    const receivedId = emulators.google.addMessage(MAILBOX, {
      raw: await eml({ from: 'Carl <carl@acme.test>', to: MAILBOX, subject: 'Order 42', text: 'Where is my order?', date: new Date() }),
      labelIds: ['INBOX', 'UNREAD'],
    } as any);
    // Mail from elsewhere does not match the filter.
    emulators.google.addMessage(MAILBOX, {
      raw: await eml({ from: 'dan@other.test', to: MAILBOX, subject: 'Hello', text: 'Hi', date: new Date() }),
      labelIds: ['INBOX', 'UNREAD'],
    } as any);
    // A sync of the account may be under way (409): ask until one is queued.
    await until(async () => Boolean(await api(h.app.url, token, 'mailAccounts:syncNow', {})), true, 30_000, 'a sync queued');

    const executions = await until(
      async () => (await api(h.app.url, token, `executions:list?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&appends[]=jobs`)).data as any[],
      (list: any[]) => list.length === 1 && list[0].status === 1,
      90_000,
      'one resolved execution',
    );
    const context = executions[0].context.message;
    expect(context.subject).toBe('Order 42');
    expect(context.from.address).toBe('carl@acme.test');
    const result = executions[0].jobs[0].result;
    const sent = emulators.google.mailboxOf(MAILBOX).find((m) => m.id === result.providerMessageId);
    expect(sent?.labelIds).toContain('SENT');
    const received = emulators.google.mailboxOf(MAILBOX).find((m) => m.id === receivedId);
    expect(sent?.threadId).toBe(received?.threadId);
    expect(emulators.google.mailboxOf(MAILBOX).filter((m) => m.labelIds.includes('SENT')).length).toBe(sentBefore + 1);
  });
});
