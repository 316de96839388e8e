import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { ADMIN, freePort, prepareApp, ROOT, RunningApp, startApp } from '../../dev/app';

export const ARTIFACTS = path.join(ROOT, '__tests__/e2e/artifacts');
export const DOCS = path.join(ROOT, 'docs');

/** Flags for headless Chromium on this machine (shared/notes/client-recipe.md §6). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The pages of the running harnesses: failure-screenshots.ts photographs them when a test fails. */
export const openPages = new Set<Page>();

export interface Harness {
  app: RunningApp;
  browser: Browser;
  page: Page;
  /** Every request the page made to a host other than the app (there must be none). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/** The database of the browser tests' app on PostgreSQL or MariaDB: beside DB_DATABASE, which the server tests use. */
export const e2eDatabase = () => `${process.env.DB_DATABASE || 'test'}_e2e`;

/** A fresh NocoBase app with the plugin on the database of DB_DIALECT, and a signed-out page. */
export async function startHarness(name: string, env: Record<string, string> = {}): Promise<Harness> {
  const dialect = process.env.DB_DIALECT || 'sqlite';
  const dir = path.join(ROOT, '.app', `e2e-${name}-${dialect}`);
  const port = await freePort();
  // Off SQLite the app gets a database of its own (e2eDatabase), made from the template each time.
  const options = { dir, port, env: dialect === 'sqlite' ? env : { ...env, DB_DATABASE: e2eDatabase() }, fresh: true };
  await prepareApp(options);
  const app = await startApp(options);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol.startsWith('http')) foreignRequests.push(req.url());
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  openPages.add(page);
  return {
    app,
    browser,
    page,
    foreignRequests,
    async close() {
      openPages.delete(page);
      await browser.close();
      await app.stop();
    },
  };
}

export async function signIn(page: Page, baseUrl: string, account = ADMIN.email, password = ADMIN.password) {
  await page.goto(`${baseUrl}/signin`);
  await page.locator('input').first().fill(account);
  await page.locator('input[type=password]').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/admin/, { timeout: 60_000 });
}

export async function screenshot(page: Page, name: string, alsoToDocs = false) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  // A list still loading is dimmed under antd's spinner: wait that out (briefly), so the picture shows the data.
  await page.locator('.ant-spin-blur').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
  await page.screenshot({ path: file, fullPage: false });
  if (alsoToDocs) {
    fs.mkdirSync(DOCS, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS, `${name}.png`));
  }
  return file;
}

/** Waits until `read()` returns `expected` (deep-equal), or fails with the last value seen. */
export async function until<T>(read: () => Promise<T> | T, expected: T | ((value: T) => boolean), timeoutMs = 30_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  const ok = (value: T) => (typeof expected === 'function' ? (expected as (value: T) => boolean)(value) : JSON.stringify(value) === JSON.stringify(expected));
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // Not there yet (a detached element, a reload): try again.
    }
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A pause on purpose, and the only one: for checks that something did NOT happen (a hostile mail
 * loaded nothing, ran nothing). A rendered page starts such things in its own time and no event
 * says "nothing more will start", so it is given `ms` to misbehave before the check. Everything
 * else waits for a condition (`until`, a locator's waitFor, `animationsDone`).
 */
export function settle(page: Page, ms: number) {
  return page.waitForTimeout(ms);
}

/**
 * Waits until no finite CSS animation or transition runs in the page (antd's dialog zoom, a
 * dropdown closing), e.g. before a screenshot. Endless ones (spinners, skeletons) are not waited for.
 */
export async function animationsDone(page: Page, timeoutMs = 10_000) {
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
}
