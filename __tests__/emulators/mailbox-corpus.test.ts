/**
 * The real-world MIME corpus (/work/shared/fixtures/mime, 109 messages, some malformed) seeded
 * into one Gmail and one Outlook mailbox and read back through the SDKs: every message byte for
 * byte (Gmail raw, Graph $value), and every format / JSON shape without a server error. Plus the
 * generator: 10,000 messages, timed.
 */
import fs from 'node:fs';
import { ResponseType } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMessages, startGoogleEmulator, startMicrosoftEmulator, type GoogleEmulator, type MicrosoftEmulator } from '../../dev/emulators';
import { corpusFiles } from '../helpers/corpus';
import { gmailBatch, gmailFor, GOOGLE_CLIENT, graphFor, MS_CLIENT } from '../helpers/sdk';

const files = corpusFiles();

let google: GoogleEmulator;
let ms: MicrosoftEmulator;

beforeAll(async () => {
  [google, ms] = await Promise.all([startGoogleEmulator({ quotas: false }), startMicrosoftEmulator({ quotas: false })]);
  google.addClient(GOOGLE_CLIENT);
  ms.addClient(MS_CLIENT);
  google.addUser({ email: 'corpus@gmail.test' });
  ms.addUser({ email: 'corpus@contoso.test' });
});

afterAll(async () => {
  await Promise.all([google.close(), ms.close()]);
});

describe('the fixture corpus', () => {
  it('has 109 messages', () => {
    expect(files).toHaveLength(109);
  });

  it('Gmail: every message comes back byte-identical as raw, and full/metadata never fail', async () => {
    const { gmail, token } = await gmailFor(google, 'corpus@gmail.test');
    const ids = google.seed('corpus@gmail.test', { eml: files });
    for (const [i, id] of ids.entries()) {
      const { data } = await gmail.users.messages.get({ userId: 'me', id, format: 'raw' });
      expect(Buffer.from(data.raw!, 'base64url').equals(fs.readFileSync(files[i])), files[i]).toBe(true);
    }
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      const full = await gmailBatch(google, token, chunk.map((id) => ({ id, path: `/gmail/v1/users/me/messages/${id}?format=full` })));
      expect(full.parts.map((p) => p.status)).toEqual(chunk.map(() => 200));
      const meta = await gmailBatch(google, token, chunk.map((id) => ({ id, path: `/gmail/v1/users/me/messages/${id}?format=metadata` })));
      expect(meta.parts.map((p) => p.status)).toEqual(chunk.map(() => 200));
    }
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 500 });
    expect(data.messages).toHaveLength(109);
  });

  it('Outlook: every message comes back byte-identical from $value, and its JSON and attachments never fail', async () => {
    const { client } = await graphFor(ms, 'corpus@contoso.test');
    const ids = ms.seed('corpus@contoso.test', { eml: files });
    for (const [i, id] of ids.entries()) {
      const bytes = Buffer.from(await client.api(`/me/messages/${id}/$value`).responseType(ResponseType.ARRAYBUFFER).get());
      expect(bytes.equals(fs.readFileSync(files[i])), files[i]).toBe(true);
      const json = await client.api(`/me/messages/${id}`).select(['subject', 'body', 'from', 'toRecipients', 'hasAttachments', 'internetMessageHeaders']).get();
      expect(json.id).toBe(id);
      const { value } = await client.api(`/me/messages/${id}/attachments`).get();
      expect(value.some((a: any) => !a.isInline)).toBe(json.hasAttachments);
    }
  });
});

describe('generator', () => {
  it('builds 10,000 realistic messages in a few seconds and seeds them into both providers', async () => {
    let started = Date.now();
    const messages = await generateMessages({ name: 'Bench User', address: 'bench@gmail.test' }, { count: 10_000, seed: 'bench' });
    const generateMs = Date.now() - started;
    expect(messages).toHaveLength(10_000);
    const replies = messages.filter((m) => /^In-Reply-To:/im.test(m.raw.toString('latin1', 0, 4096))).length;
    const withFiles = messages.filter((m) => /Content-Disposition: attachment/i.test(m.raw.toString('latin1'))).length;
    expect(replies / 10_000).toBeGreaterThan(0.2);
    expect(withFiles / 10_000).toBeGreaterThan(0.1);

    google.addUser({ email: 'bench@gmail.test' });
    ms.addUser({ email: 'bench@contoso.test' });
    started = Date.now();
    google.seed('bench@gmail.test', { eml: messages.map((m) => m.raw), dates: messages.map((m) => m.date) });
    ms.seed('bench@contoso.test', { eml: messages.map((m) => m.raw), dates: messages.map((m) => m.date) });
    const seedMs = Date.now() - started;
    const threads = new Set(google.mailboxOf('bench@gmail.test').map((m) => m.threadId)).size;
    expect(threads).toBeLessThan(8_000);
    const megabytes = messages.reduce((n, m) => n + m.raw.length, 0) / 1_048_576;
    console.info(`[generator] 10,000 messages (${megabytes.toFixed(1)} MB, ${threads} threads) generated in ${generateMs} ms; seeded into Gmail + Outlook in ${seedMs} ms`);
    // How fast is the benches' business (they print it); a timed assertion would fail on a busy machine.
  });
});
