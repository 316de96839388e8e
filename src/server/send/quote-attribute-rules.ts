/**
 * Which URL and inline-style values may stay in a quoted mail (send/quote-html.ts). Both checks
 * scan the value once; no regular expression backtracks on them.
 */

/** Attributes that hold a URL the browser may load or navigate to. */
export const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'cite', 'longdesc', 'lowsrc', 'dynsrc', 'data',
  'codebase', 'usemap', 'ping', 'manifest', 'icon', 'profile', 'srcset', 'archive', 'classid',
]);
/** Schemes that neither run code nor leave the mail: web links, mail and phone links, parts of the mail. */
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'cid']);
/** Where a `data:` URL may stand: images only, and only as an image (never a link to navigate to). */
const IMAGE_ATTRIBUTES = new Set(['src', 'background', 'poster']);
/** SVG can hold script and links of its own; as a data: image it is not needed in a quote. */
const SAFE_DATA_PREFIX = 'image/';
const UNSAFE_DATA_PREFIX = 'image/svg';

/**
 * In style attributes: anything that loads (url(), image-set(), @import), runs (IE's expression()
 * and behavior, Firefox's -moz-binding) or hides one of these (a backslash escape). A quote needs
 * no remote CSS; the client's reader treats full stylesheets with a CSS parser.
 */
const UNSAFE_STYLE_PARTS = ['expression(', 'url(', 'image-set(', '@import', 'behavior', '-moz-binding', 'javascript:'];

const isAsciiLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isSchemeChar = (c: number) => isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
/** C0 controls and space: what browsers strip from both ends of a URL. */
const isControlOrSpace = (c: number) => c <= 0x20;
/** Tab, line feed, carriage return: what browsers remove anywhere in a URL. */
const isTabOrNewline = (c: number) => c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The value to keep for a URL attribute, or null to drop the attribute. The URL is read as
 * browsers read it (ends trimmed of controls and spaces, tabs and newlines removed), and the scheme
 * is looked for with every control character removed as well, so `java\x01script:` is refused
 * rather than trusted to stay broken. A URL without a scheme is relative and harmless.
 */
export function safeUrl(value: string, attribute: string): string | null {
  let start = 0;
  let end = value.length;
  while (start < end && isControlOrSpace(value.charCodeAt(start))) start++;
  while (end > start && isControlOrSpace(value.charCodeAt(end - 1))) end--;
  let url = '';
  let piece = start;
  for (let i = start; i < end; i++) {
    if (!isTabOrNewline(value.charCodeAt(i))) continue;
    url += value.slice(piece, i);
    piece = i + 1;
  }
  url += value.slice(piece, end);

  const scheme = schemeOf(url);
  if (scheme === null || SAFE_SCHEMES.has(scheme)) return url;
  if (scheme !== 'data' || !IMAGE_ATTRIBUTES.has(attribute)) return null;
  const type = url.slice(url.indexOf(':') + 1, url.indexOf(':') + 1 + 16).trimStart().toLowerCase();
  return type.startsWith(SAFE_DATA_PREFIX) && !type.startsWith(UNSAFE_DATA_PREFIX) ? url : null;
}

/** Longer than any scheme that matters here; a longer one is kept as "unknown" (refused). */
const MAX_SCHEME_LENGTH = 32;

/** The lower-cased scheme (`javascript`), or null for a relative URL; controls are skipped. */
function schemeOf(url: string): string | null {
  const chars: string[] = [];
  let length = 0;
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) continue;
    if (c === 0x3a) {
      if (!length) return null;
      return length > MAX_SCHEME_LENGTH ? 'unknown' : chars.join('').toLowerCase();
    }
    // A scheme starts with a letter and holds letters, digits, "+", "-", "."; anything else
    // first (a "/", "?", "#", a space) makes the URL relative.
    if (length ? !isSchemeChar(c) : !isAsciiLetter(c)) return null;
    if (++length <= MAX_SCHEME_LENGTH) chars.push(url[i]);
  }
  return null;
}

/** True when an inline style loads and runs nothing (see UNSAFE_STYLE_PARTS). */
export function safeStyle(style: string): boolean {
  if (style.includes('\\')) return false;
  // Compared without comments, white space and controls, lower-cased: `URL (`, `ur/**/l(` and
  // `EXPRESSION (` are caught too (some are not CSS at all; dropping them costs nothing).
  const kept: string[] = [];
  let piece = 0;
  let i = 0;
  const skip = (to: number) => {
    if (i > piece) kept.push(style.slice(piece, i));
    i = to;
    piece = to;
  };
  while (i < style.length) {
    const c = style.charCodeAt(i);
    if (c === 0x2f && style.charCodeAt(i + 1) === 0x2a) {
      const close = style.indexOf('*/', i + 2);
      skip(close < 0 ? style.length : close + 2);
    } else if (c <= 0x20 || c === 0x7f) skip(i + 1);
    else i++;
  }
  skip(i);
  const compact = kept.join('').toLowerCase();
  return !UNSAFE_STYLE_PARTS.some((part) => compact.includes(part));
}
