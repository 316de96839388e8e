import DOMPurify from 'dompurify';

/**
 * Turns a received HTML body into the `srcdoc` of the reader's sandboxed iframe (S-CENTER-12).
 * Pure apart from DOMPurify's use of the DOM: no network, no state, so it is unit-tested.
 *
 * Layers, each one enough on its own for its threat:
 * 1. DOMPurify (HTML profile only, no SVG/MathML) drops scripts, event handlers, forms, frames,
 *    object/embed and `javascript:` URLs;
 * 2. every URL left is rewritten: links open in a new tab without opener/referrer, `cid:` images
 *    become data: URLs, remote images and CSS `url(...)` are dropped until the user allows them,
 *    anything else relative or exotic is dropped (it would resolve against our own origin);
 * 3. the iframe has no allow-scripts and no allow-same-origin, and a CSP inside the document
 *    only lets data: images (plus http/https after "Show images"), inline styles and data: fonts.
 */

export interface PrepareOptions {
  /** "Show images" was clicked: remote images and CSS backgrounds may load. */
  allowRemote: boolean;
  /** data: URLs of the message's inline parts, keyed by `normalizeCid`. */
  cidUrls?: Record<string, string>;
}

export interface PreparedHtml {
  /** The whole document for `<iframe srcdoc>`. */
  srcdoc: string;
  /** The same content as a fragment, for measuring its height in a shadow root. */
  measureHtml: string;
  /** Remote images/backgrounds that were dropped; the "Show images" bar shows when > 0. */
  blockedRemote: number;
}

const FORBID_TAGS = [
  'script', 'noscript', 'form', 'input', 'button', 'select', 'textarea', 'option', 'optgroup', 'iframe', 'frame',
  'frameset', 'object', 'embed', 'applet', 'video', 'audio', 'source', 'track', 'base', 'link', 'meta', 'template',
  'dialog', 'portal',
];
const FORBID_ATTR = ['action', 'formaction', 'srcdoc', 'ping', 'autofocus', 'srcset', 'lowsrc', 'dynsrc'];

/** Styling of the frame's own body; the mail's CSS comes after it and wins. */
const BASE_CSS =
  'body{margin:0;padding:4px 2px;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;' +
  'font-size:14px;line-height:1.6;color:#1f1f1f;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}pre{white-space:pre-wrap}blockquote{margin:0 0 0 .8ex;border-left:2px solid #d9d9d9;padding-left:1ex;color:#595959}';

export function cspFor(allowRemote: boolean): string {
  const img = allowRemote ? "img-src data: http: https:" : 'img-src data:';
  return `default-src 'none'; ${img}; style-src 'unsafe-inline'; font-src data:`;
}

/** A content id as the server looks it up: no `cid:`, no percent-encoding, no brackets. */
export function cleanCid(cid: string): string {
  let value = cid.trim().replace(/^cid:/i, '').trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // Not percent-encoded after all: keep it as written.
  }
  return value.replace(/^<+/, '').replace(/>+$/, '').trim();
}

/** `<Part.1@Example.COM>`, `cid:part.1%40example.com` and `part.1@example.com` are one content id. */
export function normalizeCid(cid: string): string {
  return cleanCid(cid).toLowerCase();
}

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

type Rewrite = (url: string) => string | null;

function urlRewriter(options: PrepareOptions, counter: { blocked: number }): Rewrite {
  return (raw) => {
    const url = raw.trim();
    if (/^cid:/i.test(url)) return options.cidUrls?.[normalizeCid(url)] ?? null;
    if (/^data:image\/(png|jpe?g|gif|webp|bmp);/i.test(url)) return url;
    if (/^(https?:)?\/\//i.test(url)) {
      if (!options.allowRemote) {
        counter.blocked += 1;
        return null;
      }
      return url.startsWith('//') ? `https:${url}` : url;
    }
    // Relative URLs would resolve against NocoBase itself; other schemes have no business here.
    return null;
  };
}

/** Rewrites `url(...)` in CSS text; drops `@import` (style-src allows inline CSS only). */
function rewriteCss(css: string, rewrite: Rewrite, options: PrepareOptions, counter: { blocked: number }): string {
  let out = css.replace(/@import\s+[^;]*;?/gi, '');
  out = out.replace(/url\(\s*(['"]?)(.*?)\1\s*\)/gi, (_m, _q, url: string) => {
    const next = rewrite(url.replace(/\\(.)/g, '$1'));
    return next ? `url("${next.replace(/["\\\n]/g, (c) => encodeURIComponent(c))}")` : 'none';
  });
  if (!options.allowRemote) {
    // image-set("a.png" 1x) names images without url(); treat each as a blocked image.
    out = out.replace(/(-webkit-)?image-set\([^)]*\)/gi, (m) => {
      if (/["'](https?:)?\/\//i.test(m)) counter.blocked += 1;
      return 'none';
    });
  }
  return out;
}

function rewriteLinks(root: Element) {
  root.querySelectorAll('a[href], area[href]').forEach((link) => {
    const href = (link.getAttribute('href') || '').trim();
    if (href.startsWith('#')) {
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

function rewriteResources(root: Element, rewrite: Rewrite, options: PrepareOptions, counter: { blocked: number }) {
  root.querySelectorAll('*').forEach((el) => {
    for (const attr of ['src', 'background']) {
      const value = el.getAttribute(attr);
      if (value === null) continue;
      const next = rewrite(value);
      if (next) el.setAttribute(attr, next);
      else el.removeAttribute(attr);
    }
    // Remote images, once allowed, still learn nothing of where the mail was read.
    if (el.tagName === 'IMG') el.setAttribute('referrerpolicy', 'no-referrer');
    const style = el.getAttribute('style');
    if (style) el.setAttribute('style', rewriteCss(style, rewrite, options, counter));
    if (el.tagName === 'STYLE') el.textContent = rewriteCss(el.textContent || '', rewrite, options, counter);
  });
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
  }) as unknown as HTMLElement;
  const sourceBody = purified.querySelector('body');
  // Styles of the mail's <head> are kept; nothing else of it (title, meta, links) is.
  const styles = [...purified.querySelectorAll('head style')];

  const doc = document.implementation.createHTMLDocument('');
  const csp = doc.createElement('meta');
  csp.setAttribute('http-equiv', 'Content-Security-Policy');
  csp.setAttribute('content', cspFor(options.allowRemote));
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  const referrer = doc.createElement('meta');
  referrer.setAttribute('name', 'referrer');
  referrer.setAttribute('content', 'no-referrer');
  const base = doc.createElement('base');
  base.setAttribute('target', '_blank');
  const baseStyle = doc.createElement('style');
  baseStyle.textContent = BASE_CSS;
  doc.head.replaceChildren(csp, charset, referrer, base, baseStyle, ...styles.map((s) => doc.importNode(s, true)));

  const body = doc.body;
  if (sourceBody) {
    for (const attr of ['style', 'bgcolor', 'text', 'dir', 'lang']) {
      const value = sourceBody.getAttribute(attr);
      if (value !== null) body.setAttribute(attr, value);
    }
    body.replaceChildren(...[...sourceBody.childNodes].map((n) => doc.importNode(n, true)));
  }
  rewriteLinks(body);
  rewriteResources(doc.documentElement, rewrite, options, counter);

  const headStyles = [...doc.head.querySelectorAll('style')].slice(1).map((s) => s.outerHTML).join('');
  const wrapper = doc.createElement('div');
  wrapper.className = 'mail-body';
  for (const attr of ['style', 'bgcolor', 'dir', 'lang']) {
    const value = body.getAttribute(attr);
    if (value !== null) wrapper.setAttribute(attr, value);
  }
  wrapper.innerHTML = body.innerHTML;
  const measureCss = `<style>${BASE_CSS.replace(/^body\{/, '.mail-body{')}</style>`;

  return {
    srcdoc: `<!DOCTYPE html>${doc.documentElement.outerHTML}`,
    measureHtml: measureCss + headStyles + wrapper.outerHTML,
    blockedRemote: counter.blocked,
  };
}
