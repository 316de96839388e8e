/**
 * The body as the editor holds it and as the server takes it. The server's quote (a reply's or
 * forward's original, `<div class="email-manager-quote">`) stays out of the rich-text editor:
 * the editor's schema would flatten the original's tables and styles, so the quote is shown
 * read-only below the editor and joined back on save and send. Inline images are `cid:` in the
 * mail and a local blob: URL in the editor; `data-cid` carries the content id in between.
 */
import { escapeHtml } from '../../shared/html-escape';

/** The class the server puts on the quote it builds (src/server/send/reply-rules.ts). */
export const QUOTE_CLASS = 'email-manager-quote';
/** Where the editor keeps an inline image's content id. */
export const CID_ATTR = 'data-cid';
/** Reserved for the signature block (S-SIG-1): picking another signature replaces only this. */
export const SIGNATURE_CLASS = 'email-manager-signature';

function parse(html: string): HTMLElement {
  const doc = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html');
  return doc.body;
}

/** The user's part and the quote of a stored body (a reply draft reopened, or ReplyDraft.html). */
export function splitQuote(html: string): { body: string; quote: string } {
  if (!html || !html.includes(QUOTE_CLASS)) return { body: html || '', quote: '' };
  const root = parse(html);
  const quote = root.querySelector(`.${QUOTE_CLASS}`);
  if (!quote) return { body: html, quote: '' };
  const quoteHtml = quote.outerHTML;
  quote.remove();
  return { body: root.innerHTML.trim(), quote: quoteHtml };
}

/** `cid:` images of the body shown from local URLs, their ids kept in `data-cid`. */
export function toEditorHtml(html: string, cidUrls: Record<string, string>, clean: (cid: string) => string): string {
  if (!html || !/cid:/i.test(html)) return html || '';
  const root = parse(html);
  root.querySelectorAll('img').forEach((img) => {
    const src = img.getAttribute('src') || '';
    if (!/^cid:/i.test(src)) return;
    const cid = src.slice(4);
    const url = cidUrls[clean(cid)];
    if (!url) return;
    img.setAttribute('src', url);
    img.setAttribute(CID_ATTR, cid);
  });
  return root.innerHTML;
}

/** The editor's HTML as mail: inline images back to `cid:`; local images that lost their id are dropped. */
export function fromEditorHtml(html: string): string {
  if (isBlankHtml(html)) return '';
  const root = parse(html);
  root.querySelectorAll('img').forEach((img) => {
    const cid = img.getAttribute(CID_ATTR);
    if (cid) {
      img.setAttribute('src', `cid:${cid}`);
      img.removeAttribute(CID_ATTR);
    } else if (/^(blob|data):/i.test(img.getAttribute('src') || '')) {
      img.remove();
    }
  });
  return root.innerHTML;
}

/**
 * The HTML without the `cid:` images that `keep` refuses (all of them without `keep`), read in an
 * inert document: a tag regex over it would backtrack on unclosed tags, and this HTML can carry a
 * quoted mail.
 */
export function withoutCidImages(html: string, keep: (cid: string) => boolean = () => false): string {
  if (!html || !/cid:/i.test(html)) return html || '';
  const root = parse(html);
  root.querySelectorAll('img').forEach((img) => {
    const src = (img.getAttribute('src') || '').trim();
    if (/^cid:/i.test(src) && !keep(src.slice(4))) img.remove();
  });
  return root.innerHTML;
}

/** The whole body the server gets: the user's text (signature included) above the quote. */
export function joinBody(body: string, quote: string): string {
  // The quote is a block of its own: no separator, so a reopened draft splits back exactly.
  return `${body}${quote}`;
}

/** An editor with no text and no image (TipTap's empty document is `<p></p>`). */
export function isBlankHtml(html: string): boolean {
  if (!html) return true;
  if (/<img\b/i.test(html)) return false;
  return withoutTags(html).replace(/&nbsp;|\u00a0/g, ' ').trim() === '';
}

/**
 * The text between tags, in one forward scan (a `<[^>]*>` regex retries from every unclosed `<`:
 * quadratic on a run of them). An unclosed `<` and what follows stay text, as in that regex.
 */
function withoutTags(html: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = html.indexOf('<', at);
    if (open < 0) return out + html.slice(at);
    const close = html.indexOf('>', open + 1);
    if (close < 0) return out + html.slice(at);
    out += html.slice(at, open);
    at = close + 1;
  }
}

/** Plain text as editor paragraphs, escaped (a block's default content may hold `<` and `&`). */
export function plainTextToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}
