import fs from 'node:fs';
import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMime } from '../../src/server/mime/parse';
import { corpusFile } from '../helpers/corpus';
import { Google, Microsoft } from '../helpers/mail';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * Attachment content on demand (S-SYNC-5, S-CENTER-11): fetched from the provider on first
 * download, cached, served only to the owner with a safe type and disposition.
 */
const FIXTURE = corpusFile('mailparser__nodemailer.eml');
const binary = (res: any, cb: (err: any, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('attachments of synced mail', () => {
  let w: MailWorld<'gmail' | 'outlook'>;
  let app: MockServer;
  let as: Agents;
  let google: Google;
  let microsoft: Microsoft;
  let ids: Record<'gmail' | 'outlook', number>;

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'att',
      google: true,
      microsoft: true,
      users: { google: ['att@gmail.test'], microsoft: ['att@outlook.test'] },
      mailboxes: ({ google, microsoft }) => {
        google.seed('att@gmail.test', { eml: [FIXTURE], dates: new Date('2025-01-01') });
        microsoft.seed('att@outlook.test', { eml: [FIXTURE], dates: new Date('2025-01-01') });
      },
      connect: { gmail: { provider: 'gmail', email: 'att@gmail.test' }, outlook: { provider: 'outlook', email: 'att@outlook.test' } },
      sync: true,
    });
    ({ app, as, google, microsoft, accounts: ids } = w);
  });
  afterAll(() => w?.close());

  const messageOf = async (accountId: number) => (await app.db.getRepository('mailMessages').findOne({ filter: { accountId } })).get('id');
  const download = (agent: any, id: number, preview = false) =>
    agent.get(`/api/mailAttachments:download?filterByTk=${id}${preview ? '&preview=1' : ''}`).buffer(true).parse(binary);

  for (const provider of ['gmail', 'outlook'] as const) {
    it(`${provider}: lists attachments with inline parts marked and serves their exact bytes, cached after the first download`, async () => {
      const expected = (await parseMime(fs.readFileSync(FIXTURE))).attachments;
      const list = await as.memberA.resource('mailAttachments').listOwn({ messageId: await messageOf(ids[provider]) });
      expect(list.status).toBe(200);
      // Gmail: our own parse of the MIME decides; Outlook: what Graph lists (it keeps some parts as body).
      if (provider === 'gmail') expect(list.body.data.map((a: any) => a.filename).sort()).toEqual(expected.map((a) => a.filename).sort());
      expect(list.body.data.length).toBeGreaterThanOrEqual(2);
      expect(list.body.data.some((a: any) => a.inline && a.contentId), JSON.stringify(list.body.data)).toBe(true);
      const emulator = provider === 'gmail' ? google : microsoft;
      for (const attachment of list.body.data) {
        const res = await download(as.memberA, attachment.id);
        expect(res.status).toBe(200);
        const source = expected.find((e) => e.filename === attachment.filename);
        // Text parts differ in line endings between parsers (postal-mime gives LF); binary ones must be identical.
        if (source && (provider === 'gmail' || !attachment.mimeType.startsWith('text/'))) {
          expect(Buffer.compare(res.body, Buffer.from(source.content)), attachment.filename).toBe(0);
        }
        expect(res.body.length).toBe(attachment.size);
        expect(res.headers['content-type']).toContain(attachment.mimeType);
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".*"; filename\*=UTF-8''/);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        const before = emulator.requests.length;
        expect((await download(as.memberA, attachment.id)).body.length).toBe(res.body.length);
        expect(emulator.requests.length).toBe(before);
      }
      const image = list.body.data.find((a: any) => /^image\/(png|gif|jpe?g)$/.test(a.mimeType));
      expect((await download(as.memberA, image.id, true)).headers['content-disposition']).toMatch(/^inline;/);
    });
  }

  it('nobody else reaches them: other user, admin and anonymous', async () => {
    const messageId = await messageOf(ids.gmail);
    const [attachment] = (await as.memberA.resource('mailAttachments').listOwn({ messageId })).body.data;
    for (const agent of [as.memberB, as.admin]) {
      expect((await download(agent, attachment.id)).status).toBe(404);
      expect((await agent.resource('mailAttachments').listOwn({ messageId })).status).toBe(404);
    }
    expect((await download(as.anonymous, attachment.id)).status).toBe(401);
    expect((await as.memberA.resource('mailAttachments').listOwn({ messageId: 'x' })).status).toBe(404);
  });

  it('a message deleted at the provider answers "This email no longer exists"', async () => {
    await app.db.getRepository('mailAttachments').update({ filter: { accountId: ids.gmail }, values: { storagePath: null } });
    for (const m of google.mailboxOf('att@gmail.test')) google.deleteMessage('att@gmail.test', m.id);
    const [attachment] = (await app.db.getRepository('mailAttachments').find({ filter: { accountId: ids.gmail } })).map((r: any) => r.toJSON());
    const res = await as.memberA.get(`/api/mailAttachments:download?filterByTk=${attachment.id}`);
    expect(res.status).toBe(404);
    expect(res.body.errors[0].message).toBe('This email no longer exists');
  });
});
