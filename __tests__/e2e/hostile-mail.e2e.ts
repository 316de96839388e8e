import { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../dev/app';
import { DevEmulators, signInToApp, startDevEmulators } from '../../dev/dev-emulators';
import { HostileMail, hostileMailbox, hostileStrings, leakTarget, REGRESSION_STYLE_URL_ID } from '../hostile/corpus';
import { detailsPass, emailTablePage, LATE_SETTLE_MS, PassResult, quotePass, readerPass } from '../hostile/views';
import { Finding, HostileWatch } from '../hostile/watch';
import { Harness, openPages, screenshot, settle, signIn, startHarness, until } from './harness';
import { api, linkMailbox } from './mail-api';
import { COMPOSE_NAME_MAX } from '../../src/shared/compose-api';
import { LABEL_NAME_MAX } from '../../src/shared/mail-center-api';

/**
 * Mail is input from anyone: the hostile corpus (__tests__/hostile, ≥ 300 vectors) synced
 * through the Gmail emulator into a real app and opened, each mail, in the mail center reader,
 * in the Email details drawer of an Email table block, and as the quote of a reply. Nothing may
 * run (no dialog, no `__pwned` in the app window or any frame, no mail markup with handlers in
 * the app document), nothing may load before "Show images" (any request to the leak origin, to
 * another host, or to a marked path of the app's own origin), after it only images, and no mail
 * may show itself over the app. Hostile subjects, display names, attachment names, label names,
 * a signature and a template are shown the same way. The three views run side by side, one tab
 * each, to keep the wall time within a few minutes.
 *
 * HOSTILE_LIMIT=<n> opens only the first n mails (while working on the reader).
 */
const MAILBOX = 'hostile@gmail.test';
const LEAK_ORIGIN = 'http://leak.hostile.test';
const LIMIT = Number(process.env.HOSTILE_LIMIT) || Infinity;
/** Signature and template HTML is the user's own: a remote image there is their choice, not a leak. */
const OWN_CONTENT = /^(signature|template)-/;
/** How long each of the three passes may take (see runPasses). */
const PASS_TIMEOUT_MS = 1_800_000;

describe('hostile mail in the reader, the Email details and a reply quote', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let context: BrowserContext;
  let token: string;
  let mails: HostileMail[];
  let watch: HostileWatch;
  const byId = new Map<string, HostileMail>();
  let passes: Promise<Record<'reader' | 'details' | 'quote', PassResult>> | undefined;

  const newPage = async (view: string) => {
    const page = await context.newPage();
    watch.attach(page, view);
    // A failed test photographs every open tab (failure-screenshots.ts).
    openPages.add(page);
    page.on('close', () => openPages.delete(page));
    return page;
  };

  /** One line per finding, with the vector's category, for the failure message and the report. */
  const describeFindings = (list: Finding[]) =>
    [...new Set(list.map((f) => `${f.kind.padEnd(19)} ${(byId.get(f.id)?.category ?? 'string').padEnd(18)} ${f.id} — ${f.detail}`))].sort();

  const report = (view: string, result: PassResult) => {
    const soft = describeFindings(watch.soft(view));
    console.info(
      `[hostile] ${view}: ${result.opened.length} mails in ${Math.round(result.ms / 1000)} s, ${result.withoutHtml.length} without an HTML body, ` +
        `${result.showImages.length} offered "Show images"; ${watch.hard(view).length} hard and ${soft.length} soft findings`,
    );
    if (soft.length) console.info(`[hostile] ${view} soft findings (the sandbox or CSP caught them):\n  ${soft.join('\n  ')}`);
  };

  /** Every mail was opened (by its subject's vector id) and nothing ran, loaded or showed itself. */
  const expectClean = (view: string, result: PassResult) => {
    report(view, result);
    const expected = mails.slice(0, Math.min(LIMIT, mails.length)).map((m) => m.id);
    expect([...new Set(result.opened)].sort()).toEqual([...expected].sort());
    expect(describeFindings(watch.hard(view))).toEqual([]);
  };

  beforeAll(async () => {
    emulators = await startDevEmulators({ mail: false });
    emulators.google.addUser({ email: MAILBOX, displayName: 'Hostile Reader' } as any);
    const box = await hostileMailbox(LEAK_ORIGIN, MAILBOX);
    mails = box.mails;
    for (const mail of mails) byId.set(mail.id, mail);
    const count = Math.min(LIMIT, mails.length);
    emulators.google.seed(MAILBOX, { eml: box.raw.slice(0, count), labelIds: () => ['INBOX', 'UNREAD'] });
    h = await startHarness('hostile-mail', emulators.env);
    await emulators.configureApp(h.app.url, ADMIN);
    token = await signInToApp(h.app.url, ADMIN);
    await linkMailbox(h.app.url, token, emulators, 'gmail', MAILBOX);
    const total = (await api(h.app.url, token, 'mailMessages:threadCount?box=all')).data.count;
    expect(total).toBe(count);
    watch = new HostileWatch(h.app.url, leakTarget(LEAK_ORIGIN), (id) => OWN_CONTENT.test(id));
    context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await watch.route(context);
    const signInPage = await context.newPage();
    await signIn(signInPage, h.app.url);
    await signInPage.close();
  }, 600_000);
  afterAll(async () => {
    await context?.close();
    await h?.close();
    await emulators?.close();
  });

  /** The id of the newest mail whose subject starts with `vectorId`, for `?open=`. */
  const rowOf = async (vectorId: string) => {
    const rows = (await api(h.app.url, token, `mailMessages:threads?box=all&pageSize=20&q=${encodeURIComponent(vectorId)}`)).data as any[];
    const row = rows.find((r) => r.subject.split(' ')[0] === vectorId);
    if (!row) throw new Error(`no mail for ${vectorId}`);
    return row.id as number;
  };

  /** Opens one mail straight from the URL (reader), then Reply and its quote; answers the findings. */
  async function openAlone(view: string, vectorId: string) {
    const page = await newPage(view);
    await page.goto(`${h.app.url}/admin/mail?box=all&open=${await rowOf(vectorId)}`);
    const reader = page.locator('[data-testid="mail-reader"][data-loading="false"]');
    await until(() => page.getByTestId('mail-reader-subject').textContent(), (v: string | null) => Boolean(v?.startsWith(vectorId)), 60_000, 'the mail');
    watch.showing(page, vectorId);
    await until(() => reader.locator('[data-testid="mail-body-frame"]').count(), 1, 30_000, 'the HTML body');
    await settle(page, LATE_SETTLE_MS);
    await watch.check(page);
    await page.locator('[data-testid^="mail-reply-"]:not([data-testid^="mail-reply-all-"])').last().click();
    const compose = page.getByTestId('compose-window');
    await compose.getByTestId('compose-quote-toggle').click({ timeout: 30_000 });
    await compose.getByTestId('mail-body-frame').waitFor({ timeout: 30_000 });
    await settle(page, LATE_SETTLE_MS);
    await watch.check(page);
    await page.close();
    return describeFindings(watch.hard(view));
  }

  it(`regression: the <style> url(data:…<\\/style><\\img onerror>) payload runs no script in the app window`, async () => {
    expect(await openAlone('regression-style', REGRESSION_STYLE_URL_ID)).toEqual([]);
    expect(await openAlone('regression-style', `${REGRESSION_STYLE_URL_ID}-canary`)).toEqual([]);
  }, 120_000);

  it('regression: CSS escapes (u\\72 l(…) in a style attribute and a <style> rule) load nothing before "Show images"', async () => {
    expect(await openAlone('regression-css-escape', 'regression-css-escape-u72-attr')).toEqual([]);
    expect(await openAlone('regression-css-escape', 'regression-css-escape-u72-rule')).toEqual([]);
  }, 120_000);

  /**
   * The three passes side by side (one tab each); each `it` below waits for its own. They take
   * about 10 minutes on an idle 2-core machine and 25 on a busy one: PASS_TIMEOUT_MS leaves room.
   */
  const runPasses = () => {
    passes ??= (async () => {
      const total = Math.min(LIMIT, mails.length);
      const [readerPage, detailsPage, quotePage] = await Promise.all([newPage('reader'), newPage('details'), newPage('quote')]);
      const block = await emailTablePage(detailsPage, h.app.url);
      const [reader, details, quote] = await Promise.all([
        readerPass(readerPage, h.app.url, total, watch),
        detailsPass(detailsPage, block, total, watch),
        quotePass(quotePage, h.app.url, total, watch),
      ]);
      return { reader, details, quote };
    })();
    return passes;
  };

  it('(a) every hostile mail in the mail center reader: nothing runs, nothing loads until "Show images", then only images', async () => {
    const { reader } = await runPasses();
    expectClean('reader', reader);
    // "Show images" was offered for the remote-image vectors, and then their images (only) loaded.
    if (LIMIT === Infinity) expect(reader.showImages.length).toBeGreaterThan(50);
    expect(watch.allowedAfterShow.filter((k) => k.startsWith('reader:')).length).toBeGreaterThan(0);
  }, PASS_TIMEOUT_MS);

  it('(b) every hostile mail in the Email details drawer of an Email table block', async () => {
    const { details } = await runPasses();
    expectClean('details', details);
  }, PASS_TIMEOUT_MS);

  it('(c) every hostile mail as the quote of a reply', async () => {
    const { quote } = await runPasses();
    expectClean('quote', quote);
  }, PASS_TIMEOUT_MS);

  it('hostile label names, a signature and a template are shown as text or sanitised, never run', async () => {
    const page = await newPage('strings');
    const labels = hostileStrings(LEAK_ORIGIN, 'label').filter((s) => ['img-onerror', 'attr-break-svg', 'css-escape-leak', 'math-mxss'].some((n) => s.id.endsWith(n)));
    const labelIds: number[] = [];
    for (const label of labels) labelIds.push((await api(h.app.url, token, 'mailMessageLabels:save', { name: label.text.slice(0, LABEL_NAME_MAX), color: 'magenta' })).data.id);
    const rows = (await api(h.app.url, token, 'mailMessages:threads?box=all&pageSize=20')).data as any[];
    await api(h.app.url, token, 'mailMessages:setLabels', { ids: rows.slice(0, 5).map((r) => r.id), add: labelIds });
    const html = (place: string) => hostileStrings(LEAK_ORIGIN, place).map((s) => `<p>${s.text}</p>`).join('');
    await api(h.app.url, token, 'mailSignatures:save', { name: hostileStrings(LEAK_ORIGIN, 'signature-name')[0].text.slice(0, COMPOSE_NAME_MAX), html: html('signature'), isDefault: true });
    await api(h.app.url, token, 'mailTemplates:save', { name: hostileStrings(LEAK_ORIGIN, 'template-name')[1].text.slice(0, COMPOSE_NAME_MAX), subject: hostileStrings(LEAK_ORIGIN, 'template-subject')[0].text, html: html('template') });

    await page.goto(`${h.app.url}/admin/mail?box=all&open=${rows[0].id}`);
    watch.showing(page, 'labels');
    await page.getByTestId('mail-reader-side').waitFor({ timeout: 60_000 });
    await settle(page, LATE_SETTLE_MS);
    await watch.check(page);
    await screenshot(page, 'hostile-labels', true);
    await page.getByTestId('mail-action-back').click();
    await page.locator('[data-testid^="thread-label-"]').first().waitFor({ timeout: 30_000 });
    await watch.check(page);

    // A new mail gets the default signature; then the template replaces its text.
    watch.showing(page, 'signature');
    await page.getByTestId('mail-action-compose').click();
    const compose = page.getByTestId('compose-window');
    await compose.locator('.email-manager-signature').waitFor({ timeout: 30_000 });
    await settle(page, LATE_SETTLE_MS);
    await watch.check(page);
    watch.showing(page, 'template');
    await compose.getByTestId('compose-tool-template').click();
    await page.getByTestId('compose-template-option').first().click();
    const overwrite = page.getByTestId('compose-template-overwrite-ok');
    if (await overwrite.waitFor({ timeout: 2_000 }).then(() => true, () => false)) await overwrite.click();
    await until(() => compose.getByTestId('compose-subject').inputValue(), (v: string) => v.startsWith('template-subject') || v.includes('<img'), 30_000, 'the template applied');
    await settle(page, LATE_SETTLE_MS);
    await watch.check(page);
    await screenshot(page, 'hostile-compose-template', true);
    await compose.getByTestId('compose-close').click();
    const leave = page.getByTestId('compose-leave-discard');
    if (await leave.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await leave.click();

    // Settings → Signature and Templates list them (names as text).
    watch.showing(page, 'settings');
    await page.getByTestId('mail-action-settings').click();
    await page.getByTestId('mail-settings-signature').click();
    await page.getByTestId('signature-name').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('mail-settings-templates').click();
    await page.getByTestId('template-name').first().waitFor({ timeout: 30_000 });
    await settle(page, LATE_SETTLE_MS);
    await watch.check(page);
    const soft = describeFindings(watch.soft('strings'));
    if (soft.length) console.info(`[hostile] strings soft findings:\n  ${soft.join('\n  ')}`);
    expect(describeFindings(watch.hard('strings'))).toEqual([]);
  }, 300_000);

  it('subjects, display names and attachment names of the corpus ran nothing in any view', () => {
    const fromStrings = watch.findings.filter((f) => /^(subject|from|file)-/.test(f.id));
    expect(describeFindings(fromStrings)).toEqual([]);
    console.info(`[hostile] frames read: ${watch.readFrames.app} app window, ${watch.readFrames.mail} mail frames; ${watch.unreadableFrames} unreadable`);
  });
});
