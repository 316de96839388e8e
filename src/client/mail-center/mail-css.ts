import type { CssNode, List, ListItem } from 'css-tree';
import generate from 'css-tree/generator';
import parse from 'css-tree/parser';
import { ident } from 'css-tree/utils';
import walk from 'css-tree/walker';

/**
 * The CSS of a received mail, through a real CSS parser (css-tree) rather than regexes: a regex
 * sees `url(` where the browser sees `u\72 l(`, `\75 rl(`, `image-set("…")` or a custom property
 * that a `var()` turns into a URL later. Here every construct that can fetch something is found
 * on the parsed tree, after CSS escapes are decoded, and either rewritten or dropped:
 *
 * - at-rules: only the ones that merely group or lay out (`@media`, `@supports`, `@keyframes`,
 *   `@page`, `@container`, `@layer`) stay; `@import`, `@font-face`, `@namespace`,
 *   `@counter-style` (image symbols), `@property` (URL initial values) and unknown ones go;
 * - `url()` and `src()` go through the caller's rewriter (data: images, `cid:`, remote images
 *   only after "Show images"); `image-set()` strings likewise. Only in properties that show an
 *   image (backgrounds, border images, list markers, generated content): elsewhere a URL names
 *   an SVG filter, clip path, mask or cursor, which the browser fetches as a document, not as an
 *   image, so its declaration goes (custom properties too: a `var()` could carry one anywhere);
 * - functions that fetch or reach outside the rule (`image()`, `cross-fade()`, `element()`,
 *   `attr()`, `expression()`, `paint()`) drop their declaration;
 * - `behavior` and `-moz-binding` (script bindings in old engines) drop their declaration;
 * - anything the parser could not read (a `Raw` node: broken or deliberately confusing input)
 *   drops its declaration or rule, because the browser might read it differently.
 *
 * The output is generated from the tree, and a `<` in it is escaped (`\3c `), so no CSS text can
 * ever close the `<style>` element around it, whoever serialises it.
 */

/** The rewriter of html-prep: a URL to keep (possibly changed), or null to drop it. */
export type UrlRewrite = (url: string) => string | null;

/** Mail CSS larger than this is not styling but an attack or a mistake; the mail shows unstyled. */
export const MAX_CSS_LENGTH = 512 * 1024;

const KEPT_AT_RULES = new Set(['media', 'supports', 'keyframes', '-webkit-keyframes', '-moz-keyframes', 'page', 'container', 'layer']);
const URL_FUNCTIONS = new Set(['url', 'src']);
const IMAGE_SET_FUNCTIONS = new Set(['image-set', '-webkit-image-set']);
const DROPPING_FUNCTIONS = new Set(['image', 'cross-fade', '-webkit-cross-fade', 'element', '-moz-element', 'attr', 'expression', 'paint']);
const DROPPED_PROPERTIES = new Set(['behavior', '-ms-behavior', '-moz-binding']);
/** Properties whose URLs are images: the only loads "Show images" allows. */
const IMAGE_PROPERTIES = new Set([
  'background', 'background-image', 'border-image', 'border-image-source', '-webkit-border-image', 'list-style', 'list-style-image', 'content',
]);

const decodedName = (name: string) => ident.decode(name).toLowerCase();

/** False when a declaration's value holds something that cannot be made safe (a URL where `urls` is false). */
function rewriteValue(value: CssNode, rewrite: UrlRewrite, urls: boolean): boolean {
  let unsafe = false;
  walk(value, {
    enter(node: CssNode, item: ListItem<CssNode>, list: List<CssNode>) {
      if (unsafe) return;
      if (node.type === 'Raw') {
        unsafe = true;
      } else if (node.type === 'Url') {
        if (!urls) {
          unsafe = true;
          return;
        }
        const next = rewrite(node.value);
        if (next) node.value = next;
        else if (list && item) list.replace(item, list.createItem({ type: 'Identifier', name: 'none' } as CssNode));
        else unsafe = true;
      } else if (node.type === 'Function') {
        const name = decodedName(node.name);
        if (DROPPING_FUNCTIONS.has(name)) {
          unsafe = true;
        } else if (URL_FUNCTIONS.has(name) || IMAGE_SET_FUNCTIONS.has(name)) {
          if (!urls) {
            unsafe = true;
            return;
          }
          // src("…") and image-set("…" 1x) name URLs as plain strings.
          node.children.forEach((child, childItem) => {
            if (child.type !== 'String') return;
            const next = rewrite(child.value);
            if (next) child.value = next;
            else node.children.replace(childItem, node.children.createItem({ type: 'Identifier', name: 'none' } as CssNode));
          });
          if (URL_FUNCTIONS.has(name)) node.name = name;
        }
      }
    },
  });
  return !unsafe;
}

/** Removes from `list` every declaration that is unsafe, and every rule or at-rule that is. */
function cleanTree(root: CssNode, rewrite: UrlRewrite) {
  walk(root, {
    visit: 'Declaration',
    enter(node, item, list) {
      const property = decodedName(node.property);
      const keep = !DROPPED_PROPERTIES.has(property) && node.value.type !== 'Raw' && rewriteValue(node.value, rewrite, IMAGE_PROPERTIES.has(property));
      // The name is only decoded to be judged: written back decoded, `a\3a b` would become `a:b`.
      if (!keep && list && item) list.remove(item);
    },
  });
  walk(root, {
    enter(node: CssNode, item: ListItem<CssNode>, list: List<CssNode>) {
      if (!list || !item) return;
      if (node.type === 'Atrule') {
        const name = decodedName(node.name);
        if (!KEPT_AT_RULES.has(name) || node.prelude?.type === 'Raw') list.remove(item);
      } else if (node.type === 'Rule' && node.prelude.type === 'Raw') {
        list.remove(item);
      } else if (node.type === 'Raw') {
        list.remove(item);
      }
    },
  });
}

/** `<` only ever appears inside strings and URLs of generated CSS; escaped there it means the same. */
const escapeMarkup = (css: string) => css.split('<').join('\\3c ');

function sanitize(css: string, context: 'stylesheet' | 'declarationList', rewrite: UrlRewrite): string {
  if (!css.trim() || css.length > MAX_CSS_LENGTH) return '';
  try {
    const tree = parse(css, { context, parseCustomProperty: true, parseValue: true, onParseError: () => undefined });
    cleanTree(tree, rewrite);
    return escapeMarkup(generate(tree));
  } catch {
    // Pathological input (e.g. nesting deep enough to exhaust the stack): no styling at all.
    return '';
  }
}

/** The text of a `<style>` element. */
export function sanitizeStylesheet(css: string, rewrite: UrlRewrite): string {
  return sanitize(css, 'stylesheet', rewrite);
}

/** A `style` attribute. */
export function sanitizeDeclarations(style: string, rewrite: UrlRewrite): string {
  return sanitize(style, 'declarationList', rewrite);
}
