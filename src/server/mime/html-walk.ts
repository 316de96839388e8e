/**
 * One pass over untrusted HTML (mail bodies, composed mail) as a stream of tags and decoded text,
 * on htmlparser2's tokenizer. It is the single place the server reads HTML: the plain text of a
 * body (html-text.ts) and the sanitized quote of a reply (send/quote-html.ts) are both built on it.
 *
 * Why the tokenizer and not htmlparser2's `Parser`: the tokenizer is a state machine that looks at
 * each character once (linear, whatever the input), while the Parser keeps its open-element stack
 * with `unshift`/`indexOf`, which costs O(depth) per tag: 100,000 nested `<div>` then stray close
 * tags take seconds there. Callers that need nesting keep their own stack with O(1) operations.
 *
 * What comes out: lower-cased tag and attribute names, attribute values and text with entities
 * decoded (by the tokenizer, the way browsers decode them), the first of duplicated attributes.
 * Comments, CDATA, doctypes and processing instructions are not reported: nothing shows them.
 * Unfinished constructs at the end (`<a href="…` without `>`) are dropped, as browsers drop them.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

export interface HtmlAttribute {
  name: string;
  value: string;
}

export interface HtmlHandler {
  /** `selfClosing` is the `/>` spelling, which HTML ignores on non-void elements. */
  openTag?(name: string, attributes: HtmlAttribute[], selfClosing: boolean): void;
  closeTag?(name: string): void;
  /** Decoded text; raw for the content of `<script>`/`<style>`, which is not HTML. */
  text?(text: string): void;
  /** Asked after every text event: true stops the walk (a caller that has enough output). */
  done?(): boolean;
}

/**
 * Attributes kept per tag. A real tag has a handful; `<a <a <a …` is one tag with an attribute per
 * repeat (300,000 in 1 MB). Browsers keep them all; nothing we build needs more than this.
 */
export const MAX_ATTRIBUTES_PER_TAG = 64;

/** Text handed on in pieces of about this size at most, so a caller can stop early. */
const TEXT_FLUSH_CHARS = 16_384;
/** The largest code point; a numeric entity beyond it reads as U+FFFD, as in browsers. */
const MAX_CODE_POINT = 0x10ffff;
const REPLACEMENT = '\ufffd';

const charOf = (codePoint: number) =>
  codePoint > 0 && codePoint <= MAX_CODE_POINT && !(codePoint >= 0xd800 && codePoint <= 0xdfff) ? String.fromCodePoint(codePoint) : REPLACEMENT;

/** Walks `html` once, calling `handler` for each tag and piece of text, in document order. */
export function walkHtml(html: string, handler: HtmlHandler): void {
  let tagName = '';
  let attributes: HtmlAttribute[] = [];
  let seen = new Set<string>();
  let attributeName = '';
  // Pieces of the current attribute value, joined once at its end (values arrive in slices
  // around each entity).
  let valueParts: string[] = [];

  // Text arrives in many pieces (one per entity, one per stray `<`: a million for 1 MB of `<`).
  // Adjacent pieces of the source are kept as one range; the whole is handed on joined, before
  // the next tag or every TEXT_FLUSH_CHARS, in one call.
  let textParts: string[] = [];
  let textLength = 0;
  let rangeStart = 0;
  let rangeEnd = 0;

  const slice = (start: number, end: number) => html.slice(start, end);
  const closeRange = () => {
    if (rangeEnd > rangeStart) textParts.push(slice(rangeStart, rangeEnd));
    rangeStart = rangeEnd = 0;
  };
  const flushText = () => {
    closeRange();
    if (!textLength) return;
    const joined = textParts.length === 1 ? textParts[0] : textParts.join('');
    textParts = [];
    textLength = 0;
    handler.text?.(joined);
    if (handler.done?.()) tokenizer.pause();
  };
  const afterText = (length: number) => {
    textLength += length;
    if (textLength >= TEXT_FLUSH_CHARS) flushText();
  };
  const sourceText = (start: number, end: number) => {
    if (end <= start) return;
    if (start !== rangeEnd || rangeEnd === 0) {
      closeRange();
      rangeStart = start;
    }
    rangeEnd = end;
    afterText(end - start);
  };
  const decodedText = (value: string) => {
    closeRange();
    textParts.push(value);
    afterText(value.length);
  };
  const endOpenTag = (selfClosing: boolean) => {
    flushText();
    const name = tagName;
    const list = attributes;
    tagName = '';
    attributes = [];
    seen = new Set();
    if (name) handler.openTag?.(name, list, selfClosing);
  };

  const callbacks: TokenizerCallbacks = {
    ontext: sourceText,
    ontextentity: (codePoint) => decodedText(charOf(codePoint)),
    onopentagname: (start, end) => {
      tagName = slice(start, end).toLowerCase();
    },
    onattribname: (start, end) => {
      attributeName = slice(start, end).toLowerCase();
      valueParts = [];
    },
    onattribdata: (start, end) => {
      if (end > start) valueParts.push(slice(start, end));
    },
    onattribentity: (codePoint) => {
      valueParts.push(charOf(codePoint));
    },
    onattribend: () => {
      // Browsers keep the first of two attributes with one name; so do we.
      if (attributes.length < MAX_ATTRIBUTES_PER_TAG && !seen.has(attributeName)) {
        seen.add(attributeName);
        attributes.push({ name: attributeName, value: valueParts.join('') });
      }
      valueParts = [];
    },
    onopentagend: () => endOpenTag(false),
    onselfclosingtag: () => endOpenTag(true),
    onclosetag: (start, end) => {
      flushText();
      handler.closeTag?.(slice(start, end).toLowerCase());
    },
    oncomment: () => undefined,
    oncdata: () => undefined,
    ondeclaration: () => undefined,
    onprocessinginstruction: () => undefined,
    onend: () => undefined,
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  // One write of the whole string: the tokenizer's indexes are then indexes into `html`.
  tokenizer.write(html);
  if (tokenizer.running) tokenizer.end();
  if (tokenizer.running) flushText();
}
