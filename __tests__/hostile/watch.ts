/**
 * What the hostile-mail browser test watches while it opens mail: every request (a leak when it
 * leaves the app's origin or carries the leak origin), every dialog, the `__pwned` canary in the
 * app window and in every frame, mail markup that reached the app document, and mail content
 * visible over the app outside its frame. Findings name the vector (ids are in canaries, leak
 * URLs and dialog texts) and the view (reader, details, quote…) that showed it.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { LeakTarget, SAME_ORIGIN_MARK, vectorIdOfUrl } from './kit';
import { REGRESSION_STYLE_URL_ID } from './parser-vectors';

/** Hard findings fail the test; soft ones are reported (the sandbox caught what the sanitiser missed). */
export const HARD_KINDS = ['dialog', 'canary', 'leak-before-show', 'leak-after-show', 'foreign-host', 'same-origin-request', 'handler-in-app', 'redress'] as const;
export type FindingKind = (typeof HARD_KINDS)[number] | 'blocked-script' | 'csp-refused' | 'page-error' | 'own-content-load';

export interface Finding {
  view: string;
  /** The vector (or hostile string) id the evidence names; the mail on screen if it names none. */
  id: string;
  kind: FindingKind;
  detail: string;
}

/** How long a frame may take to answer the canary question before it counts as unreadable. */
const FRAME_EVALUATE_MS = 1_500;

interface PageState {
  view: string;
  /** The vector on screen. */
  id: string;
}

export class HostileWatch {
  readonly findings: Finding[] = [];
  /** Image requests to the leak origin made after "Show images" (allowed), by view:id. */
  readonly allowedAfterShow: string[] = [];
  /** Frames whose globals could not be read (counted, not failed: Playwright may find no context). */
  unreadableFrames = 0;
  readonly readFrames = { app: 0, mail: 0 };
  private readonly state = new Map<Page, PageState>();
  private readonly shown = new Set<string>();
  private readonly appHost: string;

  constructor(appUrl: string, private readonly target: LeakTarget, private readonly ownContentIds: (id: string) => boolean = () => false) {
    this.appHost = new URL(appUrl).host;
  }

  /** Answers the leak origin (and marked same-origin paths) with 204; refuses every other host. */
  async route(context: BrowserContext) {
    const appHost = this.appHost;
    await context.route(/^https?:\/\//, (route) => {
      const url = new URL(route.request().url());
      if (url.host === this.target.host || url.pathname.includes(`/${SAME_ORIGIN_MARK}/`)) return route.fulfill({ status: 204, body: '' });
      if (url.host !== appHost) return route.abort();
      return route.fallback();
    });
  }

  attach(page: Page, view: string) {
    this.state.set(page, { view, id: '(none yet)' });
    page.on('request', (req) => this.onRequest(page, req.url(), req.resourceType(), req.frame() === page.mainFrame()));
    page.on('dialog', (dialog) => {
      const text = dialog.message();
      this.add(page, text === '1' ? REGRESSION_STYLE_URL_ID : text || this.current(page).id, 'dialog', `${dialog.type()}("${text.slice(0, 80)}") in the app window`);
      dialog.dismiss().catch(() => undefined);
    });
    page.on('console', (msg) => {
      const text = msg.text();
      // A sandboxed frame ignores alert() only after a script in it ran: that is script running.
      if (/Ignored call to '(alert|confirm|prompt)\(\)'/.test(text)) this.add(page, this.current(page).id, 'canary', `script ran in a frame: ${text.slice(0, 120)}`);
      else if (/Blocked script execution/i.test(text)) this.add(page, this.current(page).id, 'blocked-script', text.slice(0, 160));
      else if (/Refused to (load|apply|connect|frame)/i.test(text)) this.add(page, this.current(page).id, 'csp-refused', text.slice(0, 200));
    });
    page.on('pageerror', (error) => {
      if (/__pwned/.test(error.message)) this.add(page, this.current(page).id, 'page-error', error.message.slice(0, 160));
    });
  }

  /** The vector now on screen in `page`. */
  showing(page: Page, id: string) {
    this.current(page).id = id;
  }

  /** "Show images" was clicked for `id` in `page`: its image requests are allowed from now on. */
  showImages(page: Page, id: string) {
    this.shown.add(`${this.current(page).view}:${id}`);
  }

  /** Reads `__pwned` in the app window and every frame (and clears it), and looks for mail markup in the app document. */
  async check(page: Page) {
    const main = page.mainFrame();
    for (const frame of page.frames()) {
      const value = await Promise.race([
        frame.evaluate(() => {
          const w = window as unknown as { __pwned?: unknown };
          const v = w.__pwned;
          if (v === undefined) return null;
          try {
            w.__pwned = undefined;
          } catch {
            // A clobbering element: leave it, it is reported once per check.
          }
          return typeof v === 'string' ? v : `clobbered by ${Object.prototype.toString.call(v)}`;
        }),
        new Promise<'unreadable'>((resolve) => setTimeout(() => resolve('unreadable'), FRAME_EVALUATE_MS)),
      ]).catch(() => 'unreadable' as const);
      if (value === 'unreadable') {
        this.unreadableFrames++;
        continue;
      }
      this.readFrames[frame === main ? 'app' : 'mail']++;
      if (value) this.add(page, value.startsWith('clobbered') ? this.current(page).id : value, 'canary', `__pwned set in ${frame === main ? 'the app window' : `frame ${frame.url().slice(0, 40)}`}${value.startsWith('clobbered') ? `: ${value}` : ''}`);
    }
    const marks = await main.evaluate(scanAppDocument).catch(() => ({ handlers: [] as string[], visible: [] as string[] }));
    for (const handler of marks.handlers) this.add(page, /__pwned=.([a-z0-9-]+)/.exec(handler)?.[1] ?? this.current(page).id, 'handler-in-app', handler.slice(0, 160));
    for (const visible of marks.visible) this.add(page, this.current(page).id, 'redress', visible);
  }

  hard(view?: string) {
    return this.findings.filter((f) => (HARD_KINDS as readonly string[]).includes(f.kind) && (!view || f.view === view));
  }

  soft(view?: string) {
    return this.findings.filter((f) => !(HARD_KINDS as readonly string[]).includes(f.kind) && (!view || f.view === view));
  }

  private current(page: Page): PageState {
    return this.state.get(page) ?? { view: 'unknown', id: '(unknown)' };
  }

  private onRequest(page: Page, url: string, type: string, fromAppWindow: boolean) {
    if (!/^(https?|wss?):/.test(url)) return;
    const host = new URL(url).host;
    const id = vectorIdOfUrl(url, this.target);
    if (host === this.appHost && id === null) return;
    const { view } = this.current(page);
    const where = fromAppWindow ? 'from the app window' : 'from a mail frame';
    const detail = `${type} ${url.slice(0, 140)} ${where}`;
    if (host !== this.appHost && host !== this.target.host) {
      // Any host's image may load from a mail frame once "Show images" was clicked for that mail.
      const shownHere = this.shown.has(`${view}:${this.current(page).id}`);
      if (type === 'image' && !fromAppWindow && shownHere) return void this.allowedAfterShow.push(`${view}:${this.current(page).id}`);
      return this.add(page, this.current(page).id, 'foreign-host', detail);
    }
    const vectorId = id || this.current(page).id;
    if (this.ownContentIds(vectorId)) return this.add(page, vectorId, 'own-content-load', detail);
    if (host === this.appHost) return this.add(page, vectorId, 'same-origin-request', detail);
    if (!this.shown.has(`${view}:${vectorId}`)) return this.add(page, vectorId, 'leak-before-show', detail);
    if (type === 'image') this.allowedAfterShow.push(`${view}:${vectorId}`);
    else this.add(page, vectorId, 'leak-after-show', detail);
  }

  private add(page: Page, id: string, kind: FindingKind, detail: string) {
    this.findings.push({ view: this.current(page).view, id, kind, detail });
  }
}

/**
 * Runs in the app window: elements (in the document and open shadow roots, not frames) whose
 * handler attributes hold a canary, and `.hostile-mark` elements visible in the viewport after
 * clipping by their ancestors (a mail showing itself over the app).
 */
function scanAppDocument() {
  const handlers: string[] = [];
  const visible: string[] = [];
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of Array.from(roots[i].querySelectorAll('*'))) {
      if (el.shadowRoot) roots.push(el.shadowRoot);
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name) && attr.value.includes('__pwned')) handlers.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
      }
      if (!el.classList.contains('hostile-mark')) continue;
      let box = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
      const clip = (r: DOMRect) => (box = { left: Math.max(box.left, r.left), top: Math.max(box.top, r.top), right: Math.min(box.right, r.right), bottom: Math.min(box.bottom, r.bottom) });
      clip(el.getBoundingClientRect());
      const style = getComputedStyle(el);
      let shown = style.visibility === 'visible' && style.display !== 'none';
      for (let node: Element | null = el; node && shown; ) {
        const parentStyle = getComputedStyle(node);
        if (Number(parentStyle.opacity) === 0) shown = false;
        if (node !== el && (parentStyle.overflow !== 'visible' || /paint|strict|content/.test(parentStyle.contain))) clip(node.getBoundingClientRect());
        const root = node.getRootNode();
        node = node.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
      }
      if (shown && box.right - box.left > 2 && box.bottom - box.top > 2) visible.push(`mail content over the app at ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.right - box.left)}×${Math.round(box.bottom - box.top)}: "${(el.textContent || '').slice(0, 40)}"`);
    }
  }
  return { handlers, visible };
}
