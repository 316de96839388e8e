/**
 * Text into HTML, for server and client alike: the five markup characters become references and
 * NUL is dropped (browsers drop it too, and it must not split a tag). One pass with a character
 * class: linear in the text, whatever it holds.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\0': '' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\0]/g, (c) => ESCAPES[c]);
}
