/**
 * The Gmail mailbox of the Google emulator through the unmodified googleapis SDK: listing and
 * paging, the four message formats and their real-service quirks, history, labels, threads,
 * sending and drafts, the batch endpoint, faults inside a batch, and the per-user quota.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleEmulator, type GoogleEmulator } from '../../dev/emulators';
import { fixture, gmailBatch, gmailFor, GOOGLE_CLIENT } from '../helpers/sdk';

const DAY = 86_400_000;
/** The first `errors` item of a Google API error (gaxios 7 leaves it in the response body). */
const errorOf = (e: any) => e.response?.data?.error?.errors?.[0];

let google: GoogleEmulator;
let gmail: Awaited<ReturnType<typeof gmailFor>>['gmail'];
let token: string;

beforeAll(async () => {
  google = await startGoogleEmulator({ seed: 'gmail-tests', quotas: false });
  google.addClient(GOOGLE_CLIENT);
  google.addUser({ email: 'ada@gmail.test', displayName: 'Ada Lovelace' });
  google.addUser({ email: 'empty@gmail.test' });
  ({ gmail, token } = await gmailFor(google, 'ada@gmail.test'));
});

afterAll(() => google.close());

function plain(subject: string, extra = '') {
  return `From: Bob <bob@example.com>\r\nTo: ada@gmail.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\n${extra}\r\nHello ${subject}\r\n`;
}

describe('messages.list', () => {
  it('pages newest first, filters with q=after:/before:/in:/is:, and has no messages key when empty', async () => {
    const start = new Date('2024-01-01T00:00:00Z');
    const ids = await google.generateMailbox('ada@gmail.test', { count: 250, start, end: new Date(start.getTime() + 100 * DAY), seed: 'list' });
    expect(ids).toHaveLength(250);
    const state = google.mailboxOf('ada@gmail.test');
    const visible = state.filter((m) => !m.labelIds.includes('SPAM') && !m.labelIds.includes('TRASH'));

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 100, pageToken });
      seen.push(...data.messages!.map((m) => m.id!));
      expect(data.resultSizeEstimate).toBe(visible.length);
      pageToken = data.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(visible.map((m) => m.id));

    const cut = start.getTime() + 50 * DAY;
    const { data: after } = await gmail.users.messages.list({ userId: 'me', q: `after:${cut / 1000} -in:chats`, includeSpamTrash: true, maxResults: 500 });
    expect(after.messages!.map((m) => m.id)).toEqual(state.filter((m) => m.internalDate >= cut).map((m) => m.id));
    // YYYY/MM/DD means midnight Pacific time.
    const { data: byDate } = await gmail.users.messages.list({ userId: 'me', q: 'before:2024/01/20', includeSpamTrash: true, maxResults: 500 });
    const pacificMidnight = Date.UTC(2024, 0, 20) + 8 * 3_600_000;
    expect(byDate.messages!.length).toBe(state.filter((m) => m.internalDate < pacificMidnight).length);
    const { data: unread } = await gmail.users.messages.list({ userId: 'me', q: 'in:inbox is:unread', maxResults: 500 });
    expect(unread.messages!.length).toBe(state.filter((m) => m.labelIds.includes('INBOX') && !m.read).length);
    const { data: sent } = await gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], maxResults: 500 });
    expect(sent.messages!.length).toBe(state.filter((m) => m.labelIds.includes('SENT')).length);

    const { data: none } = await gmail.users.messages.list({ userId: 'me', q: 'after:2030/01/01' });
    expect(none).toEqual({ resultSizeEstimate: 0 });
  });
});

describe('messages.get', () => {
  it('answers raw (the stored bytes), minimal, metadata (headers only) and 404 for unknown ids', async () => {
    const [id] = google.seed('ada@gmail.test', { eml: [fixture('mailparser__nodemailer.eml')] });
    const { data: raw } = await gmail.users.messages.get({ userId: 'me', id, format: 'raw' });
    expect(Buffer.from(raw.raw!, 'base64url').equals(fs.readFileSync(fixture('mailparser__nodemailer.eml')))).toBe(true);
    expect(raw).toMatchObject({ id, threadId: id, labelIds: ['INBOX', 'UNREAD'], internalDate: expect.stringMatching(/^\d+$/), historyId: expect.stringMatching(/^\d+$/) });
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const { data: minimal } = await gmail.users.messages.get({ userId: 'me', id, format: 'minimal' });
    expect(minimal.payload).toBeUndefined();
    expect(minimal.snippet).toBeTruthy();
    const { data: meta } = await gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['Subject', 'From'] });
    expect(meta.payload!.parts).toBeUndefined();
    expect(meta.payload!.headers!.map((h) => h.name)).toEqual(['From', 'Subject']);
    expect(meta.payload!.headers!.find((h) => h.name === 'Subject')!.value).toContain('Nodemailer is unicode friendly ✔');
    const missing = await gmail.users.messages.get({ userId: 'me', id: '0000000000000000' }).catch((e) => e);
    expect(missing.status).toBe(404);
    expect(errorOf(missing).reason).toBe('notFound');
  });

  it('full: text re-encoded as UTF-8 under the original charset header, RFC 2231 names dropped, attachments', async () => {
    const [sjis, longName] = google.seed('ada@gmail.test', { eml: [fixture('mail__japanese_shift_jis.eml'), fixture('mail__japanese_attachment_long_name.eml')] });
    const { data: a } = await gmail.users.messages.get({ userId: 'me', id: sjis, format: 'full' });
    const part = a.payload!.parts ? a.payload!.parts[0] : a.payload!;
    expect(part.headers!.find((h) => h.name!.toLowerCase() === 'content-type')!.value).toMatch(/Shift_JIS/i);
    const text = Buffer.from(part.body!.data!, 'base64url').toString('utf8');
    expect(text).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(part.body!.size).toBe(Buffer.byteLength(text));

    const { data: b } = await gmail.users.messages.get({ userId: 'me', id: longName, format: 'full' });
    const leaves = (p: any): any[] => (p.parts ? p.parts.flatMap(leaves) : [p]);
    const attachment = leaves(b.payload).find((p) => p.body.attachmentId)!;
    expect(attachment.filename).toBe('');
    const { data: again } = await gmail.users.messages.get({ userId: 'me', id: longName, format: 'full' });
    const second = leaves(again.payload).find((p) => p.body.attachmentId)!;
    expect(second.body.attachmentId).not.toBe(attachment.body.attachmentId);
    for (const attachmentId of [attachment.body.attachmentId, second.body.attachmentId]) {
      const { data } = await gmail.users.messages.attachments.get({ userId: 'me', messageId: longName, id: attachmentId });
      expect(data.data).not.toMatch(/=/);
      expect(data.size).toBe(Buffer.from(data.data!, 'base64url').length);
    }
  });
});

describe('history.list', () => {
  it('reports adds, label changes and deletes after a start id; no history key when nothing changed', async () => {
    const { data: profile } = await gmail.users.getProfile({ userId: 'me' });
    const start = profile.historyId!;
    const { data: quiet } = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
    expect(quiet).toEqual({ historyId: start });

    const id = google.addMessage('ada@gmail.test', { raw: plain('History one') });
    await gmail.users.messages.modify({ userId: 'me', id, requestBody: { removeLabelIds: ['UNREAD'], addLabelIds: ['STARRED'] } });
    google.setRead('ada@gmail.test', id, false);
    await gmail.users.messages.delete({ userId: 'me', id });
    const { data } = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
    const history = data.history!;
    expect(history.map((h) => Object.keys(h).filter((k) => k !== 'id' && k !== 'messages'))).toEqual([
      ['messagesAdded'],
      ['labelsAdded', 'labelsRemoved'],
      ['labelsAdded'],
      ['messagesDeleted'],
    ]);
    expect(history[1].labelsAdded![0]).toEqual({ message: { id, threadId: id, labelIds: ['INBOX', 'STARRED'] }, labelIds: ['STARRED'] });
    expect(history[1].labelsRemoved![0].labelIds).toEqual(['UNREAD']);
    expect(Number(data.historyId)).toBe(Number(history[3].id));
    const ids = history.map((h) => Number(h.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);

    const { data: onlyAdded } = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'] });
    expect(onlyAdded.history!.map((h) => h.messagesAdded![0].message!.id)).toEqual([id]);
    const { data: paged } = await gmail.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 3 });
    expect(paged.history).toHaveLength(3);
    const { data: rest } = await gmail.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 3, pageToken: paged.nextPageToken! });
    expect(rest.history!.map((h) => h.id)).toEqual([history[3].id]);
  });

  it('answers 404 notFound for a start id older than the kept history', async () => {
    const { data: profile } = await gmail.users.getProfile({ userId: 'me' });
    google.addMessage('ada@gmail.test', { raw: plain('Before expiry') });
    google.expireHistory('ada@gmail.test');
    const error = await gmail.users.history.list({ userId: 'me', startHistoryId: profile.historyId! }).catch((e) => e);
    expect(error.status).toBe(404);
    expect(errorOf(error).reason).toBe('notFound');
    const { data: now } = await gmail.users.getProfile({ userId: 'me' });
    expect((await gmail.users.history.list({ userId: 'me', startHistoryId: now.historyId! })).data).toEqual({ historyId: now.historyId });

    const small = await startGoogleEmulator({ historyRetention: 2, quotas: false });
    small.addClient(GOOGLE_CLIENT);
    small.addUser({ email: 'kept@gmail.test' });
    const client = (await gmailFor(small, 'kept@gmail.test')).gmail;
    const first = (await client.users.getProfile({ userId: 'me' })).data.historyId!;
    for (const n of [1, 2, 3]) small.addMessage('kept@gmail.test', { raw: plain(`Kept ${n}`) });
    expect((await client.users.history.list({ userId: 'me', startHistoryId: first }).catch((e) => e)).status).toBe(404);
    await small.close();
  });
});

describe('labels, threads, sending and drafts', () => {
  it('creates, counts, patches and deletes user labels; modify with a user label', async () => {
    const { data: created } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Clients' } });
    expect(created).toMatchObject({ id: expect.stringMatching(/^Label_\d+$/), name: 'Clients', type: 'user' });
    const conflict = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'clients' } }).catch((e) => e);
    expect(conflict.status).toBe(409);
    const id = google.addMessage('ada@gmail.test', { raw: plain('Labelled') });
    await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: [created.id!] } });
    const { data: got } = await gmail.users.labels.get({ userId: 'me', id: created.id! });
    expect(got).toMatchObject({ messagesTotal: 1, messagesUnread: 1, threadsTotal: 1, threadsUnread: 1 });
    const { data: list } = await gmail.users.labels.list({ userId: 'me' });
    expect(list.labels!.map((l) => l.id)).toEqual(expect.arrayContaining(['INBOX', 'SENT', 'DRAFT', 'SPAM', 'TRASH', 'UNREAD', 'STARRED', 'CATEGORY_SOCIAL', created.id]));
    await gmail.users.labels.patch({ userId: 'me', id: created.id!, requestBody: { name: 'Customers' } });
    await gmail.users.labels.delete({ userId: 'me', id: created.id! });
    expect(google.mailboxOf('ada@gmail.test').find((m) => m.id === id)!.labelIds).not.toContain(created.id);
    const bad = await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['Label_999'] } }).catch((e) => e);
    expect(bad.status).toBe(400);
  });

  it('threads replies by References, sends with SENT, drafts create/update/send; trash leaves the inbox', async () => {
    const root = google.addMessage('ada@gmail.test', { raw: plain('Thread root') });
    const reply = google.addMessage('ada@gmail.test', { raw: plain('Re Thread root', 'In-Reply-To: <Threadroot@example.com>\r\n') });
    const { data: thread } = await gmail.users.threads.get({ userId: 'me', id: root, format: 'minimal' });
    expect(thread.messages!.map((m) => m.id)).toEqual([root, reply]);
    const raw = Buffer.from('To: bob@example.com\r\nSubject: Re: Thread root\r\nIn-Reply-To: <Threadroot@example.com>\r\n\r\nAnswer\r\n').toString('base64url');
    const { data: sent } = await gmail.users.messages.send({ userId: 'me', requestBody: { raw, threadId: root } });
    expect(sent).toMatchObject({ threadId: root, labelIds: ['SENT'] });
    const { data: stored } = await gmail.users.messages.get({ userId: 'me', id: sent.id!, format: 'metadata', metadataHeaders: ['Message-ID', 'From'] });
    expect(stored.payload!.headers!.map((h) => h.name)).toEqual(['Message-ID', 'From']);

    const { data: draft } = await gmail.users.drafts.create({ userId: 'me', requestBody: { message: { raw } } });
    expect(draft.message!.labelIds).toEqual(['DRAFT']);
    const { data: updated } = await gmail.users.drafts.update({ userId: 'me', id: draft.id!, requestBody: { message: { raw } } });
    expect(updated.message!.id).not.toBe(draft.message!.id);
    expect((await gmail.users.drafts.list({ userId: 'me' })).data.drafts!.map((d) => d.id)).toContain(draft.id);
    const { data: sentDraft } = await gmail.users.drafts.send({ userId: 'me', requestBody: { id: draft.id } });
    expect(sentDraft.labelIds).toEqual(['SENT']);

    const { data: trashed } = await gmail.users.messages.trash({ userId: 'me', id: reply });
    expect(trashed.labelIds).toContain('TRASH');
    expect(trashed.labelIds).not.toContain('INBOX');
    const { data: back } = await gmail.users.messages.untrash({ userId: 'me', id: reply });
    expect(back.labelIds).not.toContain('INBOX');
  });
});

describe('batch endpoint', () => {
  it('answers 200 multipart/mixed with a 404 part inside; parts are counted and charged', async () => {
    const [a, b] = google.mailboxOf('ada@gmail.test');
    google.resetUsage('ada@gmail.test');
    const answer = await gmailBatch(google, token, [
      { id: 'one', path: `/gmail/v1/users/me/messages/${a.id}?format=raw` },
      { id: 'two', path: '/gmail/v1/users/me/messages/ffffffffffffffff?format=raw' },
      { id: 'three', path: `/gmail/v1/users/ada@gmail.test/messages/${b.id}?format=metadata` },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^multipart\/mixed; boundary=batch_/);
    expect(answer.parts.map((p) => [p.id, p.status])).toEqual([['one', 200], ['two', 404], ['three', 200]]);
    expect(answer.parts[0].body.raw).toBeTruthy();
    expect(answer.parts[1].body.error.errors[0].reason).toBe('notFound');
    const usage = google.usage('ada@gmail.test');
    expect(usage).toMatchObject({ requests: { batch: 1 }, batchParts: 3, methods: { 'messages.get': 3 }, units: 15 });
    expect(google.requests.filter((r) => r.batchPart).map((r) => r.status)).toEqual(expect.arrayContaining([200, 404]));
  });

  it('refuses more than 100 parts and a missing token; a batchPart fault fails one part with 500 backendError', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `p${i}`, path: '/gmail/v1/users/me/profile' }));
    expect((await gmailBatch(google, token, many)).status).toBe(400);
    expect((await gmailBatch(google, 'nope', many.slice(0, 1))).status).toBe(401);
    google.faults.add({ batchPart: true, path: '/gmail/v1/users/me/profile', status: 500 });
    const answer = await gmailBatch(google, token, many.slice(0, 2));
    expect(answer.parts.map((p) => p.status)).toEqual([500, 200]);
    expect(answer.parts[0].body.error.errors[0].reason).toBe('backendError');
    // Occasional failures: a seeded share of matching parts.
    const flaky = google.faults.add({ batchPart: true, path: '/gmail/v1/users/me/profile', status: 500, times: Infinity, probability: 0.3 });
    const many50 = await gmailBatch(google, token, many.slice(0, 50));
    google.faults.clear();
    const failed = many50.parts.filter((p) => p.status === 500).length;
    expect(failed).toBe(flaky.hits);
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(30);
  });
});

describe('quota', () => {
  it('answers 429 rateLimitExceeded with Retry-After over the scaled per-minute limit, also inside a batch', async () => {
    // 15,000 × 0.001 = 15 units a minute: three messages.list calls.
    const small = await startGoogleEmulator({ quotaScale: 0.001 });
    small.addClient(GOOGLE_CLIENT);
    small.addUser({ email: 'busy@gmail.test' });
    const busy = await gmailFor(small, 'busy@gmail.test');
    for (let i = 0; i < 3; i++) await busy.gmail.users.messages.list({ userId: 'me' });
    const error = await busy.gmail.users.messages.list({ userId: 'me' }).catch((e) => e);
    expect(error.status).toBe(429);
    expect(errorOf(error)).toMatchObject({ reason: 'rateLimitExceeded', domain: 'usageLimits' });
    expect(Number(error.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const batch = await gmailBatch(small, busy.token, [{ id: 'x', path: '/gmail/v1/users/me/messages' }]);
    expect(batch.status).toBe(200);
    expect(batch.parts[0]).toMatchObject({ status: 429, retryAfter: expect.stringMatching(/^\d+$/) });
    expect(small.usage('busy@gmail.test')).toMatchObject({ units: 15, throttled: 2 });
    expect(small.env.EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE).toBe('15');
    small.resetQuota('busy@gmail.test');
    await busy.gmail.users.messages.list({ userId: 'me' });
    await small.close();

    const strict = await startGoogleEmulator({ quotaScale: 0.0001, quotaError: 403 });
    strict.addClient(GOOGLE_CLIENT);
    strict.addUser({ email: 'busy@gmail.test' });
    const other = await gmailFor(strict, 'busy@gmail.test');
    const forbidden = await other.gmail.users.messages.list({ userId: 'me' }).catch((e) => e);
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden).reason).toBe('userRateLimitExceeded');
    await strict.close();
  });
});
