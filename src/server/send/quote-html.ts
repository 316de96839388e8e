/**
 * The original's body as it goes into a quote. Mail HTML is untrusted: the quote is shown in the
 * client's sandboxed frame, lands in the user's editor and is sent on in other people's mail. So
 * it is rebuilt here from an allow-list, in one linear pass over the HTML (mime/html-walk.ts):
 * only known formatting elements and attributes come out, URLs only with harmless schemes, inline
 * styles only when they load nothing and run nothing. Everything is re-serialized, never copied:
 * text and attribute values escaped, values double-quoted, open elements closed in order, so the
 * browser tokenizes the output exactly as it is written here (no raw `<` in text, no element whose
 * content is not HTML, such as script, style, textarea or svg).
 */
import { escapeHtml } from '../../shared/html-escape';
import { walkHtml, type HtmlAttribute } from '../mime/html-walk';
import { offThread } from '../mime/parse-thread';
import { safeStyle, safeUrl, URL_ATTRIBUTES } from './quote-attribute-rules';

/**
 * Removed with everything inside them: active, hidden, or not HTML inside (raw text, foreign XML).
 * `<head>` needs no entry: what may stand in it is dropped here anyway, and any other element ends
 * it in browsers, so an unclosed `<head>` must not hide the body (its tag is dropped like `<html>`).
 */
const DROPPED_WITH_CONTENT = new Set([
  'script', 'style', 'title', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'noembed', 'noframes', 'frameset',
]);
/** Kept, with their allowed attributes. Anything else (html, body, form, input, custom tags…) loses its tag and keeps its content. */
const ALLOWED_ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite',
  'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1',
  'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol', 'p', 'pre', 'q', 's',
  'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead',
  'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
]);
/** Elements without content or end tag. */
const VOID_ELEMENTS = new Set(['br', 'col', 'hr', 'img', 'wbr', 'embed']);
/**
 * Presentation and meaning only. No `id`/`name` (they could clobber names in the editor's page),
 * no `class` (the mail's stylesheets are dropped, and the page's own classes must not apply).
 */
const ALLOWED_ATTRIBUTES = new Set([
  'abbr', 'align', 'alt', 'background', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'cite', 'clear', 'color', 'colspan',
  'datetime', 'dir', 'face', 'frame', 'headers', 'height', 'href', 'hspace', 'lang', 'noshade', 'nowrap', 'reversed', 'rowspan',
  'rules', 'scope', 'size', 'span', 'src', 'start', 'style', 'summary', 'title', 'type', 'valign', 'value', 'vspace', 'width',
]);
/**
 * Open elements kept nested. Real mail nests tables a few dozen deep; Chromium's parser stops
 * nesting at 512. Deeper start tags are dropped (their content kept) so the quote stays a shape
 * every reader lays out quickly.
 */
export const MAX_QUOTE_DEPTH = 256;
/**
 * HTML of the original read for a quote. A quote is for context; 1 MB of HTML is a long
 * newsletter many times over, and a 5 MB original would take the walk about half a second, all
 * of it on the event loop every user shares. Past it the quote ends with "[…]".
 */
export const MAX_QUOTE_SOURCE_CHARS = 1_000_000;
const CLIPPED_MARK = '<p>[…]</p>';

export function safeQuotedHtml(html: string, text: string): string {
  if (!html?.trim()) return plainToHtml((text || '').slice(0, MAX_QUOTE_SOURCE_CHARS));
  if (html.length > MAX_QUOTE_SOURCE_CHARS) return quoteOf(html.slice(0, MAX_QUOTE_SOURCE_CHARS)) + CLIPPED_MARK;
  return quoteOf(html);
}

/**
 * safeQuotedHtml, in the worker thread for a large original: the walk of 1 MB of HTML (an
 * entity flood, a run of `<`) takes 100–300 ms, which every user of the app would wait.
 */
export function safeQuotedHtmlOffThread(html: string, text: string): Promise<string> {
  return offThread<string>(html?.length ?? 0, { op: 'quote', html, text }, [], () => safeQuotedHtml(html, text));
}

/** The allow-listed rebuild of `html` (see the top of this file). */
function quoteOf(html: string): string {
  const out: string[] = [];
  // The open elements written so far, and how many of each name: a close tag of a name not open
  // is ignored in O(1), and one that is open pops at most what was pushed (linear overall).
  const open: string[] = [];
  const openCount = new Map<string, number>();
  // Start tags dropped for depth, per name, so their end tags do not close an outer element.
  const tooDeep = new Map<string, number>();
  let dropped: { name: string; depth: number } | null = null;

  const add = (map: Map<string, number>, name: string, delta: number) => map.set(name, (map.get(name) || 0) + delta);
  const closeUpTo = (name: string) => {
    for (;;) {
      const top = open.pop()!;
      add(openCount, top, -1);
      out.push(`</${top}>`);
      if (top === name) return;
    }
  };

  walkHtml(html, {
    openTag(name, attributes) {
      if (dropped) {
        if (name === dropped.name) dropped.depth++;
        return;
      }
      if (DROPPED_WITH_CONTENT.has(name)) {
        if (!VOID_ELEMENTS.has(name)) dropped = { name, depth: 1 };
        return;
      }
      if (!ALLOWED_ELEMENTS.has(name)) return;
      if (VOID_ELEMENTS.has(name)) {
        out.push(`<${name}${serializeAttributes(attributes)}>`);
        return;
      }
      if (open.length >= MAX_QUOTE_DEPTH) {
        add(tooDeep, name, 1);
        return;
      }
      out.push(`<${name}${serializeAttributes(attributes)}>`);
      open.push(name);
      add(openCount, name, 1);
    },
    closeTag(name) {
      if (dropped) {
        if (name === dropped.name && --dropped.depth === 0) dropped = null;
        return;
      }
      if (tooDeep.get(name)) add(tooDeep, name, -1);
      else if (openCount.get(name)) closeUpTo(name);
    },
    text(value) {
      if (!dropped) out.push(escapeText(value));
    },
  });
  while (open.length) out.push(`</${open.pop()}>`);
  return out.join('').trim();
}

function serializeAttributes(attributes: HtmlAttribute[]) {
  let result = '';
  for (const { name, value } of attributes) {
    // Event handlers are never in the allow-list; said twice because it matters most.
    if (!ALLOWED_ATTRIBUTES.has(name) || name.startsWith('on')) continue;
    let kept: string | null = value;
    if (URL_ATTRIBUTES.has(name)) kept = safeUrl(value, name);
    else if (name === 'style') kept = safeStyle(value) ? value : null;
    if (kept !== null) result += ` ${name}="${escapeAttribute(kept)}"`;
  }
  return result;
}

/** Plain text as HTML: escaped, line breaks kept. */
export function plainToHtml(text: string) {
  return `<div>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</div>`;
}

export { escapeHtml };

// Plain string replacements (native, linear): a text of a million `<` is one call, not a million.
/** Text content: `<` and `&` could start markup or a reference; NUL is dropped as browsers drop it. */
const escapeText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\0', '');
/** A double-quoted value: only `"` ends it and `&` starts a reference; `<`/`>` escaped for old parsers. */
const escapeAttribute = (value: string) => escapeText(value).replaceAll('"', '&quot;');
