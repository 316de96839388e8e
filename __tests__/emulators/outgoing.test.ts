/**
 * What the send pipeline needs of the emulators, through the unmodified SDKs: Graph attachments
 * on drafts (simple POST under 3 MB, 413 above; upload sessions with ranged PUTs; DELETE; ids that
 * stay put), /send sending as the mailbox, Gmail's size limits (5 MB JSON, 35 MB upload), and the
 * request log keeping the MIME each send or draft request carried.
 */
import { Readable } from 'node:stream';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator, startMicrosoftEmulator, summarize, type GoogleEmulator, type MicrosoftEmulator } from '../../dev/emulators';
import { GOOGLE_CLIENT, gmailFor, graphFor, MS_CLIENT } from '../helpers/sdk';

const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
const MB = 1024 * 1024;
const bytes = (size: number, seed = 1) => Buffer.alloc(size, seed);

describe('Graph: attachments of drafts and sending', () => {
  let ms: MicrosoftEmulator;
  let graph: Client;
  const email = 'grace@contoso.test';

  beforeAll(async () => {
    ms = await startMicrosoftEmulator({ seed: 'outgoing', quotas: false });
    ms.addClient(MS_CLIENT);
    ms.addUser({ email, displayName: 'Grace Hopper' });
    ({ client: graph } = await graphFor(ms, email));
  });
  afterAll(() => ms.close());

  const newDraft = async () => {
    const mime = 'From: someone@else.test\r\nTo: bob@example.test\r\nSubject: Files\r\nContent-Type: text/html\r\n\r\n<p>See <img src="cid:logo@x"></p>\r\n';
    const draft = await graph.api('/me/messages').headers({ ...IMMUTABLE, 'Content-Type': 'text/plain' }).post(Buffer.from(mime).toString('base64'));
    expect(ms.requests.filter((r) => r.path === '/v1.0/me/messages' && r.method === 'POST').pop()!.mime!.toString()).toBe(mime);
    return draft.id as string;
  };
  const list = async (id: string) => (await graph.api(`/me/messages/${id}/attachments`).header('Prefer', IMMUTABLE.Prefer).get()).value as any[];

  it('adds files under 3 MB in one POST, refuses larger ones with 413, keeps ids when others change', async () => {
    const id = await newDraft();
    const add = (name: string, content: Buffer, extra = {}) =>
      graph.api(`/me/messages/${id}/attachments`).post({ '@odata.type': '#microsoft.graph.fileAttachment', name, contentType: 'application/pdf', contentBytes: content.toString('base64'), ...extra });
    const a = await add('a.pdf', bytes(1000, 1));
    const b = await add('b.pdf', bytes(2000, 2));
    const logo = await add('logo.png', bytes(50, 3), { contentType: 'image/png', isInline: true, contentId: 'logo@x' });
    expect([a.name, a.size, b.name, logo.isInline, logo.contentId]).toEqual(['a.pdf', 1000, 'b.pdf', true, 'logo@x']);
    const tooBig = await add('big.bin', bytes(3 * MB)).catch((e) => e);
    expect([tooBig.statusCode, tooBig.code]).toEqual([413, 'ErrorRequestEntityTooLarge']);

    await graph.api(`/me/messages/${id}/attachments/${a.id}`).delete();
    const left = await list(id);
    // Inline images sit beside the HTML (multipart/related), before the other files.
    expect(left.map((x) => [x.id, x.name]).sort((x, y) => x[1].localeCompare(y[1]))).toEqual([
      [b.id, 'b.pdf'],
      [logo.id, 'logo.png'],
    ]);
    const raw = ms.state.directory.user(email)!.mailbox!.find(id)!.raw;
    const summary = summarize(raw);
    expect(summary.attachments.map((x) => [x.filename, x.inline, x.contentId])).toEqual([
      ['logo.png', true, 'logo@x'],
      ['b.pdf', false, undefined],
    ]);
    expect(summary.html).toContain('cid:logo@x');
    // A received mail's MIME is never rewritten.
    const received = ms.addMessage(email, { raw: 'From: a@b.test\r\nTo: grace@contoso.test\r\nSubject: In\r\n\r\nHi\r\n' });
    expect((await graph.api(`/me/messages/${received}/attachments`).post({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'x', contentBytes: 'eA==' }).catch((e) => e)).statusCode).toBe(400);
  });

  it('takes a large file through an upload session: ranged PUTs without Authorization, 201 with Location at the end', async () => {
    const id = await newDraft();
    const content = Buffer.concat([bytes(2 * MB, 7), bytes(2 * MB, 8), bytes(123_456, 9)]);
    const session = await graph.api(`/me/messages/${id}/attachments/createUploadSession`).post({
      AttachmentItem: { attachmentType: 'file', name: 'video.mp4', size: content.length, contentType: 'video/mp4' },
    });
    expect(session.nextExpectedRanges).toEqual(['0-']);
    expect(session.uploadUrl).toMatch(/\/AttachmentSessions\('.+'\)\?authtoken=/);
    const put = (start: number, end: number, headers: Record<string, string> = {}) =>
      fetch(session.uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/${content.length}`, ...headers },
        body: new Uint8Array(content.subarray(start, end + 1)),
      });
    const token = ms.tokensOf(email)!.accessToken!;
    expect((await put(0, MB - 1, { authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await put(5, MB - 1)).status).toBe(416);
    const first = await put(0, 4 * MB - 1);
    expect([first.status, (await first.json()).nextExpectedRanges]).toEqual([200, [String(4 * MB)]]);
    const last = await put(4 * MB, content.length - 1);
    expect(last.status).toBe(201);
    expect(last.headers.get('location')).toMatch(/\/Attachments\('.+'\)$/);
    expect(await last.text()).toBe('');
    const [file] = await list(id);
    expect([file.name, file.size, file.contentType]).toEqual(['video.mp4', content.length, 'video/mp4']);
    const back = Buffer.from(await graph.api(`/me/messages/${id}/attachments/${file.id}/$value`).responseType(ResponseType.ARRAYBUFFER).get());
    expect(back.equals(content)).toBe(true);
    // The session is gone once complete.
    expect((await put(0, 9)).status).toBe(404);
  });

  it('/send sends as the mailbox: one From, the MIME logged, the draft in Sent Items under the same immutable id', async () => {
    const id = await newDraft();
    await graph.api(`/me/messages/${id}/send`).header('Prefer', IMMUTABLE.Prefer).post({});
    const entry = ms.requests.filter((r) => r.path.endsWith('/send')).pop()!;
    const summary = summarize(entry.mime!);
    expect(summary.from).toEqual({ name: 'Grace Hopper', address: email });
    expect(entry.mime!.toString('latin1').match(/^from:/gim)).toHaveLength(1);
    expect(ms.mailboxOf(email).find((m) => m.immutableId === id)).toMatchObject({ folder: 'sentitems', isDraft: false });
  });
});

describe('Gmail: size limits and the logged MIME', () => {
  let google: GoogleEmulator;
  let gmail: gmail_v1.Gmail;
  const email = 'ada@gmail.test';
  const mime = (size: number) => Buffer.concat([Buffer.from('To: bob@example.test\r\nSubject: Big\r\n\r\n'), bytes(size, 65)]);
  const upload = (raw: Buffer) => ({ mimeType: 'message/rfc822', body: Readable.from([raw]) });
  // googleapis builds upload URLs from the per-call rootUrl only, never from the client's.
  const root = () => ({ rootUrl: `${google.url}/` });

  beforeAll(async () => {
    google = await startGoogleEmulator({ seed: 'outgoing', quotas: false });
    google.addClient(GOOGLE_CLIENT);
    google.addUser({ email });
    ({ gmail } = await gmailFor(google, email));
  });
  afterAll(() => google.close());

  it('refuses a JSON raw message over 5 MB and takes it as an upload; logs the MIME received', async () => {
    const raw = mime(6 * MB);
    const json = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url') } }).catch((e) => e);
    expect(json.status).toBe(400);
    expect(json.message).toMatch(/Request payload size exceeds the limit: 5242880 bytes/);
    const { data } = await gmail.users.messages.send({ userId: 'me', requestBody: {}, media: upload(raw) }, root());
    expect(data.labelIds).toEqual(['SENT']);
    const entry = google.requests.filter((r) => r.path === '/upload/gmail/v1/users/me/messages/send').pop()!;
    expect(entry.query.uploadType).toBe('multipart');
    expect(entry.mime!.equals(raw)).toBe(true);
  });

  it('refuses a message over 35 MB with a 400; drafts take uploads too', async () => {
    const tooLarge = await gmail.users.messages.send({ userId: 'me', requestBody: {}, media: upload(mime(36 * MB)) }, root()).catch((e) => e);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.message).toMatch(/exceeds the limit: 36700160 bytes/);
    const small = mime(10);
    const { data: draft } = await gmail.users.drafts.create({ userId: 'me', requestBody: { message: {} }, media: upload(small) }, root());
    const { data: updated } = await gmail.users.drafts.update({ userId: 'me', id: draft.id!, requestBody: { id: draft.id, message: {} }, media: upload(mime(20)) }, root());
    expect(updated.id).toBe(draft.id);
    expect(updated.message!.id).not.toBe(draft.message!.id);
    expect(google.requests.filter((r) => r.path.startsWith('/upload/gmail/v1/users/me/drafts')).map((r) => r.mime?.length)).toEqual([small.length, mime(20).length]);
  });
});
