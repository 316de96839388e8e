import { describe, expect, it } from 'vitest';
import { dedupeLists, isEmail, parseRecipients } from '../../src/server/send/addresses';
import { htmlToPlainText } from '../../src/server/mime/html-text';
import { MAX_QUOTE_SOURCE_CHARS, safeQuotedHtml } from '../../src/server/send/quote-html';
import {
  OriginalMail,
  quoteOriginal,
  replyIdentity,
  replyRecipients,
  replySubject,
  threadingHeaders,
} from '../../src/server/send/reply-rules';

/** S-SEND-3, S-SEND-6…8: the pure rules of composing a reply, reply-all or forward. */
const own = { primary: 'me@corp.test', aliases: ['sales@corp.test'] };

function mail(overrides: Partial<OriginalMail> = {}): OriginalMail {
  return {
    from: { address: 'alice@customer.test', name: 'Alice' },
    to: [{ address: 'me@corp.test' }],
    cc: [],
    replyTo: [],
    deliveredTo: null,
    subject: 'Order 42',
    messageId: '<m2@customer.test>',
    references: '<m1@customer.test>',
    date: new Date(Date.UTC(2025, 0, 6, 9, 30)),
    html: '',
    text: 'Where is my order?',
    sent: false,
    ...overrides,
  };
}
const addresses = (list: { address: string }[]) => list.map((a) => a.address);

describe('reply recipients (S-SEND-6)', () => {
  it('reply goes to From, or to Reply-To when there is one', () => {
    expect(addresses(replyRecipients(mail(), own, 'reply').to)).toEqual(['alice@customer.test']);
    const withReplyTo = mail({ replyTo: [{ address: 'support@customer.test' }] });
    expect(replyRecipients(withReplyTo, own, 'reply')).toEqual({ to: [{ address: 'support@customer.test' }], cc: [] });
  });

  it("a reply to the user's own sent mail goes to that mail's To", () => {
    const sent = mail({ from: { address: 'me@corp.test' }, to: [{ address: 'bob@x.test' }, { address: 'carol@x.test' }], sent: true });
    expect(addresses(replyRecipients(sent, own, 'reply').to)).toEqual(['bob@x.test', 'carol@x.test']);
    // Known as own by its From even when it is not in the Sent box (an alias wrote it).
    const byAlias = mail({ from: { address: 'SALES@corp.test' }, to: [{ address: 'dan@x.test' }], cc: [{ address: 'erin@x.test' }] });
    expect(replyRecipients(byAlias, own, 'replyAll')).toEqual({ to: [{ address: 'dan@x.test' }], cc: [{ address: 'erin@x.test' }] });
  });

  it('reply all adds To and Cc, drops own addresses and aliases and duplicates ignoring case', () => {
    const original = mail({
      to: [{ address: 'me@corp.test' }, { address: 'Bob@X.test' }, { address: 'sales@corp.test' }],
      cc: [{ address: 'carol@x.test' }, { address: 'bob@x.test' }, { address: 'ME@corp.test' }, { address: 'ALICE@customer.test' }],
    });
    const { to, cc } = replyRecipients(original, own, 'replyAll');
    expect(addresses(to)).toEqual(['alice@customer.test', 'Bob@X.test']);
    expect(addresses(cc)).toEqual(['carol@x.test']);
    // Reply (not all) keeps only the sender.
    expect(replyRecipients(original, own, 'reply')).toEqual({ to: [{ address: 'alice@customer.test', name: 'Alice' }], cc: [] });
  });

  it('a note to self goes back to the user rather than to nobody; forward starts empty (S-SEND-7)', () => {
    const self = mail({ from: { address: 'me@corp.test' }, to: [{ address: 'me@corp.test' }], sent: true });
    expect(replyRecipients(self, own, 'reply')).toEqual({ to: [{ address: 'me@corp.test' }], cc: [] });
    expect(replyRecipients(mail(), own, 'forward')).toEqual({ to: [], cc: [] });
  });
});

describe('subject, identity, threading (S-SEND-6, S-SEND-8)', () => {
  it('prefixes Re: and Fwd: once, whatever the case', () => {
    expect(replySubject('Order 42', 'reply')).toBe('Re: Order 42');
    expect(replySubject('RE: Order 42', 'replyAll')).toBe('RE: Order 42');
    expect(replySubject('re:Order', 'reply')).toBe('re:Order');
    expect(replySubject('Remember', 'reply')).toBe('Re: Remember');
    expect(replySubject('', 'reply')).toBe('Re:');
    expect(replySubject('Order 42', 'forward')).toBe('Fwd: Order 42');
    expect(replySubject('FW: Order 42', 'forward')).toBe('FW: Order 42');
    expect(replySubject('Re: Order 42', 'forward')).toBe('Fwd: Re: Order 42');
  });

  it('answers from the own address that received the mail: To, then Cc, then Delivered-To, else the primary', () => {
    expect(replyIdentity(mail({ to: [{ address: 'x@y.test' }, { address: 'Sales@corp.test' }] }), own)).toBe('sales@corp.test');
    expect(replyIdentity(mail({ to: [{ address: 'x@y.test' }], cc: [{ address: 'sales@corp.test' }, { address: 'me@corp.test' }] }), own)).toBe('sales@corp.test');
    expect(replyIdentity(mail({ to: [{ address: 'list@lists.test' }], deliveredTo: 'sales@corp.test' }), own)).toBe('sales@corp.test');
    expect(replyIdentity(mail({ to: [{ address: 'list@lists.test' }] }), own)).toBe('me@corp.test');
    // The user's own mail keeps the identity it was sent from.
    expect(replyIdentity(mail({ from: { address: 'sales@corp.test' }, to: [{ address: 'me@corp.test' }], sent: true }), own)).toBe('sales@corp.test');
  });

  it('In-Reply-To is the Message-ID; References the original References plus it, without repeats', () => {
    expect(threadingHeaders(mail())).toEqual({ inReplyTo: '<m2@customer.test>', references: '<m1@customer.test> <m2@customer.test>' });
    expect(threadingHeaders(mail({ references: '<m1@customer.test>\r\n <m2@customer.test>' }))).toEqual({
      inReplyTo: '<m2@customer.test>',
      references: '<m1@customer.test> <m2@customer.test>',
    });
    expect(threadingHeaders(mail({ messageId: null, references: null }))).toEqual({ inReplyTo: null, references: null });
  });
});

describe('quoted original', () => {
  it('quotes a reply in a blockquote under "On <date>, <from> wrote:"', async () => {
    const html = await quoteOriginal(mail({ text: 'Where is\n<my> order?' }), 'reply', { timeZone: 'Europe/Paris' });
    expect(html).toContain('On Jan 6, 2025, 10:30 AM, Alice &lt;alice@customer.test&gt; wrote:');
    expect(html).toContain('<blockquote');
    expect(html).toContain('Where is<br>&lt;my&gt; order?');
  });

  it('heads a forward with the original sender, date, subject and recipients', async () => {
    const html = await quoteOriginal(mail({ cc: [{ address: 'bob@x.test' }] }), 'forward');
    expect(html).toContain('---------- Forwarded message ---------');
    expect(html).toContain('From: Alice &lt;alice@customer.test&gt;');
    expect(html).toContain('Subject: Order 42');
    expect(html).toContain('To: me@corp.test<br>Cc: bob@x.test');
  });

  it('quotes at most the first MAX_QUOTE_SOURCE_CHARS of a huge original, closed and marked as clipped', () => {
    const html = `<div><p>${'word '.repeat(MAX_QUOTE_SOURCE_CHARS / 4)}</p></div>`;
    const quote = safeQuotedHtml(html, '');
    expect(quote.length).toBeLessThan(MAX_QUOTE_SOURCE_CHARS + 100);
    expect(quote.endsWith('</p></div><p>[…]</p>')).toBe(true);
  });

  it('keeps the markup of an HTML original but not its scripts, handlers or document wrapper', () => {
    const html = safeQuotedHtml(
      '<html><head><title>x</title></head><body><p onclick="steal()">Hi <b>there</b></p><script>alert(1)</script><a href="javascript:alert(2)">x</a><img src="cid:logo@x"></body></html>',
      '',
    );
    expect(html).toBe('<p>Hi <b>there</b></p><a>x</a><img src="cid:logo@x">');
  });
});

describe('recipients as typed (S-SEND-3)', () => {
  it('splits pasted lists at commas, semicolons and newlines, keeps names, lower-cases addresses', () => {
    const parsed = parseRecipients('Alice <Alice@Customer.test>, bob@x.test; "Doe, John" <j@x.test>\ncarol@x.test');
    expect(parsed.invalid).toEqual([]);
    expect(parsed.addresses).toEqual([
      { address: 'alice@customer.test', name: 'Alice' },
      { address: 'bob@x.test' },
      { address: 'j@x.test', name: 'Doe, John' },
      { address: 'carol@x.test' },
    ]);
    expect(parseRecipients(['dan@x.test', { address: 'Erin@X.test', name: 'Erin' }]).addresses).toEqual([
      { address: 'dan@x.test' },
      { address: 'erin@x.test', name: 'Erin' },
    ]);
  });

  it('reports what is not an address, as written', () => {
    expect(parseRecipients('ok@x.test, not-an-address; a@b').invalid).toEqual(['not-an-address', 'a@b']);
    for (const bad of ['a@b', 'a b@c.test', '.a@c.test', 'a..b@c.test', 'a@-c.test', 'a@c.t']) expect(isEmail(bad), bad).toBe(false);
    for (const good of ['a@c.test', "o'brien+tag@mail.example.co.uk", 'x@sub-domain.example.org']) expect(isEmail(good), good).toBe(true);
  });

  it('merges duplicates across To, Cc and Bcc, ignoring case, the first place winning', () => {
    const [to, cc, bcc] = dedupeLists([[{ address: 'a@x.test' }], [{ address: 'A@x.test' }, { address: 'b@x.test' }], [{ address: 'B@X.TEST' }, { address: 'c@x.test' }]]);
    expect([addresses(to), addresses(cc), addresses(bcc)]).toEqual([['a@x.test'], ['b@x.test'], ['c@x.test']]);
  });

  it('makes a plain-text alternative of the HTML body', () => {
    expect(htmlToPlainText('<p>Hello&nbsp;<b>Bob</b></p><ul><li>one</li><li>two</li></ul><div>a &amp; b<br>c</div>')).toBe('Hello Bob\n- one\n- two\na & b\nc');
  });
});
