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

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;
const TRAILING = /[.,;:!?'"»)\]}>]$/;

/** Drops punctuation that ends the sentence rather than the URL, keeping balanced brackets. */
function trimLink(candidate: string): string {
  let link = candidate;
  while (TRAILING.test(link)) {
    const last = link[link.length - 1];
    if (last === ')' && (link.match(/\(/g) || []).length >= (link.match(/\)/g) || []).length) break;
    link = link.slice(0, -1);
  }
  return link;
}

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let index = 0;
  for (const match of text.matchAll(LINK)) {
    const start = match.index ?? 0;
    const link = trimLink(match[0]);
    if (!link) continue;
    if (start > index) segments.push({ kind: 'text', text: text.slice(index, start) });
    const href = link.includes('@') && !/^(https?:\/\/|www\.)/i.test(link) ? `mailto:${link}` : /^www\./i.test(link) ? `http://${link}` : link;
    segments.push({ kind: 'link', text: link, href });
    index = start + link.length;
  }
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
  for (let i = 1; i < lines.length; i += 1) {
    if (ORIGINAL.test(lines[i])) return i;
    // Gmail wraps a long "On … wrote:" over two lines.
    const header = WROTE.test(lines[i]) ? 1 : /^\s*On\b/i.test(lines[i]) && WROTE.test(`${lines[i]} ${lines[i + 1] || ''}`) ? 2 : 0;
    // Inline replies interleave new text with the quote: collapsing would hide the answer.
    if (header && lines.slice(i + header).every((l) => isQuote(l) || isBlank(l))) return i;
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
  const main = lines.slice(0, start).join('\n').replace(/\s+$/, '');
  // A mail that is nothing but quote is shown whole.
  if (!main.trim()) return { main: text, quoted: null };
  return { main, quoted: lines.slice(start).join('\n') };
}
