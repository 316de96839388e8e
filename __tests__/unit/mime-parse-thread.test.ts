import { afterAll, describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseMime } from '../../src/server/mime/parse';
import { htmlToPlainText } from '../../src/server/mime/html-text';
import { htmlToPlainTextOffThread, mimeWorkerStats, OFF_THREAD_MIN_BYTES, parseMimeOffThread, stopMimeWorker } from '../../src/server/mime/parse-thread';

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

  it('turns large HTML into text in the worker, the same text as in place', async () => {
    const html = `<h1>Title</h1>${'<p>Some <b>bold</b> &amp; text</p>'.repeat(OFF_THREAD_MIN_BYTES / 20)}`;
    const before = mimeWorkerStats.jobs;
    expect(await htmlToPlainTextOffThread(html)).toBe(htmlToPlainText(html));
    expect(mimeWorkerStats.jobs).toBe(before + 1);
  });
});
