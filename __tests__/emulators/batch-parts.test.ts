/**
 * "Batches never lie". The Microsoft emulator applies Outlook's 4 concurrent requests per mailbox
 * to the parts of a `$batch` as Graph does (parts run at once unless dependsOn orders them), seen
 * through the unmodified Graph client; and the plugin's providers (OutlookProvider and
 * GmailProvider on the real SDKs) never read a throttled or failed part as "absent": they send it
 * again after its Retry-After, and after a bounded number of attempts fail the step.
 */
import { BatchRequestContent, BatchResponseContent, type Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGoogleEmulator, startMicrosoftEmulator, type GoogleEmulator, type MicrosoftEmulator } from '../../dev/emulators';
import { UnsettledBatchError } from '../../src/server/providers/batch-parts';
import { GmailProvider } from '../../src/server/providers/gmail/gmail-provider';
import { createPkce } from '../../src/server/oauth/state';
import { OutlookProvider } from '../../src/server/providers/outlook/outlook-provider';
import type { Mailbox } from '../../src/server/providers/types';
import { graphFor, MS_CLIENT } from '../helpers/sdk';

const EMAIL = 'busy@contoso.test';
const GMAIL = 'busy@gmail.test';
const OUTLOOK_APP = { clientId: '2b7e1f0a-3c4d-4e5f-8a9b-0c1d2e3f4a5b', clientSecret: 'Bp4~secret', redirectUri: 'http://app.test/callback' };
const GOOGLE_APP = { clientId: 'batch-parts.apps.googleusercontent.test', clientSecret: 'GOCSPX-batch', redirectUri: 'http://app.test/callback' };

function plain(subject: string, to: string) {
  return `From: Bob <bob@example.com>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\nDate: Mon, 01 Jul 2024 10:00:00 +0000\r\n\r\nHello ${subject}\r\n`;
}

/** A batch of `count` GETs built and read with the SDK's BatchRequestContent / BatchResponseContent. */
async function folderBatch(client: Client, base: string, count: number, dependsOn?: (i: number) => string[] | undefined) {
  const content = new BatchRequestContent(
    Array.from({ length: count }, (_, i) => ({ id: String(i), request: new Request(`${base}/me/mailFolders/inbox?$select=id`), dependsOn: dependsOn?.(i) })),
  );
  const answer = new BatchResponseContent(await client.api('/$batch').post(await content.getContent()));
  return [...answer.getResponses().values()];
}

describe('Graph $batch parts and the 4 concurrent requests per mailbox', () => {
  let ms: MicrosoftEmulator;
  let graph: Client;

  beforeAll(async () => {
    ms = await startMicrosoftEmulator({ seed: 'batch-parts' });
    ms.addClient(MS_CLIENT);
    ms.addUser({ email: EMAIL });
    ({ client: graph } = await graphFor(ms, EMAIL));
  });
  afterAll(() => ms.close());
  beforeEach(() => ms.resetUsage());

  it('a batch of 6 independent parts: 4 answered, 2 refused 429 with Retry-After in the part headers', async () => {
    const responses = await folderBatch(graph, ms.graphUrl, 6);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect((await refused.json()).error).toEqual({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    expect(ms.usage(EMAIL)).toMatchObject({ batchParts: 6, throttled: 2, peakConcurrency: 4 });
  });

  it('parts ordered by dependsOn run in turn: 8 serial parts, none refused', async () => {
    const responses = await folderBatch(graph, ms.graphUrl, 8, (i) => (i > 0 ? [String(i - 1)] : undefined));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(ms.usage(EMAIL)).toMatchObject({ throttled: 0, peakConcurrency: 1 });
  });

  it('a batch sent while other clients hold 3 of the 4 slots: only one part answered', async () => {
    const release = ms.occupyConcurrency(EMAIL, 3);
    try {
      const responses = await folderBatch(graph, ms.graphUrl, 4);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 429, 429, 429]);
    } finally {
      release();
    }
    expect((await folderBatch(graph, ms.graphUrl, 4)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('a batch sent while the same app has requests in flight (each takes 100 ms): the excess parts get 429', async () => {
    const slow = await startMicrosoftEmulator({ seed: 'batch-parts-slow', latencyMs: 100 });
    try {
      slow.addClient(MS_CLIENT);
      slow.addUser({ email: EMAIL });
      const { client } = await graphFor(slow, EMAIL);
      const single = [client.api('/me/mailFolders/inbox').get(), client.api('/me/mailFolders/drafts').get()];
      await new Promise((resolve) => setTimeout(resolve, 30));
      const responses = await folderBatch(client, slow.graphUrl, 4);
      await Promise.all(single);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
    } finally {
      await slow.close();
    }
  });
});

describe('OutlookProvider: throttled parts are asked again, never read as absent', () => {
  let ms: MicrosoftEmulator;
  let mailbox: Mailbox;
  const provider = () => new OutlookProvider({ ...OUTLOOK_APP, tenant: 'common' });

  beforeAll(async () => {
    ms = await startMicrosoftEmulator({ seed: 'batch-parts-outlook' });
    Object.assign(process.env, ms.env);
    ms.addClient({ ...OUTLOOK_APP, redirectUris: [OUTLOOK_APP.redirectUri] });
    ms.addUser({ email: EMAIL });
    const pkce = createPkce();
    const url = await provider().authUrl({ state: 's', codeChallenge: pkce.codeChallenge, loginHint: EMAIL });
    const back = new URL(await ms.consent(url, { email: EMAIL, decision: 'allow' }));
    const { tokens } = await provider().exchangeCode(back.searchParams.get('code')!, pkce.codeVerifier);
    mailbox = { address: EMAIL, credentials: tokens };
  });
  afterAll(() => ms.close());
  beforeEach(() => {
    ms.faults.clear();
    ms.clearRequests();
  });

  const boxes = async () => Object.fromEntries((await provider().mailbox(mailbox).listFolders()).map((f) => [f.name, f.box]));
  const throttledParts = () => ms.requests.filter((r) => r.batchPart && r.status === 429).map((r) => r.path);

  it('folder lookup in a busy mailbox (2 of 4 slots taken): every well-known folder keeps its box', async () => {
    const release = ms.occupyConcurrency(EMAIL, 2);
    try {
      expect(await boxes()).toMatchObject({ Inbox: 'inbox', 'Sent Items': 'sent', Drafts: 'drafts', 'Junk Email': 'spam', 'Deleted Items': 'trash', Archive: 'archive' });
    } finally {
      release();
    }
    expect(throttledParts()).toEqual(expect.arrayContaining(['/v1.0/me/mailFolders/drafts', '/v1.0/me/mailFolders/junkemail']));
    // Our batches carry at most 4 parts, so without other clients nothing is refused.
    ms.clearRequests();
    await boxes();
    expect(throttledParts()).toEqual([]);
  });

  it('Deleted Items and Archive answered 429 and 503 twice: asked again after their Retry-After, still Trash and Archive', async () => {
    ms.faults.add({ batchPart: true, path: '/v1.0/me/mailFolders/deleteditems', status: 429, headers: { 'retry-after': '1' }, times: 2 });
    ms.faults.add({ batchPart: true, path: '/v1.0/me/mailFolders/archive', status: 503, headers: { 'retry-after': '1' }, times: 2 });
    const folders = await boxes();
    expect(folders).toMatchObject({ 'Deleted Items': 'trash', Archive: 'archive' });
    expect(Object.keys(folders)).not.toContain('Outbox');
    const asked = ms.requests.filter((r) => r.batchPart && r.path === '/v1.0/me/mailFolders/deleteditems').map((r) => r.status);
    expect(asked).toEqual([429, 429, 200]);
  });

  it('a part refused at every attempt fails the step with a clear error; a genuine 404 is missing', async () => {
    ms.faults.add({ batchPart: true, path: '/v1.0/me/mailFolders/archive', status: 429, headers: { 'retry-after': '0' }, times: Infinity });
    const error = await provider().mailbox(mailbox).listFolders().catch((e) => e);
    expect(error).toBeInstanceOf(UnsettledBatchError);
    expect(error.message).toMatch(/^Microsoft Graph folder lookup: 1 of 9 requests of a batch were refused \(HTTP 429\) after 6 attempts/);
    ms.faults.clear();
    const id = ms.addMessage(EMAIL, { raw: plain('Kept', EMAIL) });
    const immutable = ms.mailboxOf(EMAIL).find((m) => m.id === id)!.immutableId;
    ms.faults.add({ batchPart: true, path: `/v1.0/me/messages/${encodeURIComponent(immutable)}`, status: 503, times: 2 });
    const fetched = await provider().mailbox(mailbox).fetchMessages([immutable, 'AAMkAGgoneAAA=']);
    expect(fetched.messages.map((m) => m.providerMessageId)).toEqual([immutable]);
    expect(fetched.missing).toEqual(['AAMkAGgoneAAA=']);
  });

  it('mail-center changes: a throttled move is sent again, not reported missing', async () => {
    const id = ms.addMessage(EMAIL, { raw: plain('To trash', EMAIL) });
    const immutable = ms.mailboxOf(EMAIL).find((m) => m.id === id)!.immutableId;
    ms.faults.add({ batchPart: true, path: `/v1.0/me/messages/${encodeURIComponent(immutable)}/move`, status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const result = await provider().mailbox(mailbox).modify([{ providerMessageId: immutable, sent: false, box: 'inbox' }], { kind: 'trash' });
    expect(result.missing).toEqual([]);
    expect(ms.mailboxOf(EMAIL).find((m) => m.immutableId === immutable)!.folder).toBe('deleteditems');
  });
});

describe('GmailProvider: throttled batch parts are fetched again, never read as absent', () => {
  let google: GoogleEmulator;
  let mailbox: Mailbox;
  let ids: string[];
  const provider = () => new GmailProvider(GOOGLE_APP);
  const partPath = (id: string) => `/gmail/v1/users/me/messages/${id}`;

  beforeAll(async () => {
    google = await startGoogleEmulator({ seed: 'batch-parts-gmail' });
    Object.assign(process.env, google.env);
    google.addClient({ clientId: GOOGLE_APP.clientId, clientSecret: GOOGLE_APP.clientSecret, redirectUris: [GOOGLE_APP.redirectUri] });
    google.addUser({ email: GMAIL });
    const pkce = createPkce();
    const url = await provider().authUrl({ state: 's', codeChallenge: pkce.codeChallenge, loginHint: GMAIL });
    const back = new URL(await google.consent(url, { email: GMAIL, decision: 'allow' }));
    const { tokens } = await provider().exchangeCode(back.searchParams.get('code')!, pkce.codeVerifier);
    mailbox = { address: GMAIL, credentials: tokens };
    ids = ['One', 'Two', 'Three'].map((s) => google.addMessage(GMAIL, { raw: plain(s, GMAIL) }));
  });
  afterAll(() => google.close());
  beforeEach(() => google.faults.clear());

  it('429, 403 rateLimitExceeded and 503 parts are sent again; only the 404 is missing', async () => {
    google.faults.add({ batchPart: true, path: partPath(ids[0]), status: 429, headers: { 'retry-after': '1' }, times: 2 });
    google.faults.add({
      batchPart: true,
      path: partPath(ids[1]),
      status: 403,
      body: { error: { code: 403, message: 'Rate Limit Exceeded', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] } },
    });
    google.faults.add({ batchPart: true, path: partPath(ids[2]), status: 503 });
    const { messages, missing } = await provider().mailbox(mailbox).fetchMessages([...ids, '0123456789abcdef']);
    expect(messages.map((m) => m.providerMessageId).sort()).toEqual([...ids].sort());
    expect(missing).toEqual(['0123456789abcdef']);
  });

  it('a part refused at every attempt fails the step; a part refused for another reason is an error, not "missing"', async () => {
    google.faults.add({ batchPart: true, path: partPath(ids[0]), status: 429, headers: { 'retry-after': '0' }, times: Infinity });
    const error = await provider().mailbox(mailbox).fetchMessages(ids).catch((e) => e);
    expect(error).toBeInstanceOf(UnsettledBatchError);
    expect(error.message).toMatch(/^Gmail message fetch: 1 of 3 requests of a batch were refused \(HTTP 429\) after 6 attempts/);
    google.faults.clear();
    google.faults.add({ batchPart: true, path: partPath(ids[1]), status: 400 });
    const refused = await provider().mailbox(mailbox).fetchMessages(ids).catch((e) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused.message).toMatch(/^Google message fetch failed/);
  });
});
