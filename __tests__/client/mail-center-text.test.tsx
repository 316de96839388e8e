import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { linkify, splitQuoted } from '../../src/client/mail-center/plain-text';
import { PlainTextBody } from '../../src/client/mail-center/PlainTextBody';

afterEach(cleanup);

describe('linkify', () => {
  it('finds http(s), www and mail addresses, leaving sentence punctuation out', () => {
    const links = linkify('See https://a.example/x?y=1. Or www.b.example, or (https://c.example/p_(1)) and ann@d.example!')
      .filter((s) => s.kind === 'link')
      .map((s) => [s.text, s.href]);
    expect(links).toEqual([
      ['https://a.example/x?y=1', 'https://a.example/x?y=1'],
      ['www.b.example', 'http://www.b.example'],
      ['https://c.example/p_(1)', 'https://c.example/p_(1)'],
      ['ann@d.example', 'mailto:ann@d.example'],
    ]);
  });

  it('keeps every character of the text', () => {
    const text = 'a <b> https://x.example/q "c" & d';
    expect(linkify(text).map((s) => s.text).join('')).toBe(text);
  });
});

describe('splitQuoted', () => {
  it('collapses "On … wrote:" followed by quoted lines', () => {
    const { main, quoted } = splitQuoted('Thanks!\n\nOn Mon, 1 Dec 2026 at 10:00, Ann <ann@x.example> wrote:\n> Hello\n> there\n');
    expect(main).toBe('Thanks!');
    expect(quoted).toContain('wrote:');
    expect(quoted).toContain('> Hello');
  });

  it('collapses a wrapped Gmail header, a Chinese one, and Outlook originals', () => {
    expect(splitQuoted('Yes\nOn Mon, 1 Dec 2026 at 10:00, Ann Lee\n<ann@x.example> wrote:\n> Q?').main).toBe('Yes');
    expect(splitQuoted('好的\n在 2026年12月1日 周一 10:00，Ann 写道：\n> 你好').main).toBe('好的');
    expect(splitQuoted('Fine\n\n-----Original Message-----\nFrom: Ann\nSent: Monday\n\nQ?').main).toBe('Fine');
  });

  it('collapses a trailing ">" block but never inline answers or a mail that is all quote', () => {
    expect(splitQuoted('Answer\n> question\n> more').quoted).toBe('> question\n> more');
    const inline = 'On Mon, Ann wrote:\n> q1\nanswer 1\n> q2\nanswer 2';
    expect(splitQuoted(`Hi\n${inline}`).quoted).toBeNull();
    expect(splitQuoted('> only quote\n> here').quoted).toBeNull();
    expect(splitQuoted('No quote here').quoted).toBeNull();
  });
});

describe('PlainTextBody', () => {
  it('escapes markup, makes links clickable and opens the quoted history behind "…"', () => {
    render(<PlainTextBody text={'<script>alert(1)</script> see https://x.example/a\n\nOn Mon, Ann <a@x.example> wrote:\n> old text'} />);
    const body = screen.getByTestId('mail-text-body');
    expect(body.querySelector('script')).toBeNull();
    expect(body.textContent).toContain('<script>alert(1)</script>');
    const link = screen.getByRole('link', { name: 'https://x.example/a' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.queryByText(/old text/)).toBeNull();
    fireEvent.click(screen.getByTestId('mail-quote-toggle'));
    expect(screen.getByTestId('mail-quoted').textContent).toContain('> old text');
  });
});
