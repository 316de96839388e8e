import DOMPurify from 'dompurify';
import { cleanCid, normalizeCid } from '../../shared/content-id';
import { sanitizeDeclarations, sanitizeStylesheet, type UrlRewrite } from './mail-css';

/**
 * Turns a received HTML body into what the reader's sandboxed iframe shows (S-CENTER-12).
 * Pure apart from the DOM: no network, no state, so it is unit-tested.
 *
 * Mail markup is parsed exactly once, by DOMPurify, in an inert document (no browsing context:
 * nothing in it loads or runs). It is never serialised and parsed again: a round trip through
 * text is where mutation XSS lives (markup that means one thing when sanitised and another when
 * re-parsed). Instead the sanitised nodes are copied into the frame's document by `mountMail`.
 * The app's own document never holds any of it.
 *
 * Layers, each one enough on its own for its threat:
 * 1. DOMPurify (HTML profile only, no SVG/MathML) drops scripts, event handlers, forms, frames,
 *    object/embed and `javascript:` URLs;
 * 2. every URL left is rewritten: links open in a new tab without opener/referrer, `cid:` images
 *    become data: URLs, remote images are dropped until the user allows them, anything else
 *    relative, same-origin or exotic is dropped (it would reach NocoBase itself);
 * 3. CSS goes through a CSS parser (mail-css.ts): every url(), image-set(), @import and
 *    @font-face is found after escapes are decoded, and rewritten or dropped;
 * 4. the iframe has no allow-scripts (only allow-same-origin, so that the parent can copy the
 *    nodes in and measure them), and a CSP in the frame's own shell document only lets data:
 *    images (plus http/https after "Show images") and inline styles load: never scripts,
 *    stylesheets, fonts, frames or connections.
 */

export interface PrepareOptions {
  /** "Show images" was clicked: remote images and CSS backgrounds may load. */
  allowRemote: boolean;
  /** data: URLs of the message's inline parts, keyed by `normalizeCid`. */
  cidUrls?: Record<string, string>;
}

export interface PreparedHtml {
  /**
   * The frame's `srcdoc`: CSP, charset, referrer policy, base target and base CSS, and no mail
   * content. Its `<html data-shell>` names the policy, so content is only ever mounted into the
   * shell it was prepared for (never into the frame's initial about:blank, which has no CSP).
   */
  shell: string;
  /** The `data-shell` value of `shell`. */
  shellId: string;
  /** The sanitised mail in an inert document: its `<style>`s in the head, its body. */
  content: Document;
  /** Remote images/backgrounds that were dropped; the "Show images" bar shows when > 0. */
  blockedRemote: number;
}

const FORBID_TAGS = [
  'script', 'noscript', 'form', 'input', 'button', 'select', 'textarea', 'option', 'optgroup', 'iframe', 'frame',
  'frameset', 'object', 'embed', 'applet', 'video', 'audio', 'source', 'track', 'base', 'link', 'meta', 'template',
  'dialog', 'portal', 'xmp', 'noembed', 'noframes', 'plaintext', 'listing', 'param', 'picture', 'slot', 'math', 'svg',
];
const FORBID_ATTR = [
  'action', 'formaction', 'srcdoc', 'ping', 'autofocus', 'srcset', 'lowsrc', 'dynsrc', 'poster', 'data', 'codebase',
  'archive', 'longdesc', 'cite', 'manifest', 'icon', 'imagesrcset', 'is', 'popover', 'popovertarget', 'xmlns',
];
/** Attributes that load what they name; each goes through the URL rewriter. */
const RESOURCE_ATTRS = ['src', 'background'];

/** Styling of the frame's own body; the mail's CSS comes after it and wins. */
const BASE_CSS =
  'body{margin:0;padding:4px 2px;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;' +
  'font-size:14px;line-height:1.6;color:#1f1f1f;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}pre{white-space:pre-wrap}blockquote{margin:0 0 0 .8ex;border-left:2px solid #d9d9d9;padding-left:1ex;color:#595959}';

export function cspFor(allowRemote: boolean): string {
  const img = allowRemote ? 'img-src data: http: https:' : 'img-src data:';
  return `default-src 'none'; ${img}; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'`;
}

export { cleanCid, normalizeCid };


/** The content ids the HTML refers to (img src, background, CSS), cleaned, one per id. */
export function findCids(html: string): string[] {
  const found = new Map<string, string>();
  for (const match of html.matchAll(/cid:\s*([^"'\s)]+)/gi)) {
    // An id in brackets may be HTML-escaped (`&lt;id&gt;`); anything after the closing one is markup.
    const raw = match[1].replace(/&gt;/gi, '>').replace(/&lt;/gi, '<').replace(/^<+/, '').replace(/>.*$/, '');
    const id = cleanCid(raw);
    if (id && !found.has(id.toLowerCase())) found.set(id.toLowerCase(), id);
  }
  return [...found.values()];
}

/** Only raster images may come as data: URLs (an SVG image is a document of its own). */
const DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]*$/i;

function urlRewriter(options: PrepareOptions, counter: { blocked: number }): UrlRewrite {
  const ownOrigin = typeof location !== 'undefined' ? location.origin : '';
  return (raw) => {
    const url = raw.trim();
    if (/^cid:/i.test(url)) return options.cidUrls?.[normalizeCid(url)] ?? null;
    if (DATA_IMAGE.test(url)) return url;
    if (/^(https?:)?\/\//i.test(url)) {
      if (!options.allowRemote) {
        counter.blocked += 1;
        return null;
      }
      const absolute = url.startsWith('//') ? `https:${url}` : url;
      // A remote image on NocoBase's own origin would be a request made with the reader's session.
      try {
        if (new URL(absolute).origin === ownOrigin) return null;
      } catch {
        return null;
      }
      return absolute;
    }
    // Relative URLs would resolve against NocoBase itself; other schemes have no business here.
    return null;
  };
}

/** What DOMPurify puts before every id and name (SANITIZE_NAMED_PROPS). */
const NAMED_PROPS_PREFIX = 'user-content-';

function rewriteLinks(root: Element) {
  root.querySelectorAll('a[href], area[href]').forEach((link) => {
    const href = (link.getAttribute('href') || '').trim();
    if (href.startsWith('#')) {
      // In-mail anchors follow their targets' ids, which DOMPurify prefixed (SANITIZE_NAMED_PROPS).
      if (href.length > 1 && !href.startsWith(`#${NAMED_PROPS_PREFIX}`)) link.setAttribute('href', `#${NAMED_PROPS_PREFIX}${href.slice(1)}`);
      link.setAttribute('target', '_self');
    } else if (/^(https?:|mailto:|tel:)/i.test(href)) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    } else {
      link.removeAttribute('href');
      link.removeAttribute('target');
    }
  });
}

function rewriteResources(root: Element, rewrite: UrlRewrite) {
  root.querySelectorAll('*').forEach((el) => {
    for (const attr of RESOURCE_ATTRS) {
      const value = el.getAttribute(attr);
      if (value === null) continue;
      const next = rewrite(value);
      if (next) el.setAttribute(attr, next);
      else el.removeAttribute(attr);
    }
    // Remote images, once allowed, still learn nothing of where the mail was read.
    if (el.tagName === 'IMG') el.setAttribute('referrerpolicy', 'no-referrer');
    const style = el.getAttribute('style');
    if (style !== null) {
      const clean = sanitizeDeclarations(style, rewrite);
      if (clean) el.setAttribute('style', clean);
      else el.removeAttribute('style');
    }
    if (el.tagName === 'STYLE') el.textContent = sanitizeStylesheet(el.textContent || '', rewrite);
  });
}

/** Attributes of the mail's `<body>` that the frame's body takes over. */
const BODY_ATTRS = ['style', 'bgcolor', 'text', 'dir', 'lang'];
/** Marks the mail's styles in the frame, so that mounting again replaces them. */
const MAIL_STYLE_ATTR = 'data-mail-style';

function shellFor(allowRemote: boolean): { shell: string; shellId: string } {
  const shellId = allowRemote ? 'mail-remote' : 'mail-strict';
  // Static text: no mail content is ever part of it.
  const shell =
    `<!DOCTYPE html><html data-shell="${shellId}"><head>` +
    `<meta http-equiv="Content-Security-Policy" content="${cspFor(allowRemote)}">` +
    // No DNS prefetch of the mail's link hosts either (Chromium prefetches anchors on http pages).
    '<meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="x-dns-prefetch-control" content="off">' +
    '<base target="_blank">' +
    `<style>${BASE_CSS}</style></head><body></body></html>`;
  return { shell, shellId };
}

/**
 * What the reader lays out without asking. The browser's own HTML parser slows down far more
 * than linearly on hostile shapes (deep nesting, stray end tags): 15,000 nested <div> take 0.6 s
 * in Chromium, 200,000 take 47 s, freezing the tab; 250,000 stray </p> (each one an element)
 * 10 s. Real mail stays far below (a large newsletter: 100–300 KB, 2,000–5,000 elements; Gmail
 * clips mail at 102 KB); above either bound the reader asks first.
 */
export const MAX_RENDERED_ELEMENTS = 10_000;
export const MAX_RENDERED_CHARS = 2_000_000;

const isLetter = (code: number) => ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);

/**
 * Elements the HTML makes, counted up to `limit` + 1 in one scan: start tags (`<` before a
 * letter), and the end tags that make an element when nothing is open (`</p>`, `</br>`).
 */
export function countElements(html: string, limit = MAX_RENDERED_ELEMENTS): number {
  let count = 0;
  for (let at = html.indexOf('<'); at >= 0 && count <= limit; at = html.indexOf('<', at + 1)) {
    const next = html.charCodeAt(at + 1);
    if (isLetter(next)) count += 1;
    else if (next === 0x2f) {
      const name = html.slice(at + 2, at + 4).toLowerCase();
      if ((name[0] === 'p' && !isLetter(html.charCodeAt(at + 3))) || (name === 'br' && !isLetter(html.charCodeAt(at + 4)))) count += 1;
    }
  }
  return count;
}

/** Too large to lay out without asking (see MAX_RENDERED_ELEMENTS). */
export function isLargeMail(html: string): boolean {
  return html.length > MAX_RENDERED_CHARS || countElements(html) > MAX_RENDERED_ELEMENTS;
}

export function prepareMailHtml(html: string, options: PrepareOptions): PreparedHtml {
  const counter = { blocked: 0 };
  const rewrite = urlRewriter(options, counter);
  const purified = DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    // Every id and name becomes "user-content-…": `<img name="body">` or `id="__x"` can then
    // shadow no property of the frame's document or window (DOM clobbering), which the reader
    // reads to mount and measure.
    SANITIZE_NAMED_PROPS: true,
  }) as unknown as HTMLElement;
  const sourceBody = purified.querySelector('body');
  // Styles of the mail's <head> are kept; nothing else of it (title, meta, links) is.
  const styles = [...purified.querySelectorAll('head style')];

  // An inert document: created without a browsing context, it loads and runs nothing.
  const content = document.implementation.createHTMLDocument('');
  // Node by node, never spread into one call: a mail can have 100,000 top-level elements.
  for (const style of styles) content.head.appendChild(content.importNode(style, true));
  if (sourceBody) {
    // The whole body in one deep import; of its own attributes only the presentational ones stay.
    const imported = content.importNode(sourceBody, true) as HTMLElement;
    for (const name of imported.getAttributeNames()) if (!BODY_ATTRS.includes(name)) imported.removeAttribute(name);
    content.documentElement.replaceChild(imported, content.body);
  }
  const body = content.body;
  rewriteLinks(body);
  rewriteResources(content.documentElement, rewrite);
  return { ...shellFor(options.allowRemote), content, blockedRemote: counter.blocked };
}

/**
 * Copies the prepared mail into the frame's shell document, node by node (never through markup
 * text). Refuses any document that is not the shell prepared for (an about:blank before the
 * shell has loaded has no CSP). Returns whether it mounted.
 */
export function mountMail(target: Document, prepared: PreparedHtml): boolean {
  if (target.documentElement?.getAttribute('data-shell') !== prepared.shellId || !target.head || !target.body) return false;
  target.head.querySelectorAll(`style[${MAIL_STYLE_ATTR}]`).forEach((s) => s.remove());
  for (const style of prepared.content.head.querySelectorAll('style')) {
    const copy = target.importNode(style, true);
    copy.setAttribute(MAIL_STYLE_ATTR, '');
    target.head.append(copy);
  }
  // The prepared body (its presentational attributes with it) in place of the shell's, in one deep
  // import: a mail can have 100,000 top-level elements, too many to pass as arguments.
  target.documentElement.replaceChild(target.importNode(prepared.content.body, true), target.body);
  return true;
}
