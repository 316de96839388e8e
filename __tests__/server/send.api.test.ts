import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../dev/emulators';
import { headerOf } from '../../dev/emulators/shared/mime';
import { uploadsDir } from '../../src/server/send/uploads';
import { pluginOf } from '../helpers/mail';
import {
  addressesOf,
  ALIAS,
  INVOICE,
  key,
  lastSentMime,
  originalRow,
  OWNER,
  post,
  PROVIDERS,
  Provider,
  sendCalls,
  sendWorld,
  SendWorld,
  upload,
} from '../helpers/send';
import { PIXEL_PNG } from '../helpers/threads';

/**
 * Sending against both providers (S-SEND-*, S-DRAFT-1), through the API of a real app with the
 * ACL on: new mail with files, an inline image and (Gmail) an alias as From; reply and reply-all
 * in the original's thread; forward with the original's file; drafts saved, updated, sent and
 * deleted in both places; a provider failure that loses nothing. Every check of what went out
 * reads the MIME the emulator received. Limits, permissions and idempotency: send-limits.api.test.ts.
 */
describe('send', () => {
  let world: SendWorld;
  const A = () => world.as.memberA;

  beforeAll(async () => {
    world = await sendWorld('send');
  });
  afterAll(() => world?.close());

  const rowsWithSubject = async (provider: Provider, subject: string) =>
    world.app.db.getRepository('mailMessages').find({ filter: { accountId: world.accounts[provider], subject } });
  const syncNow = async (provider: Provider) => expect((await pluginOf(world.app).scheduler.runLocked(world.accounts[provider], 'incremental'))?.outcome).toBe('ok');
  const providerMessage = (provider: Provider, id: string) =>
    provider === 'gmail'
      ? (world.google.mailboxOf(OWNER.gmail) as any[]).find((m) => m.id === id)
      : (world.microsoft.mailboxOf(OWNER.outlook) as any[]).find((m) => m.immutableId === id);
  const providerThread = (provider: Provider, id: string) => (provider === 'gmail' ? providerMessage(provider, id)?.threadId : providerMessage(provider, id)?.conversationId);
  const providerDrafts = (provider: Provider) =>
    provider === 'gmail' ? [...world.google.state.directory.user(OWNER.gmail)!.mailbox!.drafts.keys()] : world.microsoft.mailboxOf(OWNER.outlook).filter((m) => m.folder === 'drafts');

  for (const provider of PROVIDERS) {
    describe(provider, () => {
      it(`sends a new mail with a file and an inline image${provider === 'gmail' ? ' from an alias' : ''}; in Sent at once, and the next sync adds no duplicate`, async () => {
        const report = await upload(A(), 'Quarterly report.pdf', INVOICE, 'application/pdf');
        const logo = await upload(A(), 'logo.png', PIXEL_PNG, 'image/png');
        expect(report).toMatchObject({ filename: 'Quarterly report.pdf', size: INVOICE.length, mimeType: 'application/pdf' });
        const subject = `Q1 report (${provider})`;
        const { data } = await post(A(), 'mailMessages:send', {
          accountId: world.accounts[provider],
          ...(provider === 'gmail' ? { from: ALIAS.email } : {}),
          to: 'Dan Doe <dan@x.test>, eve@x.test; DAN@x.test',
          cc: ['frank@x.test'],
          bcc: 'grace@x.test',
          subject,
          html: '<p>Numbers attached. <img src="cid:logo@report"></p>',
          attachmentIds: [report.id, { id: logo.id, contentId: 'logo@report' }],
          idempotencyKey: key(),
        });
        expect(data).toMatchObject({ id: expect.any(Number), providerMessageId: expect.any(String) });

        const { mail } = lastSentMime(world, provider);
        expect(mail.from).toEqual(provider === 'gmail' ? { name: ALIAS.displayName, address: ALIAS.email } : { name: 'Sam Sender', address: OWNER.outlook });
        expect(mail.to).toEqual([{ name: 'Dan Doe', address: 'dan@x.test' }, { name: '', address: 'eve@x.test' }].map((a) => expect.objectContaining({ address: a.address })));
        expect(addressesOf(mail.cc)).toEqual(['frank@x.test']);
        expect(addressesOf(mail.bcc)).toEqual(['grace@x.test']);
        expect(mail.subject).toBe(subject);
        expect(mail.html).toContain('cid:logo@report');
        // The plain-text alternative (Graph rebuilds the message it sends as HTML only).
        const sentText = provider === 'gmail' ? mail.text : summarize(world.microsoft.requests.filter((r) => r.path === '/v1.0/me/messages' && r.method === 'POST').pop()!.mime!).text;
        expect(sentText).toContain('Numbers attached.');
        const files = mail.attachments.map((a) => ({ name: a.filename, inline: a.inline, cid: a.contentId, size: a.size }));
        expect(files).toEqual(
          expect.arrayContaining([
            { name: 'Quarterly report.pdf', inline: false, cid: undefined, size: INVOICE.length },
            { name: 'logo.png', inline: true, cid: 'logo@report', size: PIXEL_PNG.length },
          ]),
        );
        if (provider === 'gmail') {
          expect(mail.messageId).toMatch(/@gmail\.test>$/);
        } else {
          // Graph got the MIME without its files, which went up one by one.
          const created = world.microsoft.requests.filter((r) => r.path === '/v1.0/me/messages' && r.method === 'POST').pop()!;
          expect(created.mime!.toString()).toMatch(/^Message-ID: <[^>]+@outlook\.test>$/m);
          expect(created.mime!.toString()).not.toContain('logo.png');
          expect(world.microsoft.requests.filter((r) => r.path.endsWith('/attachments') && r.method === 'POST')).toHaveLength(2);
        }

        const rows = await rowsWithSubject(provider, subject);
        expect(rows.map((r: any) => [r.get('id'), r.get('box'), r.get('providerMessageId')])).toEqual([[data.id, 'sent', data.providerMessageId]]);
        const sentList = await A().get('/api/mailMessages:threads').query({ accountId: world.accounts[provider], box: 'sent' });
        expect(sentList.body.data.map((r: any) => r.subject)).toContain(subject);
        await syncNow(provider);
        expect((await rowsWithSubject(provider, subject)).map((r: any) => r.get('id'))).toEqual([data.id]);
        // The uploads went with the mail.
        const userId = world.as.users.memberA.get('id');
        expect(fs.existsSync(path.join(uploadsDir(userId), report.id))).toBe(false);
      });

      it('replies to the sender only, from the address that received the mail, in the thread', async () => {
        const original = await originalRow(world, provider);
        const res = await A().get('/api/mailMessages:replyDraft').query({ filterByTk: original.id, mode: 'reply', timeZone: 'UTC' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const draft = res.body.data;
        expect(draft).toMatchObject({
          accountId: world.accounts[provider],
          mode: 'reply',
          from: provider === 'gmail' ? ALIAS.email : OWNER.outlook,
          to: [{ address: 'alice@customer.test', name: 'Alice Customer' }],
          cc: [],
          subject: 'Re: Order 42',
          inReplyTo: '<order-1@customer.test>',
          // Graph's delta leaves References out of the stored original; Graph's createReply sets the full chain.
          references: provider === 'gmail' ? '<order-0@customer.test> <order-1@customer.test>' : '<order-1@customer.test>',
        });
        expect(draft.html).toContain('On Jan 6, 2025, 9:30 AM, Alice Customer &lt;alice@customer.test&gt; wrote:');
        // The quote shows the original's inline image: it comes along, the PDF does not.
        expect(draft.attachments.map((a: any) => [a.filename, a.inline])).toEqual([['stamp.png', true]]);

        const { data } = await post(A(), 'mailMessages:send', {
          ...draft,
          html: `<p>Thanks Alice!</p>${draft.html}`,
          replyToMessageId: original.id,
          forwardAttachmentIds: draft.attachments.map((a: any) => a.id),
          idempotencyKey: key(),
        });
        const { mail } = lastSentMime(world, provider);
        expect(addressesOf(mail.to)).toEqual(['alice@customer.test']);
        expect(mail.cc).toEqual([]);
        expect(mail.subject).toBe('Re: Order 42');
        expect(mail.inReplyTo).toBe('<order-1@customer.test>');
        expect(headerOf(mail.root, 'references')).toBe('<order-0@customer.test> <order-1@customer.test>');
        expect(mail.attachments.map((a) => [a.filename, a.inline, a.contentId])).toEqual([['stamp.png', true, 'stamp@customer.test']]);
        expect(mail.html).toContain('Thanks Alice!');
        // In the original's thread at the provider, and so stored.
        expect(providerThread(provider, data.providerMessageId)).toBe(providerThread(provider, original.providerMessageId));
        expect(data.threadId).toBe(original.threadId);
      });

      it('replies to all: original To and Cc, without the own addresses, duplicates dropped', async () => {
        const original = await originalRow(world, provider);
        const draft = (await A().get('/api/mailMessages:replyDraft').query({ filterByTk: original.id, mode: 'replyAll' })).body.data;
        expect(addressesOf(draft.to)).toEqual(['alice@customer.test', 'bob@customer.test']);
        expect(addressesOf(draft.cc)).toEqual(['carol@customer.test']);
        const { data } = await post(A(), 'mailMessages:send', {
          accountId: draft.accountId,
          from: draft.from,
          to: draft.to,
          cc: [...draft.cc, 'BOB@customer.test'],
          subject: draft.subject,
          html: `<p>Adding everyone.</p>${draft.html}`,
          mode: 'replyAll',
          replyToMessageId: original.id,
          idempotencyKey: key(),
        });
        const { mail } = lastSentMime(world, provider);
        expect(addressesOf(mail.to)).toEqual(['alice@customer.test', 'bob@customer.test']);
        expect(addressesOf(mail.cc)).toEqual(['carol@customer.test']);
        expect(mail.inReplyTo).toBe('<order-1@customer.test>');
        expect(providerThread(provider, data.providerMessageId)).toBe(providerThread(provider, original.providerMessageId));
      });

      it("forwards with the original's file, counted and carried by reference", async () => {
        const original = await originalRow(world, provider);
        const draft = (await A().get('/api/mailMessages:replyDraft').query({ filterByTk: original.id, mode: 'forward' })).body.data;
        expect(draft).toMatchObject({ subject: 'Fwd: Order 42', to: [], cc: [] });
        expect(draft.html).toContain('---------- Forwarded message ---------');
        const invoice = draft.attachments.find((a: any) => a.filename === 'invoice.pdf');
        expect(invoice).toBeTruthy();
        const before = world.microsoft.requests.length;
        await post(A(), 'mailMessages:send', {
          accountId: draft.accountId,
          to: 'zoe@partner.test',
          subject: draft.subject,
          html: `<p>FYI</p>${draft.html}`,
          mode: 'forward',
          replyToMessageId: original.id,
          forwardAttachmentIds: [invoice.id],
          idempotencyKey: key(),
        });
        const { mail } = lastSentMime(world, provider);
        expect(addressesOf(mail.to)).toEqual(['zoe@partner.test']);
        expect(mail.subject).toBe('Fwd: Order 42');
        const sentInvoice = mail.attachments.find((a) => a.filename === 'invoice.pdf')!;
        expect(sentInvoice.content().equals(INVOICE)).toBe(true);
        // The user left the inline stamp out: it is not sent.
        expect(mail.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
        if (provider === 'outlook') {
          // createForward copied the original's files: the PDF was kept, the stamp removed, nothing uploaded.
          const after = world.microsoft.requests.slice(before);
          expect(after.some((r) => r.path.endsWith('/createForward'))).toBe(true);
          expect(after.filter((r) => r.path.endsWith('/attachments') && r.method === 'POST')).toEqual([]);
        }
      });

      it('saves a draft at the provider and locally, updates the same draft, reopens it, and sending consumes it in both places', async () => {
        const before = providerDrafts(provider).length;
        const plan = await upload(A(), 'plan.txt', Buffer.from('the plan'), 'text/plain');
        const values = { accountId: world.accounts[provider], to: 'hal@x.test', subject: 'Draft one', html: '<p>v1</p>' };
        const first = (await post(A(), 'mailMessages:saveDraft', { ...values, attachmentIds: [plan.id] })).data;
        expect(providerDrafts(provider)).toHaveLength(before + 1);
        expect(first.attachments.map((a: any) => a.filename)).toEqual(['plan.txt']);
        // The next save names the draft's own files, as the editor is told to.
        const again = { ...values, draftId: first.id, subject: 'Draft two', html: '<p>v2</p>', forwardAttachmentIds: first.attachments.map((a: any) => a.id) };
        const second = (await post(A(), 'mailMessages:saveDraft', again)).data;
        expect(second.id).toBe(first.id);
        expect(second.attachments.map((a: any) => a.filename)).toEqual(['plan.txt']);
        expect(providerDrafts(provider)).toHaveLength(before + 1);
        const row = await world.app.db.getRepository('mailMessages').findOne({ filterByTk: first.id });
        expect(row.toJSON()).toMatchObject({ box: 'drafts', draft: true, subject: 'Draft two', compose: { mode: 'new', from: OWNER[provider] } });
        expect(row.get('providerDraftId')).toBeTruthy();
        const opened = (await A().get('/api/mailMessages:openDraft').query({ filterByTk: first.id })).body.data;
        expect(opened).toMatchObject({ id: first.id, accountId: world.accounts[provider], mode: 'new', replyToMessageId: null, from: OWNER[provider], subject: 'Draft two' });
        expect(addressesOf(opened.to)).toEqual(['hal@x.test']);
        expect(opened.html).toContain('v2');
        expect(opened.attachments.map((a: any) => a.filename)).toEqual(['plan.txt']);

        const { data } = await post(A(), 'mailMessages:send', {
          ...values,
          subject: 'Draft two',
          html: '<p>final</p>',
          draftId: first.id,
          forwardAttachmentIds: opened.attachments.map((a: any) => a.id),
          idempotencyKey: key(),
        });
        expect(lastSentMime(world, provider).mail.attachments.map((a) => [a.filename, a.content().toString()])).toEqual([['plan.txt', 'the plan']]);
        expect(providerDrafts(provider)).toHaveLength(before);
        expect(await rowsWithSubject(provider, 'Draft one')).toEqual([]);
        const sent = await rowsWithSubject(provider, 'Draft two');
        expect(sent.map((r: any) => [r.get('id'), r.get('box'), r.get('draft'), r.get('providerDraftId')])).toEqual([[data.id, 'sent', false, null]]);
        await syncNow(provider);
        expect((await rowsWithSubject(provider, 'Draft two')).map((r: any) => r.get('box'))).toEqual(['sent']);
      });

      it('deletes a draft in both places', async () => {
        const before = providerDrafts(provider).length;
        const draft = (await post(A(), 'mailMessages:saveDraft', { accountId: world.accounts[provider], subject: 'Throwaway', html: '<p>x</p>' })).data;
        expect(providerDrafts(provider)).toHaveLength(before + 1);
        expect(await post(A(), `mailMessages:deleteDraft?filterByTk=${draft.id}`, {})).toEqual({ data: { deleted: 1 } });
        expect(providerDrafts(provider)).toHaveLength(before);
        expect(await world.app.db.getRepository('mailMessages').findOne({ filterByTk: draft.id })).toBeNull();
        await post(A(), `mailMessages:deleteDraft?filterByTk=${draft.id}`, {}, 404);
      });

      it('a provider failure on send answers 503 and keeps the draft, its files and the key for a retry', async () => {
        const file = await upload(A(), 'notes.txt', Buffer.from('keep me'), 'text/plain');
        const values = { accountId: world.accounts[provider], to: 'ivy@x.test', subject: `Retry me (${provider})`, html: '<p>x</p>', attachmentIds: [file.id] };
        const draft = (await post(A(), 'mailMessages:saveDraft', values)).data;
        const emulator = provider === 'gmail' ? world.google : world.microsoft;
        const calls = sendCalls(world, provider);
        emulator.faults.add({ path: provider === 'gmail' ? /\/messages\/send$/ : /\/messages\/[^/]+\/send$/, status: 503 });
        const idempotencyKey = key();
        const failed = await post(A(), 'mailMessages:send', { ...values, draftId: draft.id, idempotencyKey }, 503);
        expect(failed.errors[0].message).toBe('The mail provider did not answer. The email was not sent; please try again.');
        // Tried once: a send is not repeated after a 5xx.
        expect(sendCalls(world, provider)).toBe(calls + 1);
        const kept = await world.app.db.getRepository('mailMessages').findOne({ filterByTk: draft.id });
        expect(kept.toJSON()).toMatchObject({ box: 'drafts', subject: values.subject });
        expect(providerDrafts(provider).length).toBeGreaterThan(0);
        expect((await rowsWithSubject(provider, values.subject)).map((r: any) => r.get('box'))).toEqual(['drafts']);

        const { data } = await post(A(), 'mailMessages:send', { ...values, draftId: draft.id, idempotencyKey });
        expect((await rowsWithSubject(provider, values.subject)).map((r: any) => [r.get('id'), r.get('box')])).toEqual([[data.id, 'sent']]);
        expect(lastSentMime(world, provider).mail.attachments.map((a) => a.filename)).toEqual(['notes.txt']);
      });
    });
  }
});
