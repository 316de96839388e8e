import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFile, corpusFiles } from '../helpers/corpus';
import { flatten, makeSnippet, MAX_SHORT_LINES, parseMime } from '../../src/server/mime/parse';

const files = corpusFiles().map((f) => path.basename(f));
const read = (name: string) => fs.readFileSync(corpusFile(name));

describe('MIME parsing', () => {
  it('finds the fixture corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
  });

  it('parses every message of the corpus without throwing, with sane fields', async () => {
    for (const file of files) {
      const parsed = await parseMime(read(file));
      expect(typeof parsed.subject, file).toBe('string');
      expect(parsed.snippet.length, file).toBeLessThanOrEqual(200);
      for (const a of [...parsed.to, ...parsed.cc, ...parsed.bcc]) expect(a.address, file).toBe(a.address.toLowerCase());
      for (const att of parsed.attachments) {
        expect(att.size, file).toBe(att.content.byteLength);
        expect(att.filename.length, file).toBeGreaterThan(0);
        if (att.contentId) expect(att.contentId, file).not.toMatch(/^<|>$/);
      }
      if (parsed.date) expect(Number.isNaN(parsed.date.getTime()), file).toBe(false);
    }
  });

  it('reads inline images, RFC 2231 names and threading headers', async () => {
    const parsed = await parseMime(read('mailparser__nodemailer.eml'));
    const inline = parsed.attachments.filter((a) => a.inline);
    expect(inline.length).toBeGreaterThan(0);
    for (const image of inline) {
      expect(image.contentId).toBeTruthy();
      expect(parsed.html).toContain(`cid:${image.contentId}`);
    }
    expect(parsed.attachments.some((a) => a.filename.includes('nyan cat'))).toBe(true);
    expect(parsed.messageId).toMatch(/^<.+>$/);
  });

  it('keeps a message the parser refuses, with its headers and a reason', async () => {
    const deep = `Subject: Deep\r\nFrom: Deep Sender <Deep@Example.com>\r\nMessage-ID: <deep@x>\r\n` +
      Array.from({ length: 80 }, (_, i) => `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`).join('') + 'x';
    const parsed = await parseMime(deep);
    expect(parsed.subject).toBe('Deep');
    expect(parsed.from).toEqual({ address: 'deep@example.com' });
    expect(parsed.messageId).toBe('<deep@x>');
    expect(parsed.parseError).toBeTruthy();
    expect(parsed.text).toMatch(/could not be read completely/);
  });

  it('unwraps groups and drops members without an address', () => {
    expect(
      flatten([{ name: 'Team', group: [{ name: 'A', address: 'A@X.test' }, { name: '', address: '' }] }, { name: '', address: 'b@y.test' }]),
    ).toEqual([{ address: 'a@x.test', name: 'A' }, { address: 'b@y.test' }]);
  });

  it('makes a one-line snippet', () => {
    expect(makeSnippet('  Hello\n\n  world\t!  ')).toBe('Hello world !');
    expect(makeSnippet('x'.repeat(500))).toHaveLength(200);
  });

  it('keeps only the headers of a mail of hundreds of thousands of near-empty lines, and reads a long real one whole', async () => {
    const head = 'From: Ann <ann@x.test>\r\nTo: bob@y.test\r\nSubject: Lines\r\nMessage-ID: <lines@x.test>\r\nContent-Type: text/html\r\n\r\n';
    const hostile = await parseMime(Buffer.from(head + '<p>\n'.repeat(MAX_SHORT_LINES * 2)));
    expect(hostile.subject).toBe('Lines');
    expect(hostile.from).toMatchObject({ address: 'ann@x.test' });
    expect(hostile.text).toContain('more than 100,000 lines');
    // 120,000 lines of 40 bytes (4.8 MB): long enough lines to be somebody's text.
    const line = 'The quick brown fox jumps over the dog.\n';
    const real = await parseMime(Buffer.from(head.replace('text/html', 'text/plain') + line.repeat(120_000)));
    expect(real.text.length).toBeGreaterThan(line.length * 119_000);
  });
});

