/**
 * Remote-load vectors: every HTML, SVG and CSS construct that makes a browser fetch something,
 * pointed at the test's leak origin (`<origin>/<vector id>`), in every spelling of the URL and
 * of CSS that a filter might not recognise. Before "Show images" none may load; after it, only
 * images may.
 */
import { cssHexEscape, HostileVector, LeakTarget, leakUrls, vector } from './kit';

const HTTPLEAKS = 'inspired by cure53/HTTPLeaks leak.html';
const OWN = 'own: html-prep.ts rewrites url( by regex and only unescapes backslashes';

/** HTML/SVG elements and attributes that load a URL by themselves (`U` = the URL). */
const URL_ATTRIBUTES: [string, string][] = [
  ['img-src', '<img src="U" alt=i>'],
  ['img-srcset', '<img srcset="U 1x" alt=i>'],
  ['img-srcset-commas', '<img srcset=",,,,U" alt=i>'],
  ['img-lowsrc', '<img lowsrc="U" alt=i>'],
  ['img-dynsrc', '<img dynsrc="U" alt=i>'],
  ['picture-source-srcset', '<picture><source srcset="U"><img alt=i></picture>'],
  ['image-element', '<image src="U">'],
  ['input-image', '<input type=image src="U">'],
  ['body-background', '<body background="U">body</body>'],
  ['table-background', '<table background="U"><tr><td>t</td></tr></table>'],
  ['td-background', '<table><tr><td background="U">t</td></tr></table>'],
  ['video-poster', '<video poster="U"></video>'],
  ['video-src', '<video src="U"></video>'],
  ['video-source', '<video><source src="U"></video>'],
  ['audio-src', '<audio src="U"></audio>'],
  ['track-src', '<video><track default src="U"></video>'],
  ['iframe-src', '<iframe src="U"></iframe>'],
  ['frame-src', '<frameset><frame src="U"></frameset>'],
  ['object-data', '<object data="U"></object>'],
  ['object-codebase', '<object codebase="U"></object>'],
  ['embed-src', '<embed src="U">'],
  ['applet-codebase', '<applet code=x codebase="U"></applet>'],
  ['bgsound-src', '<bgsound src="U">'],
  ['portal-src', '<portal src="U"></portal>'],
  ['link-stylesheet', '<link rel=stylesheet href="U">'],
  ['link-icon', '<link rel=icon href="U">'],
  ['link-preload-image', '<link rel=preload as=image href="U">'],
  ['link-preload-imagesrcset', '<link rel=preload as=image imagesrcset="U 1x">'],
  ['link-prefetch', '<link rel=prefetch href="U">'],
  ['link-preconnect', '<link rel=preconnect href="U">'],
  ['link-modulepreload', '<link rel=modulepreload href="U">'],
  ['meta-refresh', '<meta http-equiv=refresh content="0; url=U">'],
  ['meta-refresh-body', '<p>x</p><meta http-equiv=refresh content="0;URL=\'U\'">'],
  ['base-href', '<base href="U/"><img src="base-relative.png" alt=i>'],
  ['base-href-css', '<base href="U/"><b style="background:url(base-relative.png)">b</b>'],
  ['form-action', '<form action="U"><input type=submit autofocus></form>'],
  ['a-ping', '<a href="#" ping="U">ping</a>'],
  ['html-manifest', '<html manifest="U"><body>m</body></html>'],
  ['svg-image-href', '<svg><image href="U" width=10 height=10 /></svg>'],
  ['svg-image-xlink', '<svg><image xlink:href="U" width=10 height=10 /></svg>'],
  ['svg-use-href', '<svg><use href="U#a" /></svg>'],
  ['svg-use-xlink', '<svg><use xlink:href="U#a" /></svg>'],
  ['svg-feimage', '<svg><filter id=f><feImage href="U" /></filter><rect filter="url(#f)" width=9 height=9 /></svg>'],
  ['svg-feimage-xlink', '<svg><filter id=f><feImage xlink:href="U" /></filter><rect filter="url(#f)" width=9 height=9 /></svg>'],
  ['svg-filter-attr', '<svg><rect filter="url(U#f)" width=9 height=9 /></svg>'],
  ['svg-fill-attr', '<svg><rect fill="url(U#g)" width=9 height=9 /></svg>'],
  ['svg-mask-attr', '<svg><rect mask="url(U#m)" width=9 height=9 /></svg>'],
  ['svg-clip-path-attr', '<svg><rect clip-path="url(U#c)" width=9 height=9 /></svg>'],
  ['svg-marker-attr', '<svg><path d="M0 0L9 9" marker-start="url(U#m)" /></svg>'],
  ['svg-cursor-attr', '<svg><rect cursor="url(U),auto" width=9 height=9 /></svg>'],
  ['svg-set-href', '<svg><image width=9 height=9><set attributeName=href to="U" /></image></svg>'],
  ['svg-animate-xlink', '<svg><image width=9 height=9><animate attributeName="xlink:href" from="#" to="U" /></image></svg>'],
  ['svg-font-face-uri', '<svg><font-face-uri xlink:href="U" /></svg>'],
  ['svg-script-href', '<svg><script href="U"></script></svg>'],
  ['math-mi-xlink', '<math><mi xlink:href="U">m</mi></math>'],
  ['img-src-svg-data-inner', '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22%3E%3Cimage href=%22U%22/%3E%3C/svg%3E">'],
];

/** The URL spellings tried on `<img src>` (the one a mail client must get right first). */
const IMG_URL_FORMS = [
  'protocolRelative',
  'upperScheme',
  'entityScheme',
  'tabInScheme',
  'backslashes',
  'slashBackslash',
  'leadingSpace',
  'noSlashesOtherScheme',
  'percentHost',
  'sameOrigin',
  'sameOriginRelative',
] as const;

function attributeVectors(target: LeakTarget): HostileVector[] {
  const out = URL_ATTRIBUTES.map(([name, template]) => {
    const id = `leak-${name}`;
    return vector('leak-attribute', HTTPLEAKS, id, template.replace(/U/g, leakUrls(target, id).plain));
  });
  for (const form of IMG_URL_FORMS) {
    const id = `leak-img-${form.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    out.push(vector('leak-url-form', HTTPLEAKS, id, `<img src="${leakUrls(target, id)[form]}" alt=i>`));
  }
  // The same spellings where a protocol-relative URL hides in srcset and background.
  for (const [name, template] of [['srcset', '<img srcset="U 2x">'], ['background', '<table background="U"><tr><td>t</td></tr></table>'], ['poster', '<video poster="U"></video>']]) {
    const id = `leak-${name}-protocol-relative`;
    out.push(vector('leak-url-form', HTTPLEAKS, id, template.replace('U', leakUrls(target, id).protocolRelative)));
  }
  return out;
}

/** CSS properties that fetch an image (or font, or SVG resource) when given `url(…)`. */
const CSS_PROPERTIES: [string, (u: string) => string][] = [
  ['background', (u) => `background:${u}`],
  ['background-image', (u) => `background-image:${u}`],
  ['background-multi', (u) => `background:url() , url(), ${u}`],
  ['list-style', (u) => `display:list-item;list-style:${u}`],
  ['list-style-image', (u) => `display:list-item;list-style-image:${u}`],
  ['border-image', (u) => `border:5px solid;border-image:${u} 30 round`],
  ['border-image-source', (u) => `border:5px solid;border-image-source:${u}`],
  ['webkit-border-image', (u) => `border:5px solid;-webkit-border-image:${u} 30`],
  ['cursor', (u) => `cursor:${u},auto`],
  ['content', (u) => `content:${u}`],
  ['mask', (u) => `mask:${u}`],
  ['mask-image', (u) => `mask-image:${u}`],
  ['webkit-mask-image', (u) => `-webkit-mask-image:${u}`],
  ['webkit-mask-box-image', (u) => `-webkit-mask-box-image:${u}`],
  ['shape-outside', (u) => `float:left;width:9px;height:9px;shape-outside:${u}`],
  ['filter', (u) => `filter:${u}`],
  ['clip-path', (u) => `clip-path:${u}`],
  ['offset-path', (u) => `offset-path:${u}`],
  ['custom-property', (u) => `--hostile:${u};background:var(--hostile)`],
];

/** `url(…)` spelled in the ways CSS allows (`L` = the leak URL). */
const CSS_URL_FORMS: [string, string][] = [
  ['plain', 'url({L})'],
  ['single-quoted', "url('{L}')"],
  ['double-quoted', 'url("{L}")'],
  ['spaced', 'url(   {L}   )'],
  ['uppercase', 'URL({L})'],
  ['escape-u72', 'u\\72 l({L})'],
  ['escape-75rl', '\\75 rl({L})'],
  ['escape-6-digit', '\\000075rl({L})'],
  ['escape-all', `${cssHexEscape('url')}({L})`],
  ['escape-letter', 'u\\rl({L})'],
  ['escaped-url-text', 'url({ESC})'],
  ['escaped-newline-string', "url('\\\n{L}')"],
  ['image-set', 'image-set("{L}" 1x)'],
  ['image-set-url', 'image-set(url({L}) 1x)'],
  ['webkit-image-set', '-webkit-image-set("{L}" 1x)'],
  ['image-set-escaped', 'image-set("{ESC}" 1x)'],
  ['cross-fade', 'cross-fade(url({L}), url({L}) 50%)'],
  ['webkit-cross-fade', '-webkit-cross-fade(url({L}), url({L}), 50%)'],
  ['protocol-relative', 'url(//{HOST}/{ID})'],
  ['slash-backslash', 'url(/\\{HOST}/{ID})'],
];

function cssUrl(form: string, target: LeakTarget, id: string) {
  const url = leakUrls(target, id).plain;
  // Every character of the URL as a CSS escape: a regex looking for "http" or "//" sees none.
  const escaped = [...url].map((c) => `\\${c.charCodeAt(0).toString(16)} `).join('');
  return form.replace(/\{ESC\}/g, escaped).replace(/\{L\}/g, url).replace(/\{HOST\}/g, target.host).replace(/\{ID\}/g, id);
}

function cssVectors(target: LeakTarget): HostileVector[] {
  const out: HostileVector[] = [];
  // Every spelling, in a style attribute and in a <style> rule.
  for (const [form, template] of CSS_URL_FORMS) {
    const inline = `leak-css-inline-${form}`;
    out.push(vector('leak-css-spelling', OWN, inline, `<p style="background-image:${cssUrl(template, target, inline).replace(/"/g, '&quot;')};height:9px">p</p>`));
    const rule = `leak-css-rule-${form}`;
    out.push(vector('leak-css-spelling', OWN, rule, `<style>p.h{background-image:${cssUrl(template, target, rule)}}</style><p class=h>p</p>`));
  }
  // Every property: plainly in a style attribute, escaped (`u\72 l`) in a <style> rule.
  for (const [name, declaration] of CSS_PROPERTIES) {
    const inline = `leak-css-prop-${name}`;
    out.push(vector('leak-css-property', HTTPLEAKS, inline, `<div style="${declaration(cssUrl('url({L})', target, inline))}">d</div>`));
    const rule = `leak-css-prop-esc-${name}`;
    out.push(vector('leak-css-property', HTTPLEAKS, rule, `<style>div.h::before{${declaration(cssUrl('u\\72 l({L})', target, rule))}}</style><div class=h>d</div>`));
  }
  return out;
}

/** At-rules and style-sheet level loads. */
function atRuleVectors(target: LeakTarget): HostileVector[] {
  const raw = (id: string, html: (url: string) => string) => {
    const full = `leak-at-${id}`;
    return vector('leak-css-at-rule', HTTPLEAKS, full, html(leakUrls(target, full).plain));
  };
  const v = (id: string, css: (url: string) => string) => raw(id, (u) => `<style>${css(u)}</style><p class=h>p</p>`);
  return [
    v('import-string', (u) => `@import '${u}';`),
    v('import-url', (u) => `@import url(${u});`),
    v('import-uppercase', (u) => `@IMPORT "${u}";`),
    v('import-escaped', (u) => `@\\69 mport '${u}';`),
    v('import-comment', (u) => `@import/**/'${u}';`),
    v('import-layer-media', (u) => `@import url(${u}) layer(x) screen;`),
    v('import-no-semicolon', (u) => `@import '${u}'`),
    v('import-after-rule', (u) => `p{color:red}@import '${u}';`),
    v('import-in-media', (u) => `@media all{@import '${u}';}`),
    v('font-face', (u) => `@font-face{font-family:h;src:url(${u})}p.h{font-family:h}`),
    v('font-face-format', (u) => `@font-face{font-family:h2;src:local(x),url('${u}') format('woff2')}p.h{font-family:h2}`),
    v('font-face-escaped', (u) => `@font-face{font-family:h3;src:u\\72 l(${u})}p.h{font-family:h3}`),
    v('namespace', (u) => `@namespace url(${u});`),
    v('namespace-prefix', (u) => `@namespace h url(${u});h|p{color:red}`),
    v('property-initial', (u) => `@property --h{syntax:'<image>';inherits:false;initial-value:url(${u})}p.h{background-image:var(--h)}`),
    v('keyframes-background', (u) => `@keyframes hk{to{background-image:url(${u})}}p.h{animation:hk 1ms forwards}`),
    v('supports-wrapped', (u) => `@supports (display:block){p.h{background:url(${u})}}`),
    v('media-wrapped', (u) => `@media screen{p.h{background:url(${u})}}`),
    v('comment-split', (u) => `p.h{background:url/**/(${u})}p.h{background:url(/**/${u})}`),
    v('attr-fallback', (u) => `p.h::after{content:attr(data-x url, url(${u}))}`),
    v('sourcemap', (u) => `/*# sourceMappingURL=${u} */`),
    raw('svg-style-import', (u) => `<svg><style>@import "${u}";</style><rect width=9 height=9 /></svg>`),
    raw('svg-style-fill', (u) => `<svg><style>rect{fill:url(${u}#g)}</style><rect width=9 height=9 /></svg>`),
    raw('math-style', (u) => `<math><mtext><style>p{background:url(${u})}</style></mtext></math><p>p</p>`),
    raw('noscript-style', (u) => `<noscript><style>p{background:url(${u})}</style></noscript><p>p</p>`),
    raw('head-style', (u) => `<html><head><style>body{background:url(${u})}</style></head><body>b</body></html>`),
    raw('body-style-attr', (u) => `<html><body style="background:url(${u})">b</body></html>`),
  ];
}

/** Style attributes where the HTML layer hides the `url(`: character references, comments, quirks. */
function inlineStyleTricks(target: LeakTarget): HostileVector[] {
  const v = (id: string, style: (url: string) => string) => {
    const full = `leak-style-${id}`;
    return vector('leak-css-spelling', HTTPLEAKS, full, `<b style="${style(leakUrls(target, full).plain)}">b</b>`);
  };
  return [
    v('paren-entities', (u) => `background:url&#40;${u}&#41;`),
    v('paren-named-entities', (u) => `background-image:url&lpar;${u}&rpar;`),
    v('letter-entity', (u) => `background:u&#114;l(${u})`),
    v('comment-before-paren', (u) => `background:url/**/(${u})`),
    v('important-and-junk', (u) => `color:red;;;background:url(${u})!important;}`),
    v('unterminated-url', (u) => `background:url(${u}`),
    v('newline-escape', (u) => `background:u\\\nrl(${u})`),
    v('fullwidth', (u) => `background:ｕｒｌ(${u})`),
    v('double-style-attr', (u) => `color:red" style="background:url(${u})`),
    v('expression', (u) => `width:expression(document.body.appendChild(new Image).src='${u}')`),
    v('behavior', (u) => `behavior:url(${u})`),
  ];
}

export function leakVectors(target: LeakTarget): HostileVector[] {
  return [...attributeVectors(target), ...cssVectors(target), ...atRuleVectors(target), ...inlineStyleTricks(target)];
}
