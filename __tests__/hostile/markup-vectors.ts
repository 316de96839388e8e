/**
 * SVG and MathML (separate namespaces with their own script, animation and linking), the mail's
 * own <head> (meta refresh, base, CSP, link), DOM clobbering of the app's globals, and UI
 * redress: mail content that tries to show itself over the app outside its frame.
 */
import { canary, HostileVector, LeakTarget, leakUrls, vector } from './kit';

const H5SC = 'inspired by cure53/H5SC (HTML5 Security Cheatsheet) items';
const HTTPLEAKS = 'inspired by cure53/HTTPLeaks leak.html';
const DOMPURIFY = 'inspired by cure53/DOMPurify test/fixtures/expect.mjs (DOM clobbering cases)';
const OWN = 'own: the reader measures a copy of the mail in a shadow root of the app document';

function svgVectors(target: LeakTarget): HostileVector[] {
  const v = (name: string, html: (js: string, leak: string) => string) => {
    const id = `svg-${name}`;
    return vector('svg', H5SC, id, html(canary(id), leakUrls(target, id).plain));
  };
  const svgDoc = (js: string) => `<svg xmlns="http://www.w3.org/2000/svg" onload="${js.replace(/'/g, '&apos;')}"/>`;
  return [
    v('onload', (js) => `<svg onload="${js}"></svg>`),
    v('xmlns-onload', (js) => `<svg xmlns="http://www.w3.org/2000/svg" onload="${js}"></svg>`),
    v('g-onload', (js) => `<svg><g onload="${js}"></g></svg>`),
    v('script-xlink-href', (js) => `<svg><script xlink:href="data:text/javascript,${encodeURIComponent(js)}"></script></svg>`),
    v('set-onbegin', (js) => `<svg><set attributeName=x to=1 onbegin="${js}" /></svg>`),
    v('animate-onbegin', (js) => `<svg><animate attributeName=x dur=1s onbegin="${js}" /></svg>`),
    v('animatetransform-onbegin', (js) => `<svg><animateTransform attributeName=transform type=rotate dur=1s onbegin="${js}" /></svg>`),
    v('discard-onbegin', (js) => `<svg><discard onbegin="${js}" /></svg>`),
    v('set-attributename-onload', (js) => `<svg><set attributeName=onload to="${js}" /><animate attributeName=onmouseover to="${js}" /></svg>`),
    v('animate-values-handler', (js) => `<svg><rect width=99 height=99><animate attributeName=onclick values="${js}" /></rect></svg>`),
    v('foreignobject-img', (js) => `<svg><foreignObject width=99 height=99><img src=x onerror="${js}"></foreignObject></svg>`),
    v('foreignobject-iframe', (js) => `<svg><foreignObject><iframe srcdoc="<script>${js}</script>"></iframe></foreignObject></svg>`),
    v('use-data-svg', (js) => `<svg><use href="data:image/svg+xml,${encodeURIComponent(svgDoc(js))}#x" /></svg>`),
    v('image-data-svg', (js) => `<svg><image href="data:image/svg+xml,${encodeURIComponent(svgDoc(js))}" width=9 height=9 /></svg>`),
    v('filter-data-svg', (js) => `<svg><image style="filter:url(&quot;data:image/svg+xml,${encodeURIComponent(svgDoc(js))}&quot;)" /></svg>`),
    v('handler-element', (js) => `<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">${js}</handler></svg>`),
    v('a-xlink-show', (js) => `<svg><a xlink:href="javascript:${js}" xlink:show="new"><text y=20>x</text></a></svg>`),
    v('style-attr-leak', (_js, leak) => `<svg><circle r=40 style="fill:url(${leak}#a);mask:url(${leak}#m);filter:url(${leak}#f);clip-path:url(${leak}#c)" /></svg>`),
    v('mask-rect-leak', (_js, leak) => `<svg><defs><mask id=mk><rect width=99 height=99 fill="url(${leak}#x)" /></mask></defs><rect width=99 height=99 mask="url(#mk)" /></svg>`),
    v('tref-leak', (_js, leak) => `<svg><text><tref xlink:href="${leak}#t" /></text></svg>`),
    v('pattern-href-leak', (_js, leak) => `<svg><pattern id=p href="${leak}#p" /><rect fill="url(#p)" width=9 height=9 /></svg>`),
    v('gradient-href-leak', (_js, leak) => `<svg><linearGradient id=g xlink:href="${leak}#g" /><rect fill="url(#g)" width=9 height=9 /></svg>`),
    v('textpath-href-leak', (_js, leak) => `<svg><text><textPath href="${leak}#p">t</textPath></text></svg>`),
    v('mpath-leak', (_js, leak) => `<svg><circle r=2><animateMotion dur=1s><mpath href="${leak}#p" /></animateMotion></circle></svg>`),
  ];
}

function mathVectors(target: LeakTarget): HostileVector[] {
  const v = (name: string, html: (js: string, leak: string) => string) => {
    const id = `math-${name}`;
    return vector('mathml', H5SC, id, html(canary(id), leakUrls(target, id).plain));
  };
  return [
    v('mtext-img', (js) => `<math><mtext><img src=x onerror="${js}"></mtext></math>`),
    v('mi-href', (js) => `<math><mi href="javascript:${js}">click</mi></math>`),
    v('annotation-xml-html', (js) => `<math><annotation-xml encoding="application/xhtml+xml"><img src=x onerror="${js}"></annotation-xml></math>`),
    v('semantics-svg', (js) => `<math><semantics><annotation-xml encoding="SVG1.1"><svg onload="${js}"></svg></annotation-xml></semantics></math>`),
    v('mglyph-src', (_js, leak) => `<math><mglyph src="${leak}" /></math>`),
    v('maction-statusline', (js) => `<math><maction actiontype="statusline#x" xlink:href="javascript:${js}">x</maction></math>`),
    v('style-in-mi', (_js, leak) => `<math><mi><style>p{background:url(${leak})}</style></mi></math><p>p</p>`),
  ];
}

/** What a mail's <head> (or a stray head element in the body) can do to the document showing it. */
function headVectors(target: LeakTarget): HostileVector[] {
  const v = (name: string, html: (js: string, leak: string) => string) => {
    const id = `head-${name}`;
    return vector('head', HTTPLEAKS, id, html(canary(id), leakUrls(target, id).plain));
  };
  return [
    v('csp-override', (js, leak) => `<html><head><meta http-equiv="Content-Security-Policy" content="default-src *; script-src * 'unsafe-inline'"></head><body><img src="${leak}"><img src=x onerror="${js}"></body></html>`),
    v('csp-report-uri', (_js, leak) => `<meta http-equiv="Content-Security-Policy" content="img-src 'none'; report-uri ${leak}"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==">`),
    v('meta-refresh-data', (js) => `<meta http-equiv="refresh" content="0;url=data:text/html,<script>${js}</script>">`),
    v('meta-set-cookie', () => '<meta http-equiv="Set-Cookie" content="hostile=1; path=/">'),
    v('meta-charset-utf7', (js) => `<meta charset="x-imap4-modified-utf7">&ADw-img src=x onerror=${js}&AD4-`),
    v('base-target-top', (_js, leak) => `<base target="_top" href="${leak}/"><a href="x">click</a><img src="y.png">`),
    v('base-in-body', (_js, leak) => `<p>x</p><base href="${leak}/"><img src="relative.png" alt=i>`),
    v('doctype-system', (_js, leak) => `<!DOCTYPE html SYSTEM "${leak}"><p>d</p>`),
    v('head-profile', (_js, leak) => `<html><head profile="${leak}"><title>t</title></head><body>b</body></html>`),
    v('title-script', (js) => `<html><head><title></title><script>${js}</script></head><body>b</body></html>`),
    v('link-in-body', (_js, leak) => `<p>x</p><link rel=stylesheet href="${leak}">`),
    v('xml-stylesheet', (_js, leak) => `<?xml-stylesheet type="text/css" href="${leak}"?><p>x</p>`),
    v('body-onload-head', (js) => `<html><head></head><body onload="${js}" onpageshow="${js}">b</body></html>`),
    v('two-bodies', (js) => `<body>a</body><body onload="${js}" style="x">b</body>`),
    v('frameset-onload', (js) => `<frameset onload="${js}"><frame src="data:text/html,x"></frameset>`),
  ];
}

/**
 * Names and ids that would shadow globals of the page if the mail's markup ever landed in the
 * app document: `window.__pwned` becoming an element is itself the canary.
 */
function clobberVectors(): HostileVector[] {
  const v = (name: string, html: string) => vector('dom-clobbering', DOMPURIFY, `clobber-${name}`, html);
  return [
    v('window-pwned-id', '<img id="__pwned" src=x><a id="__pwned" name="__pwned" href="#">a</a>'),
    v('window-pwned-form', '<form name="__pwned"><input name="value"></form><embed name="__pwned"><object name="__pwned"></object>'),
    v('document-getelementbyid', '<img name=getElementById><img name=querySelector><form name=body></form>'),
    v('document-cookie', '<img name=cookie src=x><form name=cookie><input name=toString></form>'),
    v('attributes-nodename', '<form id=f><input name=attributes><input name=nodeName><input name=parentNode></form>'),
    v('app-globals', '<a id=NocoBase name=React></a><img name=requirejs><form name=define></form><iframe name=__pwned></iframe>'),
    v('location-anchor', '<a id=location href="javascript:window.__pwned=`clobber-location-anchor`">l</a>'),
  ];
}

/**
 * Mail content trying to show outside its frame (a fake login over the app, say): fixed
 * positioning, huge z-index, and `:host` rules that would restyle a shadow root's host.
 * Elements carry the class `hostile-mark`, which the test looks for in the app document.
 */
function redressVectors(): HostileVector[] {
  const box = 'position:fixed;inset:0;z-index:2147483647;background:red;visibility:visible;opacity:1';
  const v = (name: string, html: string) => vector('ui-redress', OWN, `redress-${name}`, html);
  return [
    v('fixed-overlay', `<div class="hostile-mark" style="${box}">Session expired: enter your password</div>`),
    v('host-important', `<style>:host{position:fixed!important;left:0!important;top:0!important;width:100vw!important;height:100vh!important;visibility:visible!important;opacity:1!important;z-index:2147483647!important;contain:none!important}</style><div class="hostile-mark" style="${box}">Sign in again</div>`),
    v('host-function', `<style>:host(*){left:0!important;visibility:visible!important;opacity:1!important}</style><div class="hostile-mark">host</div>`),
    v('universal-visible', `<style>*{visibility:visible!important;opacity:1!important}</style><div class="hostile-mark" style="${box}">all</div>`),
    v('negative-margin', `<div class="hostile-mark" style="margin-top:-5000px;margin-left:-5000px;width:20000px;height:20000px;background:red;visibility:visible">m</div>`),
    v('transform-out', `<div class="hostile-mark" style="transform:translate(100000px,0);position:relative;visibility:visible;width:9999px;height:9999px;background:red">t</div>`),
  ];
}

/** One mail that mixes the kinds above, for the screenshots: it must look like a harmless page. */
export const SHOWCASE_ID = 'showcase-mixed';

function showcaseVector(target: LeakTarget): HostileVector {
  const js = canary(SHOWCASE_ID);
  const leak = leakUrls(target, SHOWCASE_ID).plain;
  return vector(
    'showcase',
    'own: a mix of the categories above',
    SHOWCASE_ID,
    `<style>h2{color:#b00}p.bg{background:u\\72 l(${leak}/css);padding:8px;border:1px dashed #b00}</style>` +
      `<h2>Hostile mail (inert)</h2><p>This mail tries to run script, to load a tracking image and a CSS background, and to cover the app with a fake sign-in box.</p>` +
      `<img src="${leak}/pixel.png" alt="[remote tracking image]" width=120 height=30><img src=x onerror="${js}" alt="[broken image with onerror]">` +
      `<p class=bg>CSS background through u\\72 l(…)</p><svg width=160 height=30 onload="${js}"><text y=20>svg onload</text></svg>` +
      `<div class="hostile-mark" style="position:fixed;right:8px;bottom:8px;z-index:2147483647;background:#fff1f0;border:2px solid red;padding:8px">Session expired: <a href="javascript:${js}">sign in again</a></div>`,
  );
}

export function markupVectors(target: LeakTarget): HostileVector[] {
  return [showcaseVector(target), ...svgVectors(target), ...mathVectors(target), ...headVectors(target), ...clobberVectors(), ...redressVectors()];
}
