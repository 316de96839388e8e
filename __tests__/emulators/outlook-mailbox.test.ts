/**
 * The Outlook mailbox of the Microsoft emulator through the unmodified Graph client (and
 * msal-node for the token): delta paging and changes, 410 on an expired token, $batch through
 * BatchRequestContent / BatchResponseContent, attachments, immutable ids, sending and drafts,
 * folders, and Outlook's throttling (concurrency and requests per 10 minutes).
 */
import fs from 'node:fs';
import { BatchRequestContent, BatchResponseContent, ResponseType, RetryHandlerOptions, type Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../dev/emulators';
import { fixture, graphFor, MS_CLIENT } from '../helpers/sdk';

const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
const NO_RETRY = [new RetryHandlerOptions(0, 0)];

let ms: MicrosoftEmulator;
let graph: Client;

beforeAll(async () => {
  ms = await startMicrosoftEmulator({ seed: 'outlook-tests', quotas: false });
  ms.addClient(MS_CLIENT);
  ms.addUser({ email: 'katherine@contoso.test', displayName: 'Katherine Johnson' });
  ({ client: graph } = await graphFor(ms, 'katherine@contoso.test'));
});

afterAll(() => ms.close());

function plain(subject: string, extra = '') {
  return `From: Bob <bob@example.com>\r\nTo: katherine@contoso.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\nDate: Mon, 01 Jul 2024 10:00:00 +0000\r\n${extra}\r\nHello ${subject}\r\n`;
}

/** Follows nextLinks to the deltaLink; returns every item and the page sizes. */
async function deltaRound(first: () => Promise<any>, prefer = 'odata.maxpagesize=25') {
  const items: any[] = [];
  const sizes: number[] = [];
  let page = await first();
  for (;;) {
    items.push(...page.value);
    sizes.push(page.value.length);
    if (!page['@odata.nextLink']) return { items, sizes, deltaLink: page['@odata.deltaLink'] as string };
    expect(page['@odata.nextLink']).toMatch(new RegExp(`^${ms.graphUrl}/v1\\.0/me/mailFolders/[^?]+/messages/delta\\?\\$skiptoken=`));
    page = await graph.api(page['@odata.nextLink']).header('Prefer', prefer).get();
  }
}

describe('messages/delta', () => {
  it('pages the folder with nextLinks (some pages short), ends with a deltaLink, then reports changes', async () => {
    await ms.generateMailbox('katherine@contoso.test', { count: 150, seed: 'delta', start: new Date('2024-01-01'), end: new Date('2024-06-01') });
    const inbox = () => ms.mailboxOf('katherine@contoso.test').filter((m) => m.folder === 'inbox');
    const select = ['id', 'subject', 'isRead', 'receivedDateTime', 'parentFolderId', 'internetMessageId'];
    const first = await deltaRound(() => graph.api('/me/mailFolders/inbox/messages/delta').header('Prefer', 'odata.maxpagesize=25').select(select).get());
    expect(first.items.map((m) => m.id).sort()).toEqual(inbox().map((m) => m.id).sort());
    expect(Object.keys(first.items[0]).sort()).toEqual(['@odata.etag', ...select].sort());
    expect(Math.max(...first.sizes)).toBe(25);
    expect(first.sizes.slice(0, -1).some((n) => n < 25)).toBe(true);
    expect(first.deltaLink).toMatch(/\$deltatoken=/);

    const quiet = await graph.api(first.deltaLink).get();
    expect(quiet.value).toEqual([]);

    const [a, b, c] = inbox();
    const added = ms.addMessage('katherine@contoso.test', { raw: plain('Fresh mail') });
    ms.setRead('katherine@contoso.test', a.id, !a.read);
    const movedTo = ms.moveMessage('katherine@contoso.test', b.id, 'archive');
    ms.deleteMessage('katherine@contoso.test', c.id);
    const second = await deltaRound(() => graph.api(first.deltaLink).get());
    const byId = new Map(second.items.map((m) => [m.id, m]));
    expect(byId.get(added)).toMatchObject({ subject: 'Fresh mail', isRead: false });
    expect(byId.get(a.id)).toMatchObject({ isRead: !a.read });
    expect(byId.get(b.id)).toEqual({ '@odata.type': '#microsoft.graph.message', id: b.id, '@removed': { reason: 'changed' } });
    expect(byId.get(c.id)).toEqual({ '@odata.type': '#microsoft.graph.message', id: c.id, '@removed': { reason: 'deleted' } });
    expect(second.items).toHaveLength(4);
    expect(movedTo).not.toBe(b.id);
    // The archive folder's own delta shows the moved message under its new id.
    const archive = await deltaRound(() => graph.api('/me/mailFolders/archive/messages/delta').select(['id']).get());
    expect(archive.items.map((m) => m.id)).toContain(movedTo);
  });

  it('honours a receivedDateTime filter on the first call and in later rounds', async () => {
    const since = new Date('2024-04-01T00:00:00Z');
    const round = await deltaRound(() =>
      graph.api('/me/mailFolders/inbox/messages/delta').filter(`receivedDateTime ge ${since.toISOString()}`).select(['id', 'receivedDateTime']).get(),
    );
    const expected = ms.mailboxOf('katherine@contoso.test').filter((m) => m.folder === 'inbox' && m.receivedDateTime >= since.getTime());
    expect(round.items.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id).sort());
    const bad = await graph.api('/me/mailFolders/inbox/messages/delta').filter("subject eq 'x'").get().catch((e) => e);
    expect(bad.statusCode).toBe(400);
  });

  it('answers 410 SyncStateNotFound for an expired or unknown token', async () => {
    const round = await deltaRound(() => graph.api('/me/mailFolders/drafts/messages/delta').get());
    ms.expireDeltaTokens('katherine@contoso.test');
    const error = await graph.api(round.deltaLink).middlewareOptions(NO_RETRY).get().catch((e) => e);
    expect(error.statusCode).toBe(410);
    expect(error.code).toBe('SyncStateNotFound');
    const unknown = await graph.api('/me/mailFolders/inbox/messages/delta?$skiptoken=nope').get().catch((e) => e);
    expect(unknown.statusCode).toBe(410);
  });
});

describe('messages, attachments and ids', () => {
  it('$batch: answers per request (404 inside 200), JSON and base64 bodies, at most 20 requests', async () => {
    const [one, two] = ms.mailboxOf('katherine@contoso.test');
    ms.resetUsage('katherine@contoso.test');
    const content = new BatchRequestContent([
      { id: '1', request: new Request(`${ms.graphUrl}/me/messages/${one.id}?$select=subject`) },
      { id: '2', request: new Request(`${ms.graphUrl}/me/messages/AAMkAGdoesnotexistAAA=`) },
      { id: '3', request: new Request(`${ms.graphUrl}/me/messages/${two.id}/$value`) },
    ]);
    const answer = new BatchResponseContent(await graph.api('/$batch').post(await content.getContent()));
    expect(answer.getResponseById('1').status).toBe(200);
    expect((await answer.getResponseById('1').json()).id).toBe(one.id);
    expect(answer.getResponseById('2').status).toBe(404);
    expect((await answer.getResponseById('2').json()).error.code).toBe('ErrorItemNotFound');
    expect(answer.getResponseById('3').status).toBe(200);
    ms.faults.add({ batchPart: true, method: 'GET', path: `/v1.0/me/messages/${one.id}`, status: 503, headers: { 'retry-after': '2' } });
    const faulted = await graph.api('/$batch').post({ requests: [{ id: 'a', method: 'GET', url: `/me/messages/${one.id}` }, { id: 'b', method: 'GET', url: '/me' }] });
    expect(faulted.responses.map((r: any) => [r.id, r.status]).sort()).toEqual([['a', 503], ['b', 200]]);
    expect(faulted.responses.find((r: any) => r.id === 'a').headers['Retry-After']).toBe('2');
    const twenty = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    expect((await graph.api('/$batch').post({ requests: twenty }).catch((e) => e)).statusCode).toBe(400);
    // The refused batch of 21 is not counted, nor the part an injected fault answered.
    expect(ms.usage('katherine@contoso.test')).toMatchObject({ requests: { batch: 2 }, batchParts: 4, total: 2 });
  });

  it('attachments: files with contentBytes, inline images do not count for hasAttachments, $value', async () => {
    const [mixed, inlineOnly] = ms.seed('katherine@contoso.test', {
      eml: [fixture('mail__attachment_message_rfc822_inline_image.eml'), fixture('phpmmp__m0129.eml')],
      folder: 'inbox',
    });
    const m1 = await graph.api(`/me/messages/${mixed}`).select(['hasAttachments', 'subject']).get();
    const m2 = await graph.api(`/me/messages/${inlineOnly}`).select(['hasAttachments', 'body']).get();
    expect(m1.hasAttachments).toBe(true);
    expect(m2.hasAttachments).toBe(false);
    expect(m2.body.contentType).toBe('html');
    const { value } = await graph.api(`/me/messages/${mixed}/attachments`).get();
    expect(value.map((a: any) => [a['@odata.type'], a.isInline])).toEqual([
      ['#microsoft.graph.fileAttachment', true],
      ['#microsoft.graph.itemAttachment', false],
    ]);
    const image = value[0];
    expect(image).toMatchObject({ contentType: 'image/png', contentId: expect.any(String) });
    const one = await graph.api(`/me/messages/${mixed}/attachments/${image.id}`).get();
    expect(one.contentBytes).toBe(image.contentBytes);
    const bytes = Buffer.from(await graph.api(`/me/messages/${mixed}/attachments/${image.id}/$value`).responseType(ResponseType.ARRAYBUFFER).get());
    expect(bytes.equals(Buffer.from(image.contentBytes, 'base64'))).toBe(true);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('a move changes the REST id (the old one is gone) but never the immutable id', async () => {
    const id = ms.addMessage('katherine@contoso.test', { raw: plain('Moving') });
    const moved = await graph.api(`/me/messages/${id}/move`).post({ destinationId: 'archive' });
    expect(moved.id).not.toBe(id);
    expect((await graph.api(`/me/messages/${id}`).get().catch((e) => e)).statusCode).toBe(404);
    const immutable = await graph.api(`/me/messages/${moved.id}`).headers(IMMUTABLE).select(['id']).get();
    const again = await graph.api(`/me/messages/${immutable.id}/move`).headers(IMMUTABLE).post({ destinationId: 'inbox' });
    expect(again.id).toBe(immutable.id);
    expect(immutable.id).toMatch(/^AAkALg/);
    const state = ms.mailboxOf('katherine@contoso.test').find((m) => m.immutableId === immutable.id)!;
    expect(state.folder).toBe('inbox');
    expect((await graph.api(`/me/messages/${state.id}`).select(['subject']).get()).subject).toBe('Moving');
    // Outlook.com mailboxes have the other id form.
    ms.addUser({ email: 'alan@outlook.com' });
    expect(ms.addMessage('alan@outlook.com', { raw: plain('Consumer') })).toMatch(/^AQMk/);
    expect(id).toMatch(/^AAMk/);
  });

  it('PATCH isRead and flag; sendMail 202 without a body; drafts, createReply in the same conversation, send', async () => {
    const id = ms.addMessage('katherine@contoso.test', { raw: plain('Patch me') });
    const patched = await graph.api(`/me/messages/${id}`).patch({ isRead: true, flag: { flagStatus: 'flagged' } });
    expect(patched).toMatchObject({ isRead: true, flag: { flagStatus: 'flagged' } });
    expect(ms.mailboxOf('katherine@contoso.test').find((m) => m.id === id)).toMatchObject({ read: true, starred: true });

    // No JSON content type on the 202, so the Graph client hands back the (empty) body stream.
    await graph.api('/me/sendMail').post({ message: { subject: 'Hi Bob', body: { contentType: 'text', content: 'Hello' }, toRecipients: [{ emailAddress: { address: 'bob@example.com' } }] } });
    const sendCall = ms.requests.filter((r) => r.path === '/v1.0/me/sendMail').pop()!;
    expect(sendCall.status).toBe(202);
    const token = ms.tokensOf('katherine@contoso.test')!.accessToken!;
    const bare = await fetch(`${ms.graphUrl}/v1.0/me/sendMail`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: { subject: 'Again', toRecipients: [{ emailAddress: { address: 'bob@example.com' } }] }, saveToSentItems: false }),
    });
    expect([bare.status, bare.headers.get('content-type'), await bare.text()]).toEqual([202, null, '']);
    expect(ms.mailboxOf('katherine@contoso.test').find((m) => m.folder === 'sentitems')).toBeTruthy();

    const draft = await graph.api('/me/messages').post({ subject: 'Draft', body: { contentType: 'html', content: '<p>x</p>' }, toRecipients: [{ emailAddress: { address: 'a@b.test' } }] });
    expect(draft).toMatchObject({ isDraft: true, from: null, subject: 'Draft' });
    const reply = await graph.api(`/me/messages/${id}/createReply`).post({ comment: 'Thanks!' });
    const original = await graph.api(`/me/messages/${id}`).select(['conversationId']).get();
    expect(reply).toMatchObject({ isDraft: true, subject: 'RE: Patch me', conversationId: original.conversationId, toRecipients: [{ emailAddress: { address: 'bob@example.com' } }] });
    await graph.api(`/me/messages/${reply.id}/send`).post({});
    const after = ms.mailboxOf('katherine@contoso.test').find((m) => m.conversationId === original.conversationId && m.folder === 'sentitems');
    expect(after).toMatchObject({ isDraft: false });
  });

  it('folders: paged list, well-known names, child folders, create', async () => {
    const page = await graph.api('/me/mailFolders').top(5).get();
    expect(page.value).toHaveLength(5);
    // Graph percent-encodes the $ of $skip in these links.
    expect(page['@odata.nextLink']).toMatch(/%24skip=5/);
    const rest = await graph.api(page['@odata.nextLink']).get();
    const names = [...page.value, ...rest.value].map((f: any) => f.displayName);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    expect(names).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Junk Email', 'Archive', 'Outbox', 'Sync Issues']));
    const sync = [...page.value, ...rest.value].find((f: any) => f.displayName === 'Sync Issues');
    expect((await graph.api(`/me/mailFolders/${sync.id}/childFolders`).get()).value).toHaveLength(3);
    const created = await graph.api('/me/mailFolders/inbox/childFolders').post({ displayName: 'Projects' });
    expect(created).toMatchObject({ displayName: 'Projects', parentFolderId: (await graph.api('/me/mailFolders/inbox').get()).id });
    expect((await graph.api('/me/mailFolders/inbox/childFolders').post({ displayName: 'projects' }).catch((e) => e)).statusCode).toBe(409);
  });
});

describe('throttling', () => {
  it('more than 4 requests in flight for a mailbox: 429 ApplicationThrottled (MailboxConcurrency), also inside $batch', async () => {
    const busy = await startMicrosoftEmulator({ latencyMs: 150, batchParallelism: 6 });
    busy.addClient(MS_CLIENT);
    busy.addUser({ email: 'busy@contoso.test' });
    const { client } = await graphFor(busy, 'busy@contoso.test');
    const results = await Promise.all(Array.from({ length: 5 }, () => client.api('/me/mailFolders/inbox').middlewareOptions(NO_RETRY).get().catch((e) => e)));
    const refused = results.filter((r) => r.statusCode === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0].code).toBe('ApplicationThrottled');
    const entry = busy.requests.find((r) => r.status === 429)!;
    expect(entry.path).toBe('/v1.0/me/mailFolders/inbox');
    const raw = await fetch(`${busy.graphUrl}/v1.0/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${busy.tokensOf('busy@contoso.test')!.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: Array.from({ length: 6 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me/mailFolders/inbox' })) }),
    });
    expect(raw.status).toBe(200);
    const { responses } = await raw.json();
    const throttled = responses.filter((r: any) => r.status === 429);
    expect(throttled).toHaveLength(2);
    expect(throttled[0].body).toEqual({ error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } });
    expect(throttled[0].headers['Retry-After']).toBe('1');
    expect(busy.usage('busy@contoso.test')).toMatchObject({ throttled: 3, peakConcurrency: 4, batchParts: 6 });
    await busy.close();
  });

  it('requests per 10 minutes, scaled: 429 with Retry-After once the window is full', async () => {
    const small = await startMicrosoftEmulator({ quotaScale: 0.0003 });
    small.addClient(MS_CLIENT);
    small.addUser({ email: 'small@contoso.test' });
    const { client } = await graphFor(small, 'small@contoso.test');
    for (let i = 0; i < 3; i++) await client.api('/me/mailFolders/inbox').get();
    const error = await client.api('/me/mailFolders/inbox').middlewareOptions(NO_RETRY).get().catch((e) => e);
    expect(error.statusCode).toBe(429);
    const entry = small.requests.filter((r) => r.status === 429).pop()!;
    expect(entry).toBeTruthy();
    expect(small.env.EMAIL_MANAGER_GRAPH_REQUESTS_PER_10_MINUTES).toBe('3');
    small.resetQuota();
    await client.api('/me/mailFolders/inbox').get();
    await small.close();
  });
});

describe('MIME round trip', () => {
  it('$value gives the stored bytes', async () => {
    const file = fixture('mail__japanese_shift_jis.eml');
    const [id] = ms.seed('katherine@contoso.test', { eml: [file] });
    const bytes = Buffer.from(await graph.api(`/me/messages/${id}/$value`).responseType(ResponseType.ARRAYBUFFER).get());
    expect(bytes.equals(fs.readFileSync(file))).toBe(true);
  });
});
