/**
 * The three places a mail body is shown, driven one mail after another without reloading the
 * app: the mail center reader (keyboard `j` to the next conversation), the Email details
 * drawer of an Email table block (each row's subject), and the quote of a reply (Reply, then
 * "…" to unfold the original). Each pass reports which vectors it opened; the HostileWatch
 * records what they did.
 */
import type { Locator, Page } from 'playwright-core';
import { screenshot, settle, until } from '../e2e/harness';
import { vectorIdOfSubject } from './corpus';
import { SHOWCASE_ID } from './markup-vectors';
import type { HostileWatch } from './watch';

/*
 * The pauses below are the point of these checks, not a wait for the page: a rendered mail starts
 * its own loads (image errors, CSS fetches, a script that must not run) in its own time, and no
 * event says "nothing more will start". So each view is given a fixed time to misbehave before
 * the watch checks that nothing did; a condition cannot replace this (it would wait for a load
 * that must never happen). Everything the test itself needs (rendered bodies, the next mail, the
 * drawer, the "Show images" bar gone) is waited for by condition.
 */
/** After a mail's body has rendered: time for what it starts by itself before the check. */
const SETTLE_MS = 120;
/** After "Show images" took effect (its bar is gone): time for the now allowed loads, and any others, to start. */
const SHOWN_SETTLE_MS = 250;
/** After the last mail of a pass, or one mail opened on its own: time for late loads (timers, nested CSS) before the final check. */
export const LATE_SETTLE_MS = 1_000;
const ROWS_PER_PAGE = 100;

export interface PassResult {
  opened: string[];
  /** Mails whose view had no HTML body (everything was stripped, or the quote was empty). */
  withoutHtml: string[];
  /** Mails for which "Show images" was offered (and clicked, in the reader). */
  showImages: string[];
  ms: number;
}

const newResult = (): PassResult => ({ opened: [], withoutHtml: [], showImages: [], ms: 0 });

/** The body of a message view once rendered: its frame (HTML) or the plain-text body. */
async function bodyRendered(scope: Locator) {
  await until(async () => (await scope.locator('.ant-skeleton').count()) === 0 && (await scope.locator('[data-testid="mail-body-frame"], [data-testid="mail-text-body"]').count()) > 0, true, 30_000, 'the body rendered');
  return (await scope.locator('[data-testid="mail-body-frame"]').count()) > 0;
}

const pressJ = (page: Page) => page.evaluate(() => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true })));

/** The mail center at /admin/mail?box=all with 100 conversations a page. */
async function openMailCenter(page: Page, appUrl: string) {
  await page.goto(`${appUrl}/admin/mail?box=all`);
  const rows = page.locator('[data-testid^="thread-row-"]');
  await rows.first().waitFor({ timeout: 60_000 });
  await page.getByTestId('mail-pagination').locator('.ant-select').click();
  await page.locator('.ant-select-item-option', { hasText: String(ROWS_PER_PAGE) }).click();
  await until(() => rows.count(), (n: number) => n > 20, 30_000, 'rows after choosing 100 a page');
  return rows;
}

/**
 * Walks every conversation of the mail center, page by page, calling `each` with the reader
 * showing it (its vector id from the subject).
 */
async function walkMailCenter(page: Page, appUrl: string, total: number, each: (id: string, reader: Locator) => Promise<void>) {
  const rows = await openMailCenter(page, appUrl);
  const reader = page.locator('[data-testid="mail-reader"][data-loading="false"]');
  const subject = page.getByTestId('mail-reader-subject');
  let seen = 0;
  for (let pageNo = 1; seen < total; pageNo++) {
    if (pageNo > 1) {
      const firstBefore = await rows.first().getAttribute('data-testid');
      await page.getByTestId('mail-pagination').locator('.ant-pagination-next').click();
      await until(() => rows.first().getAttribute('data-testid'), (v: string | null) => v !== firstBefore, 30_000, `page ${pageNo}`);
    }
    const onPage = await rows.count();
    await rows.first().locator('[data-testid="thread-subject"]').click();
    let previous = '';
    for (let i = 0; i < onPage; i++) {
      if (i > 0) await pressJ(page);
      await reader.waitFor({ timeout: 30_000 });
      const text = await until(async () => (await reader.count()) > 0 && ((await subject.textContent()) ?? ''), (v: string | false) => Boolean(v) && v !== previous, 30_000, 'the next conversation');
      previous = text as string;
      await each(vectorIdOfSubject(previous), reader);
      seen++;
    }
    await page.getByTestId('mail-action-back').click();
  }
}

/** (a) The reader: each mail, checked, then (if offered) "Show images" and checked again. */
export async function readerPass(page: Page, appUrl: string, total: number, watch: HostileWatch): Promise<PassResult> {
  const result = newResult();
  const started = Date.now();
  await walkMailCenter(page, appUrl, total, async (id, reader) => {
    watch.showing(page, id);
    if (!(await bodyRendered(reader))) result.withoutHtml.push(id);
    await settle(page, SETTLE_MS);
    await watch.check(page);
    const bar = reader.getByTestId('mail-show-images');
    if (id === SHOWCASE_ID) await screenshot(page, 'hostile-reader', true);
    if ((await bar.count()) > 0) {
      result.showImages.push(id);
      watch.showImages(page, id);
      const bars = await bar.count();
      await bar.first().getByTestId('mail-show-images-button').click();
      await until(() => bar.count(), (n: number) => n < bars, 30_000, '"Show images" taking effect');
      await settle(page, SHOWN_SETTLE_MS);
      await watch.check(page);
      if (id === SHOWCASE_ID) await screenshot(page, 'hostile-reader-images-shown', true);
    }
    result.opened.push(id);
  });
  await settle(page, LATE_SETTLE_MS);
  await watch.check(page);
  result.ms = Date.now() - started;
  return result;
}

/** (c) The reply quote: Reply on each mail, unfold the quote, check, close the (unchanged) reply. */
export async function quotePass(page: Page, appUrl: string, total: number, watch: HostileWatch): Promise<PassResult> {
  const result = newResult();
  const started = Date.now();
  const compose = page.getByTestId('compose-window');
  await walkMailCenter(page, appUrl, total, async (id, reader) => {
    watch.showing(page, id);
    await page.locator('[data-testid^="mail-reply-"]:not([data-testid^="mail-reply-all-"])').last().click();
    await compose.getByTestId('compose-editor').waitFor({ timeout: 30_000 });
    const toggle = compose.getByTestId('compose-quote-toggle');
    const hasQuote = await toggle.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (hasQuote) {
      await toggle.click();
      if (!(await bodyRendered(compose.getByTestId('compose-quote')))) result.withoutHtml.push(id);
      if ((await compose.getByTestId('mail-show-images').count()) > 0) result.showImages.push(id);
    } else {
      result.withoutHtml.push(id);
    }
    await settle(page, SETTLE_MS);
    await watch.check(page);
    if (id === SHOWCASE_ID) await screenshot(page, 'hostile-quote', true);
    await compose.getByTestId('compose-close').click();
    const leave = page.getByTestId('compose-leave-discard');
    if (await leave.waitFor({ timeout: 500 }).then(() => true, () => false)) await leave.click();
    await compose.waitFor({ state: 'detached', timeout: 15_000 });
    await reader.waitFor();
    result.opened.push(id);
  });
  await settle(page, LATE_SETTLE_MS);
  await watch.check(page);
  result.ms = Date.now() - started;
  return result;
}

/** UI editor mode on ("Add menu item" shows in the top bar only while it is on). */
async function uiEditorOn(page: Page) {
  await page.getByTestId('ui-editor-button').waitFor({ timeout: 60_000 });
  const addMenuItem = page.getByText('Add menu item').first();
  if (!(await addMenuItem.waitFor({ timeout: 3_000 }).then(() => true, () => false))) await page.getByTestId('ui-editor-button').click();
  await addMenuItem.waitFor();
}

/** A classic page with one Email table block (as an admin builds it); answers the block. */
export async function emailTablePage(page: Page, appUrl: string) {
  await page.goto(`${appUrl}/admin`);
  await uiEditorOn(page);
  await page.getByText('Add menu item').first().hover();
  await page.getByRole('menuitem', { name: 'Classic page (v1)' }).click();
  const dialog = page.locator('.ant-modal:visible').last();
  await dialog.locator('input').first().fill('Hostile mail');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
  // The new page opens from its menu item; on a busy machine the first click can land while the
  // menu still re-renders after the save, so it is clicked again until the page's "Add block" shows.
  const addBlock = page.getByText('Add block', { exact: true }).locator('visible=true').first();
  await until(
    async () => {
      if (await addBlock.isVisible()) return true;
      await page.getByRole('menuitem', { name: 'Hostile mail' }).click({ timeout: 10_000 });
      return addBlock.waitFor({ timeout: 15_000 }).then(() => true, () => false);
    },
    true,
    90_000,
    'the new page with "Add block"',
  );
  await addBlock.hover();
  const item = page.getByRole('menuitem', { name: /Email table$/ });
  await item.scrollIntoViewIfNeeded();
  await item.click();
  const block = page.getByTestId('email-table-block').locator('visible=true').first();
  await block.locator('[data-testid="email-table-row"]').first().waitFor({ timeout: 60_000 });
  // The editor's hover toolbars would sit over the rows: switch it off again.
  await page.getByTestId('ui-editor-button').click();
  return block;
}

/** (b) The Email details drawer: every row's subject, the drawer switching from mail to mail. */
export async function detailsPass(page: Page, block: Locator, total: number, watch: HostileWatch): Promise<PassResult> {
  const result = newResult();
  const started = Date.now();
  const rows = block.locator('[data-testid="email-table-row"]');
  await block.locator('.ant-pagination-options .ant-select').click();
  await page.locator('.ant-select-item-option', { hasText: `${ROWS_PER_PAGE} /` }).click();
  await until(() => rows.count(), (n: number) => n > 20, 30_000, 'table rows after choosing 100 a page');
  const drawer = page.getByTestId('email-details-drawer');
  for (let pageNo = 1; result.opened.length < total; pageNo++) {
    if (pageNo > 1) {
      const firstBefore = await rows.first().getAttribute('data-id');
      // The drawer is closed (Escape below) before the pager is used: its mask would take the click.
      await block.locator('.ant-pagination-next').click();
      const moved = await until(() => rows.first().getAttribute('data-id'), (v: string | null) => v !== firstBefore, 10_000, `table page ${pageNo}`).then(
        () => true,
        () => false,
      );
      if (!moved) {
        await block.locator(`.ant-pagination-item-${pageNo}`).click();
        await until(() => rows.first().getAttribute('data-id'), (v: string | null) => v !== firstBefore, 30_000, `table page ${pageNo}`);
      }
    }
    const onPage = await rows.count();
    for (let i = 0; i < onPage && result.opened.length < total; i++) {
      const rowId = await rows.nth(i).getAttribute('data-id');
      // A click through the drawer's mask: the row's subject link opens the next mail in place.
      await rows.nth(i).getByTestId('email-table-subject').evaluate((el: HTMLElement) => el.click());
      const details = page.locator(`[data-testid="email-details"][data-id="${rowId}"]`);
      await details.waitFor({ timeout: 30_000 });
      const id = vectorIdOfSubject((await details.getByTestId('email-details-subject').textContent()) ?? '');
      watch.showing(page, id);
      if (!(await bodyRendered(details))) result.withoutHtml.push(id);
      if ((await details.getByTestId('mail-show-images').count()) > 0) result.showImages.push(id);
      await settle(page, SETTLE_MS);
      await watch.check(page);
      if (id === SHOWCASE_ID) await screenshot(page, 'hostile-details', true);
      result.opened.push(id);
    }
    await page.keyboard.press('Escape');
    const closed = await drawer.locator('.ant-drawer-content').waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false);
    // Focus may sit in the mail's frame, where Escape means nothing to the app: close it by its button.
    if (!closed) await drawer.locator('.ant-drawer-close').first().click();
    await drawer.locator('.ant-drawer-content').waitFor({ state: 'hidden', timeout: 15_000 });
  }
  await settle(page, LATE_SETTLE_MS);
  await watch.check(page);
  result.ms = Date.now() - started;
  return result;
}
