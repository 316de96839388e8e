import { afterAll, describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseMime } from '../../src/server/mime/parse';
import { buildMime, buildMimeInPlace, type MimeInput } from '../../src/server/mime/build-mime';
import { mimeWorkerStats, OFF_THREAD_MIN_BYTES, parseMimeOffThread, stopMimeWorker } from '../../src/server/mime/parse-thread';
import { buildBatchBody, decodeBatchAnswer } from '../../src/server/providers/gmail/batch';
import { readBatchAnswer } from '../../src/server/providers/gmail/batch-thread';
import { safeQuotedHtml, safeQuotedHtmlOffThread } from '../../src/server/send/quote-html';

const mime = (options: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(options).compile().build();

describe('MIME parsing off the main thread', () => {
  afterAll(stopMimeWorker);

  it('parses a large message in the worker to the same result as in place, attachments as Buffers', async () => {
    const file = Buffer.alloc(OFF_THREAD_MIN_BYTES * 4, 7);
    const raw = await mime({ from: 'Ann <ann@x.test>', to: 'bob@y.test', subject: 'Big', html: '<p>Hello <b>Bob</b></p>', attachments: [{ filename: 'a.bin', content: file }], date: new Date(Date.UTC(2025, 0, 2)) });
    const before = mimeWorkerStats.jobs;
    const off = await parseMimeOffThread(raw);
    expect(mimeWorkerStats.jobs).toBe(before + 1);
    const here = await parseMime(raw);
    expect(off.attachments[0].content).toBeInstanceOf(Buffer);
    expect(Buffer.compare(off.attachments[0].content as Buffer, file)).toBe(0);
    expect({ ...off, attachments: [] }).toEqual({ ...here, attachments: [] });
    expect(off.date).toBeInstanceOf(Date);
    // The caller's buffer is untouched (a copy went to the worker).
    expect(raw.byteLength).toBeGreaterThan(OFF_THREAD_MIN_BYTES);
  });

  it('parses small messages in place, and many large ones concurrently in order', async () => {
    const small = await mime({ from: 'a@x.test', to: 'b@x.test', subject: 'Small', text: 'hi' });
    const before = mimeWorkerStats.jobs;
    expect((await parseMimeOffThread(small)).subject).toBe('Small');
    expect(mimeWorkerStats.jobs).toBe(before);
    const large = await Promise.all([1, 2, 3].map((n) => mime({ from: 'a@x.test', to: 'b@x.test', subject: `L${n}`, text: 'x'.repeat(OFF_THREAD_MIN_BYTES) })));
    expect((await Promise.all(large.map((raw) => parseMimeOffThread(raw)))).map((p) => p.subject)).toEqual(['L1', 'L2', 'L3']);
  });

  it('builds a large mail in the worker: the same message as in place, files and plain text included', async () => {
    const file = Buffer.alloc(OFF_THREAD_MIN_BYTES, 9);
    const input: MimeInput = {
      from: { name: 'Ann', address: 'ann@x.test' },
      to: [{ name: '', address: 'bob@y.test' }],
      cc: [],
      bcc: [{ name: '', address: 'eve@y.test' }],
      subject: 'Big draft',
      html: `<h1>Title</h1>${'<p>Some <b>bold</b> &amp; text</p>'.repeat(OFF_THREAD_MIN_BYTES / 20)}`,
      files: [{ filename: 'f.bin', mimeType: 'application/octet-stream', content: file, inline: false }],
      messageId: '<big@x.test>',
      date: new Date(Date.UTC(2025, 0, 2)),
    };
    const before = mimeWorkerStats.jobs;
    const off = await buildMime(input);
    expect(mimeWorkerStats.jobs).toBe(before + 1);
    expect(off).toBeInstanceOf(Buffer);
    // Boundaries are random: the two messages are compared parsed.
    const [a, b] = await Promise.all([parseMime(off), buildMimeInPlace(input).then(parseMime)]);
    expect(a).toEqual(b);
    expect(a.text).toContain('Some bold & text');
    expect(a.bcc.map((x) => x.address)).toEqual(['eve@y.test']);
    expect(Buffer.compare(a.attachments[0].content as Buffer, file)).toBe(0);
  });

  it('reads a large Gmail batch answer in the worker: the same parts, MIME decoded to bytes', async () => {
    const raw = await mime({ from: 'a@x.test', to: 'b@x.test', subject: 'L', text: 'x'.repeat(OFF_THREAD_MIN_BYTES) });
    const { boundary } = buildBatchBody([]);
    const part = (id: string, status: number, body: unknown) =>
      `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-${id}>\r\n\r\nHTTP/1.1 ${status} X\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n`;
    const answer = Buffer.from(
      part('m1', 200, { id: 'm1', threadId: 't1', labelIds: ['INBOX'], raw: raw.toString('base64url') }) + part('m2', 404, { error: { code: 404 } }) + `--${boundary}--\r\n`,
    );
    const contentType = `multipart/mixed; boundary=${boundary}`;
    const before = mimeWorkerStats.jobs;
    const off = await readBatchAnswer(contentType, answer);
    expect(mimeWorkerStats.jobs).toBe(before + 1);
    expect(off).toEqual(decodeBatchAnswer(contentType, answer));
    const body = off[0].body as { rawBytes: Buffer; raw?: string };
    expect(body.raw).toBeUndefined();
    expect(body.rawBytes).toBeInstanceOf(Buffer);
    expect(Buffer.compare(body.rawBytes, raw)).toBe(0);
    expect(off.map((p) => [p.id, p.status])).toEqual([['m1', 200], ['m2', 404]]);
  });

  it('quotes a large original in the worker: the same quote as in place', async () => {
    const html = `<p>Hi <b>there</b> &amp; <a href="https://x.test" onclick="x()">link</a></p>${'&amp;&#60;&lt'.repeat(OFF_THREAD_MIN_BYTES / 10)}`;
    const before = mimeWorkerStats.jobs;
    expect(await safeQuotedHtmlOffThread(html, '')).toBe(safeQuotedHtml(html, ''));
    expect(mimeWorkerStats.jobs).toBe(before + 1);
  });
});
