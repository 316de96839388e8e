import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevEmulators, startDevEmulators } from '../../dev/dev-emulators';
import { corpusFiles } from '../helpers/mail';
import { Harness, until } from './harness';
import { api, startMemberSession } from './mail-api';

/**
 * S-CENTER-12 on the real-world corpus (shared/fixtures/mime, 109 files, many malformed): every
 * conversation opens in the reader in Chromium; its HTML runs no script (sandboxed frame without
 * allow-scripts, nothing executable left after DOMPurify, no "Blocked script execution" either)
 * and loads nothing from the internet until "Show images" (every request to another host is
 * refused and recorded). The list and the reader never break.
 */
const MEMBER = { email: 'corpus-reader@example.test', password: 'corpus-pass-123', nickname: 'Corpus Reader' };
const MAILBOX = 'corpus@gmail.test';

describe('the reader on the fixture corpus', () => {
  let h: Harness;
  let emulators: DevEmulators;
  let context: BrowserContext;
  let page: Page;
  let threadTotal = 0;
  const remote: string[] = [];
  const blockedScripts: string[] = [];

  beforeAll(async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(100);
    emulators = await startDevEmulators({ mail: false });
    emulators.google.addUser({ email: MAILBOX, displayName: 'Corpus' } as any);
    emulators.google.seed(MAILBOX, { eml: files, dates: (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3600_000) });
    let token: string;
    ({ h, token, context, page } = await startMemberSession('mail-corpus', emulators, MEMBER, MAILBOX, { width: 1280, onForeign: (url: string) => remote.push(url) }));
    threadTotal = (await api(h.app.url, token, 'mailMessages:threadCount?box=all')).data.count;
    page.on('console', (msg) => {
      if (/Blocked script execution/i.test(msg.text())) blockedScripts.push(msg.text());
    });
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
    await emulators?.close();
  });

  it('opens every conversation: no script, nothing remote, the body rendered in a sandboxed frame', async () => {
    await page.goto(`${h.app.url}/admin/mail?box=all`);
    const rows = page.locator('[data-testid^="thread-row-"]');
    await rows.first().waitFor({ timeout: 60_000 });
    // 100 a page: one or two pages hold the whole corpus.
    await page.getByTestId('mail-pagination').locator('.ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '100' }).click();
    await until(() => rows.count(), (n: number) => n === Math.min(100, threadTotal), 30_000, 'rows on page 1');

    const problems: string[] = [];
    let opened = 0;
    let frames = 0;
    /** The row the reader shows (`?open=`), and the one shown before. */
    const openRow = () => new URL(page.url()).searchParams.get('open');
    let previous: string | null = null;
    for (let pageNo = 1; opened < threadTotal; pageNo++) {
      if (pageNo > 1) {
        await page.getByTestId('mail-pagination').locator('.ant-pagination-next').click();
        await until(() => rows.count(), (n: number) => n === threadTotal - 100, 30_000, 'rows on page 2');
      }
      const onPage = await rows.count();
      await rows.first().locator('[data-testid="thread-subject"]').click();
      for (let i = 0; i < onPage; i++) {
        if (i > 0) await page.keyboard.press('j');
        const reader = page.locator('[data-testid="mail-reader"][data-loading="false"]');
        // The next conversation is open (the URL names its row, a mail of it) and shown: that mail
        // is in the reader, the newest expanded, and its frames are in once their cid: images (if
        // any) are (a skeleton until then).
        const open = await until(openRow, (id: string | null) => Boolean(id) && id !== previous, 30_000, 'the next conversation');
        previous = open;
        await reader.locator(`[data-testid="mail-message-${open}"]`).waitFor({ timeout: 30_000 });
        await until(
          async () => (await reader.locator('[data-expanded="true"]').count()) > 0 && (await reader.locator('.ant-skeleton').count()) === 0,
          true,
          10_000,
          'bodies rendered',
        );
        // Each frame mounts its mail once its shell has loaded (the load event).
        await until(
          () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[data-testid="mail-body-frame"]')).every((f) => f.contentDocument?.documentElement?.hasAttribute('data-shell'))),
          true,
          10_000,
          'frames loaded',
        );
        const report = await page.evaluate(() => {
          const out: { subject: string; frames: number; issues: string[] } = {
            subject: document.querySelector('[data-testid="mail-reader-subject"]')?.textContent || '',
            frames: 0,
            issues: [],
          };
          for (const frame of Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[data-testid="mail-body-frame"]'))) {
            out.frames++;
            const sandbox = (frame.getAttribute('sandbox') || '').split(/\s+/);
            // Same origin (the reader copies nodes in and measures), never scripts.
            if (sandbox.includes('allow-scripts') || !sandbox.includes('allow-same-origin')) out.issues.push(`sandbox ${sandbox.join(' ')}`);
            const doc = frame.contentDocument;
            if (!doc?.documentElement?.hasAttribute('data-shell')) {
              out.issues.push('frame without its shell');
              continue;
            }
            if (!/default-src 'none'/.test(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') || '')) out.issues.push('no CSP');
            // Our own <base target="_blank"> (no href) opens links in a new tab; a mail's base href would redirect URLs.
            if (doc.querySelector('script, iframe, frame, object, embed, form, base[href]')) out.issues.push('active element');
            for (const el of Array.from(doc.querySelectorAll('*'))) {
              for (const attr of Array.from(el.attributes)) {
                if (/^on/i.test(attr.name)) out.issues.push(`handler ${attr.name}`);
                if (/^\s*(javascript|vbscript):/i.test(attr.value)) out.issues.push(`${attr.name}=${attr.value.slice(0, 30)}`);
                if (['src', 'srcset', 'background', 'poster'].includes(attr.name.toLowerCase()) && /^\s*(https?:)?\/\//i.test(attr.value)) out.issues.push(`remote ${attr.name}`);
              }
            }
            const css = Array.from(doc.querySelectorAll('style')).map((s) => s.textContent).join('\n') + Array.from(doc.querySelectorAll('[style]')).map((e) => e.getAttribute('style')).join('\n');
            if (/url\(\s*['"]?\s*(https?:)?\/\//i.test(css) || /@import/i.test(css)) out.issues.push('remote CSS');
            for (const a of Array.from(doc.querySelectorAll('a[href]'))) {
              if (!/^\s*(mailto:|#)/i.test(a.getAttribute('href') || '') && (a.getAttribute('target') !== '_blank' || !/noopener/.test(a.getAttribute('rel') || ''))) {
                out.issues.push('link without target/rel');
                break;
              }
            }
          }
          return out;
        });
        frames += report.frames;
        if (report.issues.length) problems.push(`${report.subject}: ${[...new Set(report.issues)].join(', ')}`);
        opened++;
      }
      await page.getByTestId('mail-action-back').click();
    }
    console.info(`[corpus] ${opened} conversations opened, ${frames} HTML bodies checked`);
    expect(opened).toBe(threadTotal);
    // 35 of the files have an HTML body (Python's email package agrees).
    expect(frames).toBeGreaterThanOrEqual(33);
    expect(problems).toEqual([]);
    expect(remote).toEqual([]);
    expect(blockedScripts).toEqual([]);
    expect(h.foreignRequests).toEqual([]);
  }, 600_000);
});

