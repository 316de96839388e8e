/**
 * Plain-text bodies (S-CENTER-12): split off the quoted history and find the links. The reader
 * renders the pieces as React text and <a> elements, so the text itself is never parsed as HTML.
 */

export interface TextSegment {
  kind: 'text' | 'link';
  text: string;
  /** For links: http(s) or mailto only. */
  href?: string;
}

/** Web links; the class is greedy with nothing after it, so a match never backtracks. */
const WEB_LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
/** What ends a sentence rather than a URL. */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '»', ')', ']', '}', '>']);

const isWordChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
/** The local part of an address: word characters, `.`, `+`, `-`. */
const isLocalChar = (c: number) => isWordChar(c) || c === 0x2e || c === 0x2b || c === 0x2d;
const isDomainChar = (c: number) => isWordChar(c) || c === 0x2e || c === 0x2d;

/**
 * Drops punctuation that ends the sentence rather than the URL, keeping balanced brackets. The
 * brackets are counted once, not once per character dropped (a link ending in 10,000 `)`).
 */
function trimLink(candidate: string): string {
  let end = candidate.length;
  let opens = 0;
  let closes = 0;
  for (const c of candidate) {
    if (c === '(') opens += 1;
    else if (c === ')') closes += 1;
  }
  while (end > 0 && TRAILING.has(candidate[end - 1])) {
    if (candidate[end - 1] === ')') {
      if (opens >= closes) break;
      closes -= 1;
    }
    end -= 1;
  }
  return candidate.slice(0, end);
}

/** The longest `label(.label)+` at the start of `text` (a domain), or '' without two labels. */
function domainAtStart(text: string): string {
  let end = 0;
  let labels = 0;
  let labelStart = 0;
  for (let i = 0; i <= text.length; i += 1) {
    if (i < text.length && text[i] !== '.') continue;
    if (i === labelStart) break; // an empty label (`..`, a trailing or leading dot) ends the domain
    labels += 1;
    end = i;
    labelStart = i + 1;
  }
  return labels >= 2 ? text.slice(0, end) : '';
}

/**
 * Links and addresses in a plain-text body. One forward pass: web links by a regex that cannot
 * backtrack, addresses by walking out from each `@` (a run of word characters is read at most
 * twice, whatever its length: `[\w.+-]+@…` as a regex retries from every character of it).
 */
export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let index = 0;
  const emit = (start: number, link: string, href: string) => {
    if (start > index) segments.push({ kind: 'text', text: text.slice(index, start) });
    segments.push({ kind: 'link', text: link, href });
    index = start + link.length;
  };
  /** Addresses between `index` and `end`. */
  const addresses = (end: number) => {
    let at = text.indexOf('@', index);
    while (at >= 0 && at < end) {
      let left = at;
      while (left > index && isLocalChar(text.charCodeAt(left - 1))) left -= 1;
      let right = at + 1;
      while (right < end && isDomainChar(text.charCodeAt(right))) right += 1;
      const domain = domainAtStart(text.slice(at + 1, right));
      if (left < at && domain) emit(left, text.slice(left, at + 1 + domain.length), `mailto:${text.slice(left, at + 1 + domain.length)}`);
      at = text.indexOf('@', Math.max(at + 1, index));
    }
  };
  for (const match of text.matchAll(WEB_LINK)) {
    const start = match.index ?? 0;
    if (start < index) continue;
    addresses(start);
    const link = trimLink(match[0]);
    if (!link) continue;
    emit(start, link, /^www\./i.test(link) ? `http://${link}` : link);
  }
  addresses(text.length);
  if (index < text.length) segments.push({ kind: 'text', text: text.slice(index) });
  return segments;
}

const isQuote = (line: string) => /^\s*>/.test(line);
const isBlank = (line: string) => !line.trim();
/** "On Mon, 1 Jan 2026, Ann <a@x> wrote:" (English and Chinese clients). */
const WROTE = /^\s*(On\b.*\bwrote:|在.*写道[:：])\s*$/i;
/** Outlook and others paste the original below a separator, without ">" marks. */
const ORIGINAL = /^\s*(-{2,}\s*(Original Message|原始邮件)\s*-{2,}|_{20,})\s*$/i;

/** Where the quoted history starts, or -1. Only top-posted history is collapsed. */
function quoteStart(lines: string[]): number {
  // quotedFrom[i]: every line from i on is quote or blank (computed once, not once per header line).
  const quotedFrom = new Array<boolean>(lines.length + 1);
  quotedFrom[lines.length] = true;
  for (let i = lines.length - 1; i >= 0; i -= 1) quotedFrom[i] = quotedFrom[i + 1] && (isQuote(lines[i]) || isBlank(lines[i]));
  for (let i = 1; i < lines.length; i += 1) {
    if (ORIGINAL.test(lines[i])) return i;
    // Gmail wraps a long "On … wrote:" over two lines.
    const header = WROTE.test(lines[i]) ? 1 : /^\s*On\b/i.test(lines[i]) && WROTE.test(`${lines[i]} ${lines[i + 1] || ''}`) ? 2 : 0;
    // Inline replies interleave new text with the quote: collapsing would hide the answer.
    if (header && quotedFrom[Math.min(i + header, lines.length)]) return i;
  }
  let start = lines.length;
  while (start > 0 && (isQuote(lines[start - 1]) || isBlank(lines[start - 1]))) start -= 1;
  return lines.slice(start).some(isQuote) ? start : -1;
}

/** The new text, and the quoted history below it (null when there is none to collapse). */
export function splitQuoted(text: string): { main: string; quoted: string | null } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = quoteStart(lines);
  if (start <= 0) return { main: text, quoted: null };
  const main = lines.slice(0, start).join('\n').trimEnd();
  // A mail that is nothing but quote is shown whole.
  if (!main.trim()) return { main: text, quoted: null };
  return { main, quoted: lines.slice(start).join('\n') };
}
