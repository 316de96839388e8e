/**
 * Script vectors: event-handler attributes on the elements that fire them by themselves, the
 * ways an attribute can be spelled so a filter misses it, and `javascript:`-like URLs in every
 * attribute that takes a URL. Every payload is the canary of kit.ts with the vector's id.
 */
import { canary, HostileVector, vector } from './kit';

const H5SC = 'inspired by cure53/H5SC (HTML5 Security Cheatsheet) items';
const SPEC = 'inspired by the HTML event handler list (WHATWG HTML §8.1.8) and PortSwigger-style handler×tag tables';

/** A tiny GIF that decodes, so `onload` fires without any request. */
const GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';
const KEYFRAMES = '<style>@keyframes hostilespin{from{opacity:.99}to{opacity:1}}</style>';

/**
 * Each handler with an element that fires it without any user action where one exists
 * (autofocus, a broken source, an animation, `<details open>`…); `H` is where the handler goes.
 * Handlers that need a user (clicks, keys) still must not survive, so they get a plain element.
 */
const HANDLER_TEMPLATES: [string, string][] = [
  ['onerror', '<img src=x H>'],
  ['onload', `<img src="${GIF}" H>`],
  ['onload', '<svg H></svg>'],
  ['onload', '<body H>'],
  ['onload', '<style H></style>'],
  ['onload', '<iframe H></iframe>'],
  ['onload', `<object data="${GIF}" H></object>`],
  ['onload', '<frameset H>'],
  ['onpageshow', '<body H>'],
  ['onfocus', '<input autofocus H>'],
  ['onfocus', '<div contenteditable autofocus H>x</div>'],
  ['onfocus', '<a id=f href=#f autofocus tabindex=1 H>f</a>'],
  ['onfocusin', '<textarea autofocus H></textarea>'],
  ['onblur', '<input autofocus H><input autofocus>'],
  ['onfocusout', '<select autofocus H></select><input autofocus>'],
  ['ontoggle', '<details open H><summary>s</summary></details>'],
  ['onbeforetoggle', '<div popover id=pp H>p</div><button popovertarget=pp autofocus>b</button>'],
  ['onanimationstart', `${KEYFRAMES}<div style="animation:hostilespin 1ms" H>a</div>`],
  ['onanimationend', `${KEYFRAMES}<div style="animation:hostilespin 1ms" H>a</div>`],
  ['onanimationiteration', `${KEYFRAMES}<div style="animation:hostilespin 1ms 3" H>a</div>`],
  ['onwebkitanimationstart', `${KEYFRAMES}<div style="animation:hostilespin 1ms" H>a</div>`],
  ['ontransitionrun', '<input autofocus style="transition:outline 1ms" H>'],
  ['ontransitionstart', '<input autofocus style="transition:outline 1ms" H>'],
  ['ontransitionend', '<input autofocus style="transition:outline 1ms" H>'],
  ['onwebkittransitionend', '<input autofocus style="transition:outline 1ms" H>'],
  ['onbegin', '<svg><animate attributeName=x dur=1s H /></svg>'],
  ['onend', '<svg><set attributeName=x dur=1ms H /></svg>'],
  ['onrepeat', '<svg><animate attributeName=x dur=1ms repeatCount=2 H /></svg>'],
  ['onstart', '<marquee H>m</marquee>'],
  ['onfinish', '<marquee loop=1 width=1 H>m</marquee>'],
  ['onbounce', '<marquee behavior=alternate H>m</marquee>'],
  ['onscroll', '<div style="overflow:auto;height:20px" H><br><br><br><br><input autofocus></div>'],
  ['onscrollend', '<div style="overflow:auto;height:20px" H><br><br><br><br><input autofocus></div>'],
  ['onresize', '<body H>'],
  ['onhashchange', '<body H>'],
  ['onmessage', '<body H>'],
  ['onpopstate', '<body H>'],
  ['onbeforeunload', '<body H>'],
  ['onunload', '<body H>'],
  ['onpagehide', '<body H>'],
  ['onoffline', '<body H>'],
  ['onstorage', '<body H>'],
  ['onbeforeprint', '<body H>'],
  ['onsecuritypolicyviolation', '<body H><img src="https://csp.hostile.test/x">'],
  ['onloadstart', '<video src=x H></video>'],
  ['onloadstart', '<audio src=x H></audio>'],
  ['onerror', '<video><source src=x H></video>'],
  ['onerror', '<audio src=x H></audio>'],
  ['onerror', '<input type=image src=x H>'],
  ['onerror', '<image src=x H>'],
  ['onerror', '<picture><source srcset=x><img H></picture>'],
  ['onerror', '<img srcset=",,,x" H>'],
  ['onerror', '<link rel=stylesheet href=x H>'],
  ['onerror', '<svg><image href=x H /></svg>'],
  ['onemptied', '<video src=x H></video>'],
  ['onsuspend', '<video src=x H></video>'],
  ['onratechange', '<video src=x H></video>'],
  ['onvolumechange', '<video src=x muted H></video>'],
  ['oncontentvisibilityautostatechange', '<div style="content-visibility:auto" H>c</div>'],
  ['onbeforematch', '<div hidden=until-found H>m</div>'],
  ['oninvalid', '<form><input required autofocus H></form>'],
  ['onselectionchange', '<input autofocus value=abc H>'],
  ['onmouseover', '<div style="position:absolute;inset:0" H>over</div>'],
  ['onpointerenter', '<div style="position:absolute;inset:0" H>over</div>'],
  ['onmousemove', '<div style="position:absolute;inset:0" H>over</div>'],
  ['onclick', '<a H>click</a>'],
  ['onauxclick', '<a H>click</a>'],
  ['ondblclick', '<b H>dbl</b>'],
  ['oncontextmenu', '<b H>menu</b>'],
  ['onpointerdown', '<b H>down</b>'],
  ['onwheel', '<b H>wheel</b>'],
  ['ondragstart', '<b draggable=true H>drag</b>'],
  ['ondrop', '<b H>drop</b>'],
  ['oncopy', '<b H>copy</b>'],
  ['onpaste', '<b contenteditable H>paste</b>'],
  ['oninput', '<b contenteditable H>type</b>'],
  ['onbeforeinput', '<b contenteditable H>type</b>'],
  ['onkeydown', '<b contenteditable H>key</b>'],
  ['onsubmit', '<form H><button>go</button></form>'],
  ['onreset', '<form H><button type=reset>r</button></form>'],
  ['onsearch', '<input type=search H>'],
  ['ontouchstart', '<b H>touch</b>'],
  ['onclose', '<dialog open H>d</dialog>'],
  ['oncancel', '<dialog open H>d</dialog>'],
  ['oncuechange', '<video><track default src=x H></video>'],
];

function handlerVectors(): HostileVector[] {
  const seen = new Map<string, number>();
  return HANDLER_TEMPLATES.map(([handler, template]) => {
    // The element that carries the handler names the vector.
    const tag = /<(\w+)[^<>]*\sH[\s>/]/.exec(template)?.[1] ?? 'x';
    const n = (seen.get(handler + tag) ?? 0) + 1;
    seen.set(handler + tag, n);
    const id = `evt-${handler.slice(2)}-${tag}${n > 1 ? `-${n}` : ''}`;
    return vector('event-handler', SPEC, id, template.replace('H', `${handler}="${canary(id)}"`));
  });
}

/** The same `<img onerror>`, spelled so that a tokenizer or a regex sees something else. */
function attributeSyntaxVectors(): HostileVector[] {
  const v = (id: string, html: (js: string) => string) => vector('attribute-syntax', H5SC, `syn-${id}`, html(canary(`syn-${id}`)));
  return [
    v('slash-separators', (js) => `<img/src=x/onerror=${js}>`),
    v('newline-separators', (js) => `<img\nsrc=x\nonerror=${js}>`),
    v('tab-formfeed', (js) => `<img\tsrc=x\fonerror\t=\t${js}>`),
    v('uppercase', (js) => `<IMG SRC=x ONERROR=${js}>`),
    v('mixed-case', (js) => `<iMg sRc=x OnErRoR=${js}>`),
    v('unquoted-no-space', (js) => `<img src=x onerror=${js}//>`),
    v('backtick-quotes', () => `<img src=x onerror=${canary('syn-backtick-quotes', '`')}>`),
    v('double-quotes', () => `<img src=x onerror="${canary('syn-double-quotes')}">`),
    v('entity-encoded-value', (js) => `<img src=x onerror="${[...js].map((c) => `&#${c.charCodeAt(0)};`).join('')}">`),
    v('hex-entities-no-semicolon', (js) => `<img src=x onerror="${[...js].map((c) => `&#x${c.charCodeAt(0).toString(16)}`).join('')}">`),
    v('duplicate-attribute', (js) => `<img src=x onerror="" onerror="${js}">`),
    v('attribute-after-junk', (js) => `<img src=x id/=' onerror=${js}//'>`),
    v('quote-inside-name', (js) => `<img src=x "onerror=${js}>`),
    v('equals-in-name', (js) => `<img src=x =onerror=${js}>`),
    v('no-space-after-quote', (js) => `<img src="x"onerror="${js}">`),
    v('unclosed-tag', (js) => `<img src=x onerror="${js}"`),
    v('bogus-attr-javascript', (js) => `<div x=yscript: onmouseover="javascript:${js}">hover</div>`),
    v('svg-handler-case', (js) => `<svg><g oNlOaD="${js}"></g><image href=x ONERROR="${js}"/></svg>`),
    v('is-attribute', (js) => `<img is="x" src=x onerror="${js}">`),
    v('formfeed-in-script-tag', (js) => `<script\f>${js}</script\f>`),
    v('script-plain', (js) => `<script>${js}</script>`),
    v('script-type-module', (js) => `<script type=module>${js}</script>`),
    v('script-src-data', (js) => `<script src="data:text/javascript,${encodeURIComponent(js)}"></script>`),
    v('script-nested-tags', (js) => `<scr<script>ipt>${js}</scr</script>ipt>`),
    v('script-in-attr-tag', (js) => `<b <script>${js}//</script>0</script></b>`),
    v('script-broken-end', (js) => `<script>${js}</script x>`),
    v('script-svg-namespace', (js) => `<svg><script>${js}</script></svg>`),
    v('script-svg-entities', (js) => `<svg><script>${[...js].map((c) => `&#${c.charCodeAt(0)};`).join('')}</script></svg>`),
    v('script-xlink-data', (js) => `<svg><script xlink:href="data:,${encodeURIComponent(js)}"></script></svg>`),
  ];
}

/** Attributes that take a URL, each with a `javascript:` (or script-running data:) URL. */
function scriptUrlVectors(): HostileVector[] {
  const v = (id: string, html: (url: string, js: string) => string, url = (js: string) => `javascript:${js}`) => {
    const full = `jsurl-${id}`;
    const js = canary(full);
    return vector('script-url', H5SC, full, html(url(js), js));
  };
  const dataHtml = (js: string) => `data:text/html;base64,${Buffer.from(`<script>${js}</script>`).toString('base64')}`;
  const dataSvg = (js: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" onload="${js}"/>`)}`;
  return [
    v('a-href', (u) => `<a href="${u}">click</a>`),
    v('a-href-entities', (u) => `<a href="${[...u].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}">click</a>`),
    v('a-href-colon-entity', (_u, js) => `<a href="javascript&colon;${js}">click</a>`),
    v('a-href-tab-newline', (_u, js) => `<a href="jav\tas\ncr\ript:${js}">click</a>`),
    v('a-href-leading-controls', (u) => `<a href="\u0001\u0002 ${u}">click</a>`),
    v('a-href-unicode-space', (u) => `<a href="\u2029${u}">click</a>`),
    v('a-href-uppercase', (_u, js) => `<a href="JaVaScRiPt:${js}">click</a>`),
    v('a-href-vbscript', () => `<a href="vbscript:msgbox(1)">click</a>`),
    v('a-href-data-html', (u) => `<a href="${u}">click</a>`, dataHtml),
    v('area-href', (u) => `<img src=x usemap=#m><map name=m><area shape=rect coords=0,0,99,99 href="${u}"></map>`),
    v('iframe-src', (u) => `<iframe src="${u}"></iframe>`),
    v('iframe-src-data', (u) => `<iframe src="${u}"></iframe>`, dataHtml),
    v('iframe-srcdoc', (_u, js) => `<iframe srcdoc="<script>${js}</script>"></iframe>`),
    v('iframe-srcdoc-entities', (_u, js) => `<iframe srcdoc="&lt;img src=x onerror=${js}&gt;"></iframe>`),
    v('object-data', (u) => `<object data="${u}"></object>`),
    v('object-data-html', (u) => `<object data="${u}"></object>`, dataHtml),
    v('embed-src', (u) => `<embed src="${u}">`),
    v('embed-src-svg', (u) => `<embed src="${u}" type="image/svg+xml">`, dataSvg),
    v('form-action', (u) => `<form action="${u}"><button autofocus>send</button></form>`),
    v('button-formaction', (u) => `<form id=ff></form><button form=ff formaction="${u}">go</button>`),
    v('input-formaction', (u) => `<form><input type=submit formaction="${u}" value=go></form>`),
    v('math-href', (u) => `<math href="${u}"><mtext>click</mtext></math>`),
    v('math-maction', (u) => `<math><maction actiontype="statusline" xlink:href="${u}"><mtext>click</mtext></maction></math>`),
    v('svg-a-xlink', (u) => `<svg><a xlink:href="${u}"><text y=20>click</text></a></svg>`),
    v('svg-a-href', (u) => `<svg><a href="${u}"><rect width=99 height=99 /></a></svg>`),
    v('svg-animate-href', (u) => `<svg><a><animate attributeName=href values="${u}" /><text y=20>click</text></a></svg>`),
    v('svg-set-href', (u) => `<svg><a><set attributeName=href to="${u}" /><text y=20>click</text></a></svg>`),
    v('svg-animate-xlink-from', (u) => `<svg><a xlink:href="?"><circle r=40 /><animate attributeName="xlink:href" begin=0 from="${u}" to="&amp;" /></a></svg>`),
    v('img-src-svg-data', (u) => `<img src="${u}">`, dataSvg),
    v('meta-refresh', (u) => `<meta http-equiv="refresh" content="0;url=${u}">`),
    v('base-href', (u) => `<base href="${u}//"><a href="/x">click</a>`),
    v('table-background', (u) => `<table background="${u}"><tr><td>t</td></tr></table>`),
    v('video-poster', (u) => `<video poster="${u}"></video>`),
    v('link-import', (u) => `<link rel=import href="${u}">`, dataHtml),
    v('portal-src', (u) => `<portal src="${u}"></portal>`, dataHtml),
    v('svg-use-data', (u) => `<svg><use href="${u}#x" /></svg>`, (js) => `data:image/svg+xml,${encodeURIComponent(`<svg id="x" xmlns="http://www.w3.org/2000/svg"><image href="x" onerror="${js}"/></svg>`)}`),
    v('css-behavior', (u) => `<b style="behavior:url(${u})">b</b>`, () => 'data:text/x-component,x'),
  ];
}

export function scriptVectors(): HostileVector[] {
  return [...handlerVectors(), ...attributeSyntaxVectors(), ...scriptUrlVectors()];
}
