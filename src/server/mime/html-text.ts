/**
 * Readable plain text from HTML, in one linear pass (html-walk.ts): for the snippet and search
 * text of received mail (parse.ts, the Outlook mapping) and for the plain-text alternative of
 * composed mail (mime/build-mime.ts).
 *
 * The text is what a reader sees, roughly as a browser's `innerText` lays it out: runs of white
 * space fold to one space (except in `<pre>`), blocks start and end on their own line, `<br>` is
 * a line break, a list item starts with "- ", table cells are set apart by a space, entities are
 * decoded, and what is never shown (script, style, title, template) is left out. At most
 * one blank line separates two blocks.
 */
import { walkHtml } from './html-walk';

export interface HtmlToTextOptions {
  /** Stop once this many characters are written (a snippet needs a few hundred). */
  maxOutputChars?: number;
}

/** Elements that end the line before them and after them. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'main',
  'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);
/**
 * Never shown: left out with everything inside them (script and style content is not HTML).
 * `<head>` itself needs no rule: what may stand in it is hidden or empty (meta, link, base), and
 * anything else ends it in browsers too, so an unclosed `<head>` cannot hide the body.
 */
const HIDDEN = new Set(['script', 'style', 'title', 'template', 'noframes']);
const CELLS = new Set(['td', 'th']);
/** HTML's white space (ASCII only: a no-break space is text and stays, as a plain space). */
const isHtmlSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
const NO_BREAK_SPACE = /\u00a0/g;

/** Plain text of `html`; linear in its length, whatever its shape. */
export function htmlToPlainText(html: string, options: HtmlToTextOptions = {}): string {
  const max = options.maxOutputChars ?? Infinity;
  const out: string[] = [];
  let length = 0;
  // Layout state: a space owed before the next word, whether the output ends with a space, how
  // many line breaks end it (0 inside a line; at most 2, one blank line), the nesting of <pre>,
  // and the hidden element being skipped (with the nesting of its name).
  let pendingSpace = false;
  let endsWithSpace = false;
  let breaks = 2;
  let preDepth = 0;
  let hidden: { name: string; depth: number } | null = null;

  const write = (piece: string) => {
    out.push(piece);
    length += piece.length;
    breaks = 0;
    endsWithSpace = piece.endsWith(' ');
  };
  const word = (piece: string) => {
    if (pendingSpace && breaks === 0 && !endsWithSpace) write(' ');
    pendingSpace = false;
    write(piece.replace(NO_BREAK_SPACE, ' '));
  };
  /** `force`: a <br> always breaks; a block only ends the line it is on. */
  const lineBreak = (force: boolean) => {
    pendingSpace = false;
    if (breaks >= 2 || (!force && breaks >= 1)) return;
    out.push('\n');
    length++;
    breaks++;
    endsWithSpace = false;
  };
  const preformatted = (text: string) => {
    text.split('\n').forEach((line, i) => {
      if (i > 0) lineBreak(true);
      if (line) word(line.endsWith('\r') ? line.slice(0, -1) : line);
    });
  };
  // White space folds to one space, found in one scan of the text.
  const flowing = (text: string) => {
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const space = i === text.length || isHtmlSpace(text.charCodeAt(i));
      if (!space) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0) word(text.slice(start, i));
      start = -1;
      if (i < text.length) pendingSpace = true;
    }
  };

  walkHtml(html, {
    openTag(name) {
      if (hidden) {
        if (name === hidden.name) hidden.depth++;
        return;
      }
      if (HIDDEN.has(name)) {
        hidden = { name, depth: 1 };
        return;
      }
      if (name === 'br') lineBreak(true);
      else if (BLOCKS.has(name)) lineBreak(false);
      if (name === 'li') write('- ');
      else if (name === 'pre') preDepth++;
      else if (CELLS.has(name)) pendingSpace = true;
    },
    closeTag(name) {
      if (hidden) {
        if (name === hidden.name && --hidden.depth === 0) hidden = null;
        return;
      }
      // `</br>` is a line break in browsers too.
      if (name === 'br') lineBreak(true);
      else if (BLOCKS.has(name)) lineBreak(false);
      if (name === 'pre' && preDepth > 0) preDepth--;
      if (CELLS.has(name)) pendingSpace = true;
    },
    text(text) {
      if (hidden) return;
      if (preDepth > 0) preformatted(text);
      else flowing(text);
    },
    done: () => length >= max,
  });
  const text = out.join('').trim();
  return text.length > max ? text.slice(0, max) : text;
}
