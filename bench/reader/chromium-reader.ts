/**
 * The reader's cost in Chromium for P8: the mail center's preparation code (html-prep.ts: DOMPurify
 * in an inert document, the CSS parser, the frame shell; plain-text.ts for text bodies), bundled
 * with esbuild and served from a local page, opens each body as the reader does: cid: lookup,
 * prepare, a sandboxed same-origin frame (no scripts) loading the shell, the nodes mounted, the
 * height read (which forces layout). The time is what the user waits for, from the body to a
 * laid-out frame. A mail over the reader's size or element budget is held (the user is asked first), as
 * in HtmlBody: counted in `held`, its time is the check's. Also checks the app page's canary:
 * nothing may run.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic'];

export interface ReaderBody {
  id: string;
  html?: string;
  text?: string;
}

export interface ReaderResult {
  maxMs: number;
  maxId: string;
  /** Dialogs shown plus canaries set in the page: must be 0. */
  ran: number;
  /** Requests to anything but the page itself: must be 0 before "Show images". */
  requests: number;
  /** Mails held behind "Show anyway" (their time is the size check's). */
  held: number;
}

async function bundle(): Promise<string> {
  const esbuild = require('esbuild');
  const out = await esbuild.build({ entryPoints: [path.join(__dirname, 'entry.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', minify: process.env.READER_MINIFY !== '0', logLevel: 'silent' });
  return out.outputFiles[0].text;
}

export async function measureReader(bodies: ReaderBody[]): Promise<ReaderResult> {
  const script = await bundle();
  const server = http.createServer((req, res) => {
    if (req.url === '/reader.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><head><script src="/reader.js"></script></head><body></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    let ran = 0;
    let requests = 0;
    page.on('dialog', (dialog) => {
      ran += 1;
      dialog.dismiss().catch(() => undefined);
    });
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(origin)) return route.fallback();
      requests += 1;
      return route.abort();
    });
    await page.goto(origin);
    const result: ReaderResult = { maxMs: 0, maxId: '', ran: 0, requests: 0, held: 0 };
    for (const body of bodies) {
      const [ms, held] = await page.evaluate(async ({ html, text }): Promise<[number, boolean]> => {
        const reader = (window as any).__reader;
        const start = performance.now();
        if (text !== undefined) {
          const { main } = reader.splitQuoted(text);
          reader.linkify(main);
          return [performance.now() - start, false];
        }
        // As HtmlBody: a mail over the budget waits for "Show anyway".
        if (reader.isLargeMail(html)) return [performance.now() - start, true];
        reader.findCids(html);
        const prepared = reader.prepareMailHtml(html, { allowRemote: false, cidUrls: {} });
        const frame = document.createElement('iframe');
        frame.setAttribute('sandbox', 'allow-same-origin allow-popups');
        frame.srcdoc = prepared.shell;
        await new Promise((resolve) => {
          frame.onload = resolve;
          document.body.appendChild(frame);
        });
        reader.mountMail(frame.contentDocument, prepared);
        void frame.contentDocument!.body.scrollHeight;
        const ms = performance.now() - start;
        frame.remove();
        return [ms, false];
      }, { html: body.html, text: body.text });
      if (held) result.held += 1;
      if (ms > result.maxMs) {
        result.maxMs = ms;
        result.maxId = body.id;
      }
      ran += await page.evaluate(() => {
        const w = window as any;
        const hit = w.__pwned !== undefined ? 1 : 0;
        w.__pwned = undefined;
        return hit;
      });
    }
    result.ran = ran;
    result.requests = requests;
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}
