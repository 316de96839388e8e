import { describe, expect, it } from 'vitest';
import { cspFor, findCids, mountMail, normalizeCid, prepareMailHtml, type PreparedHtml } from '../../src/client/mail-center/html-prep';

/** The frame's document as the reader builds it: the shell loaded, then the mail mounted in it. */
function framed(prepared: PreparedHtml) {
  const doc = new DOMParser().parseFromString(prepared.shell, 'text/html');
  expect(mountMail(doc, prepared)).toBe(true);
  return doc;
}
/** The same as markup, for "this text is nowhere" checks. */
const markup = (prepared: PreparedHtml) => framed(prepared).documentElement.outerHTML;

const blocked = (html: string) => prepareMailHtml(html, { allowRemote: false });
const allowed = (html: string) => prepareMailHtml(html, { allowRemote: true });

describe('prepareMailHtml', () => {
  it('removes scripts, event handlers, forms, frames, object and embed', () => {
    const prepared = blocked(
      `<p onclick="steal()" onmouseover="x()">Hi</p><script>alert(1)</script><img src="data:image/png;base64,AA" onerror="alert(2)">
       <form action="https://evil.example/post"><input name="pw"><button>Go</button></form>
       <iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x.swf"><svg><script>alert(3)</script></svg>`,
    );
    const doc = framed(prepared);
    expect(doc.body.textContent).toContain('Hi');
    expect(markup(prepared)).not.toMatch(/<script|onclick|onmouseover|onerror|alert\(/i);
    for (const tag of ['form', 'input', 'button', 'iframe', 'object', 'embed', 'svg']) expect(doc.body.querySelector(tag), tag).toBeNull();
  });

  it('drops javascript: links and keeps safe ones opening in a new tab without opener or referrer', () => {
    const doc = framed(
      blocked(`<a id="js" href="javascript:alert(1)">a</a><a id="js2" href=" JaVaScRiPt:alert(1)">b</a><a id="ok" href="https://ok.example/x">c</a><a id="mail" href="mailto:ann@x.example">d</a><a id="rel" href="/api/users:destroy">e</a><a id="frag" href="#part2">f</a>`),
    );
    expect(doc.getElementById('user-content-js')!.hasAttribute('href')).toBe(false);
    expect(doc.getElementById('user-content-js2')!.hasAttribute('href')).toBe(false);
    const ok = doc.getElementById('user-content-ok')!;
    expect(ok.getAttribute('href')).toBe('https://ok.example/x');
    expect(ok.getAttribute('target')).toBe('_blank');
    expect(ok.getAttribute('rel')).toBe('noopener noreferrer');
    expect(doc.getElementById('user-content-mail')!.getAttribute('rel')).toBe('noopener noreferrer');
    // A relative link would resolve against NocoBase itself.
    expect(doc.getElementById('user-content-rel')!.hasAttribute('href')).toBe(false);
    expect(doc.getElementById('user-content-frag')!.getAttribute('target')).toBe('_self');
    // Ids are prefixed against DOM clobbering; in-mail anchors follow them.
    expect(doc.getElementById('user-content-frag')!.getAttribute('href')).toBe('#user-content-part2');
  });

  it('gives no id or name that could shadow a property of the frame document or window (DOM clobbering)', () => {
    const doc = framed(blocked('<img name="body" src="data:image/png;base64,AA"><img id="__pwned"><a name="addEventListener">x</a><p id="defaultView">y</p>'));
    expect(doc.body.tagName).toBe('BODY');
    expect(typeof doc.addEventListener).toBe('function');
    expect((doc as any).defaultView === null || typeof (doc as any).defaultView === 'object').toBe(true);
    expect([...doc.body.querySelectorAll('[id], [name]')].every((el) => (el.id || el.getAttribute('name'))!.startsWith('user-content-'))).toBe(true);
  });

  it('lets URLs stand only where they show an image: never in filter, clip-path, mask, cursor or a custom property', () => {
    const remote = 'https://leak.example/x';
    const html = `<style>p{filter:url(${remote});clip-path:url(${remote});--x:url(${remote});color:red}</style><p style="mask:url(${remote});cursor:url(${remote}),auto;background:url(${remote})">x</p>`;
    const text = markup(allowed(html));
    expect(text.split(remote).length - 1).toBe(1); // the background only
    expect(text).toContain('color:red');
  });

  it('blocks remote images until allowed, and says how many it blocked', () => {
    const html = '<img id="a" src="https://track.example/p.gif"><img id="b" src="//cdn.example/logo.png"><table id="t" background="http://x.example/bg.png"><tr><td>x</td></tr></table>';
    const off = blocked(html);
    const docOff = framed(off);
    expect(off.blockedRemote).toBe(3);
    expect(docOff.getElementById('user-content-a')!.hasAttribute('src')).toBe(false);
    expect(docOff.getElementById('user-content-b')!.hasAttribute('src')).toBe(false);
    expect(docOff.getElementById('user-content-t')!.hasAttribute('background')).toBe(false);
    expect(markup(off)).not.toContain('track.example');

    const on = allowed(html);
    const docOn = framed(on);
    expect(on.blockedRemote).toBe(0);
    expect(docOn.getElementById('user-content-a')!.getAttribute('src')).toBe('https://track.example/p.gif');
    expect(docOn.getElementById('user-content-b')!.getAttribute('src')).toBe('https://cdn.example/logo.png');
    expect(docOn.getElementById('user-content-a')!.getAttribute('referrerpolicy')).toBe('no-referrer');
  });

  it('puts a CSP in the document that lets remote images in only after "Show images"', () => {
    const csp = (prepared: PreparedHtml) => framed(prepared).querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content');
    expect(csp(blocked('<p>x</p>'))).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'");
    expect(csp(allowed('<p>x</p>'))).toBe(cspFor(true));
    expect(cspFor(true)).toContain('img-src data: http: https:');
  });

  it('blocks CSS url(...) in style attributes and style sheets, and drops @import', () => {
    const html = `<html><head><style>@import url("https://evil.example/a.css"); .hero { background: url('https://img.example/hero.jpg') no-repeat; }</style></head>
      <body><div id="d" style="background-image: url(https://img.example/bg.png); color: red">x</div></body></html>`;
    const off = blocked(html);
    const doc = framed(off);
    expect(markup(off)).not.toContain('img.example');
    expect(markup(off)).not.toContain('@import');
    expect(doc.getElementById('user-content-d')!.getAttribute('style')).toContain('color:red');
    expect(doc.head.textContent).toContain('.hero');
    expect(off.blockedRemote).toBe(2);
    const on = allowed(html);
    expect(markup(on)).toContain('https://img.example/hero.jpg');
    expect(markup(on)).not.toContain('@import');
  });

  it('replaces cid: images with the data: URLs given, tolerating brackets, encoding and case', () => {
    const cidUrls = { 'logo@mail.example': 'data:image/png;base64,AAAA', 'part.2@x': 'data:image/gif;base64,BBBB' };
    const html = '<img id="a" src="cid:<Logo@Mail.Example>"><img id="b" src="CID:logo%40mail.example"><div id="c" style="background:url(cid:part.2@X)">x</div><img id="d" src="cid:missing@x">';
    const doc = framed(prepareMailHtml(html, { allowRemote: false, cidUrls }));
    expect(doc.getElementById('user-content-a')!.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(doc.getElementById('user-content-b')!.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(doc.getElementById('user-content-c')!.getAttribute('style')).toContain('data:image/gif;base64,BBBB');
    expect(doc.getElementById('user-content-d')!.hasAttribute('src')).toBe(false);
  });

  it('keeps the styles of the mail head and the body attributes', () => {
    const doc = framed(blocked('<html><head><title>T</title><style>p { color: green }</style></head><body bgcolor="#eeeeee"><p>x</p></body></html>'));
    expect([...doc.head.querySelectorAll('style')].some((s) => s.textContent!.includes('p{color:green}'))).toBe(true);
    expect(doc.body.getAttribute('bgcolor')).toBe('#eeeeee');
    expect(doc.querySelector('base')!.getAttribute('target')).toBe('_blank');
  });
});

describe('content ids', () => {
  it('finds each cid once, without brackets or encoding', () => {
    expect(findCids('<img src="cid:a@x"><img src="cid:&lt;A@X&gt;"><p style="background:url(cid:b%40y)">')).toEqual(['a@x', 'b@y']);
  });

  it('normalizes brackets, scheme, encoding and case', () => {
    expect(normalizeCid('<Part.1@Example.COM>')).toBe('part.1@example.com');
    expect(normalizeCid('cid:part.1%40example.com')).toBe('part.1@example.com');
  });
});
