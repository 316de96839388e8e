/**
 * The input shapes that made regex-based mail code quadratic (or worse), at a given size: what P8
 * feeds to the server (import, draft, reply quote) and to the reader. Each shape is the worst case
 * of a pattern that was once in this code base or is common in mail code:
 * - `<` without `>` against `<[^>]*>`; `<a <a <a` (one tag with a huge attribute list);
 * - millions of (near-)empty lines, against a MIME parser's per-line cost;
 * - an unclosed `<script>`/`<style>`/`<head>` against a lazy `[\s\S]*?<\/\1>`;
 * - 100,000s of nested or stray tags against a parser's open-element stack;
 * - unclosed comments, entity floods, long runs of white space before a non-space;
 * - CSS: one rule repeated, `url(` without `)`, escapes everywhere (the reader's CSS parser);
 * - plain text: a word without `@` against `[\w.+-]+@…`, `)` runs after a link, `>` quote lines.
 */

export interface HostileShape {
  id: string;
  html?: string;
  text?: string;
}

const MB = 1024 * 1024;

/** `unit` repeated to `size` characters (whole units), after `prefix`. */
const fill = (unit: string, size: number, prefix = '', suffix = '') => prefix + unit.repeat(Math.max(1, Math.floor((size - prefix.length - suffix.length) / unit.length))) + suffix;

export function hostileShapes(size: number): HostileShape[] {
  const tag = `${Math.round(size / MB)}mb`;
  const shapes: HostileShape[] = [
    { id: 'lt-run', html: fill('<', size) },
    { id: 'lt-a-run', html: fill('<a ', size) },
    { id: 'lt-slash-run', html: fill('</', size) },
    { id: 'unclosed-script', html: fill('a', size, '<p>x</p><script>') },
    { id: 'unclosed-style', html: fill('a{b:c}', size, '<p>x</p><style>') },
    { id: 'head-backreference', html: fill('<head>', size) },
    { id: 'style-backreference', html: fill('<style><script>', size) },
    { id: 'nested-div', html: fill('<div>', size) },
    { id: 'nested-table', html: fill('<table><tr><td>', size) },
    { id: 'stray-close', html: fill('</p>', size, '<div>') },
    { id: 'unclosed-comment', html: fill('<!--', size) },
    { id: 'entity-flood', html: fill('&amp;&#60;&lt', size) },
    { id: 'space-run', html: fill(' ', size, '<p>', 'x</p>') },
    { id: 'newline-run', html: fill('\n', size, '<p>', 'x</p>') },
    { id: 'short-lines', html: fill('<p>x</p>\n', size) },
    { id: 'attribute-quote', html: fill('a', size, '<p title="') },
    { id: 'css-rules', html: fill('p{color:red;background:url(cid:x)}', size, '<style>', '</style><p>x</p>') },
    { id: 'css-unclosed-url', html: fill('url(', size, '<p style="background:', '">x</p>') },
    { id: 'css-escapes', html: fill('\\75 \\72 \\6c (', size, '<style>p{background:', '}</style><p>x</p>') },
    { id: 'text-no-at', text: fill('a', size) },
    { id: 'text-dots-at', text: fill('a.', size, '', '@') },
    { id: 'text-link-parens', text: fill(')', size, 'see http://x.test/') },
    { id: 'text-quote-lines', text: fill('On Mon, Ann wrote:\n> a\n', size, 'Hi\n') },
    { id: 'text-space-run', text: fill(' ', size, 'a', 'b') },
  ];
  return shapes.map((shape) => ({ ...shape, id: `${shape.id}-${tag}` }));
}

export const SHAPE_SIZES = [1 * MB, 5 * MB];
