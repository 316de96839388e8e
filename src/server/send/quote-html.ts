/**
 * The original's body as it goes into a quote. Mail HTML is untrusted: the quote lands in the
 * user's editor and in other people's mail, so active content is taken out here. This is a
 * coarse filter, not a sanitizer: the editor still passes what it shows through DOMPurify.
 */

/** Elements removed with everything inside them. */
const DROPPED_WITH_CONTENT = ['script', 'style', 'head', 'title', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math'];
/** Elements removed, their content kept (forms and document wrappers). */
const DROPPED_TAGS = ['html', 'body', 'meta', 'link', 'base', 'form', 'input', 'button', 'select', 'textarea', 'frame', 'frameset'];

export function safeQuotedHtml(html: string, text: string): string {
  if (!html?.trim()) return plainToHtml(text || '');
  let out = html;
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(out);
  if (body) out = body[1];
  for (const tag of DROPPED_WITH_CONTENT) {
    out = out.replace(new RegExp(`<${tag}\\b[\\s\\S]*?<\\/${tag}\\s*>`, 'gi'), '').replace(new RegExp(`<${tag}\\b[^>]*>`, 'gi'), '');
  }
  out = out.replace(new RegExp(`<\\/?(?:${DROPPED_TAGS.join('|')})\\b[^>]*>`, 'gi'), '');
  // Event handlers and script URLs in whatever attributes remain.
  out = out.replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
  out = out.replace(/(href|src|action|formaction|xlink:href)\s*=\s*(["']?)\s*(?:javascript|vbscript|data:text\/html)[^"'\s>]*\2/gi, '$1=$2#$2');
  return out.replace(/<!--[\s\S]*?-->/g, '').trim();
}

/** Plain text as HTML: escaped, line breaks kept. */
export function plainToHtml(text: string) {
  return `<div>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</div>`;
}

export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
