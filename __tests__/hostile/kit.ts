/**
 * Building blocks of the hostile corpus: what a vector is, the canary every script vector tries
 * to set, and the leak URLs every remote-load vector points at. The vectors are our own, written
 * after studying public collections (cure53's DOMPurify fixtures, HTML5 Security Cheatsheet and
 * HTTPLeaks, published mXSS write-ups); nothing of theirs is copied here.
 */

export interface HostileVector {
  /** Unique, `[a-z0-9-]` only: it is written into canaries and leak URLs, so a hit names its vector. */
  id: string;
  category: string;
  /** Where the idea came from ("inspired by …", or "own" for findings in this project). */
  source: string;
  /** The mail body. */
  html: string;
}

/** Where leak vectors point; the browser test answers it with 204 and counts every request. */
export interface LeakTarget {
  /** `http://leak.hostile.test` (no trailing slash). */
  origin: string;
  /** `leak.hostile.test` (with the port, if any). */
  host: string;
}

/** The origin the corpus uses when the caller has no better one (never resolvable: `.test`). */
export const DEFAULT_LEAK_ORIGIN = 'http://leak.hostile.test';

/**
 * Path prefix for vectors that aim at the app's own origin (relative URLs resolve against the
 * page that shows the mail). Such a request is no internet leak, but it is the mail making the
 * user's browser call the app, so the test counts it too.
 */
export const SAME_ORIGIN_MARK = 'hostile-rel';

export function leakTarget(leakOrigin: string = DEFAULT_LEAK_ORIGIN): LeakTarget {
  const url = new URL(leakOrigin);
  return { origin: `${url.protocol}//${url.host}`, host: url.host };
}

/** The vector id a leak URL carries (its first path segment), or null for other URLs. */
export function vectorIdOfUrl(url: string, target: LeakTarget): string | null {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter(Boolean);
    if (parsed.host === target.host) return segments[0] ?? '';
    const at = segments.indexOf(SAME_ORIGIN_MARK);
    return at >= 0 ? segments[at + 1] ?? '' : null;
  } catch {
    return null;
  }
}

/**
 * The script a vector tries to run. It leaves three traces, each enough on its own: an alert
 * (a dialog in the app window; a sandboxed frame without allow-modals ignores it), and
 * `__pwned` on its own window, its parent and the top window (cross-origin writes throw, so
 * they come last). No spaces, and only the chosen quote, so it fits unquoted attributes.
 */
export function canary(id: string, quote: "'" | '"' | '`' = "'"): string {
  const q = (s: string) => `${quote}${s}${quote}`;
  return `window.__pwned=${q(id)},alert(${q(id)}),parent.__pwned=${q(id)},top.__pwned=${q(id)}`;
}

/** The canary as a whole `<script>` body for places where a script element is the vector. */
export const canaryStatement = (id: string) => `${canary(id)};`;

/** Every request a vector can cause, spelled the ways URLs can be spelled. */
export function leakUrls(target: LeakTarget, id: string) {
  const path = `/${id}`;
  const scheme = target.origin.slice(0, target.origin.indexOf(':'));
  return {
    plain: `${target.origin}${path}`,
    protocolRelative: `//${target.host}${path}`,
    upperScheme: `${scheme.toUpperCase()}://${target.host}${path}`,
    /** `http:` spelled with numeric character references (decoded by the HTML parser). */
    entityScheme: `${[...scheme].map((c) => `&#${c.charCodeAt(0)};`).join('')}://${target.host}${path}`,
    /** A tab inside the scheme: the URL parser removes ASCII tab and newline anywhere. */
    tabInScheme: `${scheme.slice(0, 2)}\t${scheme.slice(2)}://${target.host}${path}`,
    /** Backslashes count as slashes in http(s) URLs. */
    backslashes: `${scheme}:\\\\${target.host}${path}`,
    slashBackslash: `/\\${target.host}${path}`,
    /** Leading whitespace and control characters are stripped before parsing. */
    leadingSpace: ` \n ${target.origin}${path}`,
    /** `https:host/path` is absolute when the base has another scheme (ours is http). */
    noSlashesOtherScheme: `${scheme === 'https' ? 'http' : 'https'}:${target.host}${path}`,
    percentHost: `${target.origin.replace(target.host, [...target.host].map((c) => (/[a-z]/.test(c) ? `%${c.charCodeAt(0).toString(16)}` : c)).join(''))}${path}`,
    sameOrigin: `/${SAME_ORIGIN_MARK}${path}`,
    sameOriginRelative: `${SAME_ORIGIN_MARK}${path}`,
  };
}

/** A CSS identifier with every character as a hex escape (`url` → `\75 \72 \6c `). */
export const cssHexEscape = (text: string, width = 0) =>
  [...text].map((c) => (width ? `\\${c.charCodeAt(0).toString(16).padStart(width, '0')}` : `\\${c.charCodeAt(0).toString(16)} `)).join('');

/** Fills `{id}` and the leak URLs of a vector template. */
export function vector(category: string, source: string, id: string, html: string): HostileVector {
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`vector id ${id}: use [a-z0-9-] only`);
  return { id, category, source, html };
}
