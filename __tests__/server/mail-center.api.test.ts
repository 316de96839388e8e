import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Google, Microsoft, pluginOf } from '../helpers/mail';
import { eml, mailCenterMailbox, PIXEL_PNG } from '../helpers/threads';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * The mail center against both providers (S-CENTER-3…11): conversations, search and filters,
 * counts, changes mirrored to the provider, personal labels, notes and to-dos, inline images.
 * Permissions and bad input are in mail-center.acl.test.ts.
 */
const OWNER = { gmail: 'center@gmail.test', outlook: 'center@outlook.test' } as const;
type Provider = keyof typeof OWNER;

describe('mail center', () => {
  let w: MailWorld<Provider>;
  let app: MockServer;
  let as: Agents;
  let google: Google;
  let microsoft: Microsoft;
  let accounts: Record<Provider, number>;

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'center',
      google: true,
      microsoft: true,
      users: { google: [OWNER.gmail], microsoft: [OWNER.outlook] },
      mailboxes: async ({ google, microsoft }) => {
        for (const [emulator, email] of [[google, OWNER.gmail], [microsoft, OWNER.outlook]] as const) {
          // The second mail is the owner's reply: in Sent and read.
          emulator.seed(email, {
            eml: await mailCenterMailbox(email),
            labelIds: (i) => (i === 1 ? ['SENT'] : ['INBOX', 'UNREAD']),
            folder: (i) => (i === 1 ? 'sentitems' : 'inbox'),
            read: (i) => i === 1,
          });
        }
        // A label / folder of the user's own, there before the first import.
        google.createLabel(OWNER.gmail, 'Projects');
        microsoft.createFolder(OWNER.outlook, 'Projects');
      },
      connect: { gmail: { provider: 'gmail', email: OWNER.gmail }, outlook: { provider: 'outlook', email: OWNER.outlook } },
      sync: true,
    });
    ({ app, as, google, microsoft, accounts } = w);
  });
  afterAll(() => w?.close());

  const threads = async (params: Record<string, unknown>) => {
    const res = await as.memberA.get('/api/mailMessages:threads').query(params);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { data: any[]; meta: any };
  };
  const post = async (action: string, values: Record<string, unknown>, status = 200) => {
    const res = await as.memberA.post(`/api/${action}`).send(values);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const orderRow = async (provider: Provider, box = 'inbox') =>
    (await threads({ accountId: accounts[provider], box })).data.find((r) => r.subject === 'Re: Order 42');
  const providerState = (provider: Provider, messageId: string) =>
    provider === 'gmail'
      ? (google.mailboxOf(OWNER.gmail) as any[]).find((m) => m.messageId === messageId)
      : (microsoft.mailboxOf(OWNER.outlook) as any[]).find((m) => m.messageId === messageId);

  for (const provider of ['gmail', 'outlook'] as const) {
    describe(provider, () => {
      it('lists the Inbox as conversations, newest first, with count, correspondents and markers', async () => {
        const { data, meta } = await threads({ accountId: accounts[provider] });
        expect(data.map((r) => r.subject)).toEqual(['Lunch?', 'Price list', 'Re: Order 42']);
        expect(meta).toEqual({ page: 1, pageSize: 20, hasMore: false });
        const total = await as.memberA.get('/api/mailMessages:threadCount').query({ accountId: accounts[provider] });
        expect(total.body.data).toEqual({ count: 3, page: 1, pageSize: 20, totalPage: 1 });
        const order = data[2];
        expect(order).toMatchObject({ messageCount: 3, unread: true, hasAttachments: true, box: 'inbox', labels: [], todo: false });
        expect(order.correspondents).toEqual([{ name: 'Alice Customer', address: 'alice@customer.test' }]);
        expect(order.snippet).toContain('Got it');
      });

      it('shows Sent with the recipient as correspondent, and the conversation from there', async () => {
        const { data } = await threads({ accountId: accounts[provider], box: 'sent' });
        expect(data).toHaveLength(1);
        expect(data[0]).toMatchObject({ subject: 'Re: Order 42', box: 'sent', messageCount: 3 });
        expect(data[0].correspondents).toEqual([{ address: 'alice@customer.test' }]);
      });

      it('searches subject, names, addresses and body text, case-insensitively, combined with filters', async () => {
        const subjects = async (params: Record<string, unknown>) =>
          (await threads({ accountId: accounts[provider], box: 'all', ...params })).data.map((r) => r.subject);
        expect(await subjects({ q: 'NOON' })).toEqual(['Lunch?']);
        expect(await subjects({ q: 'alice customer' })).toEqual(['Re: Order 42']);
        expect(await subjects({ q: 'bob@customer.test' })).toEqual(['Re: Order 42']);
        expect(await subjects({ q: 'price' })).toEqual(['Price list']);
        expect(await subjects({ q: '100%_' })).toEqual([]);
        expect(await subjects({ from: 'VENDOR.test' })).toEqual(['Price list']);
        expect(await subjects({ to: 'bob@' })).toEqual(['Re: Order 42']);
        expect(await subjects({ hasAttachments: true })).toEqual(['Re: Order 42']);
        expect(await subjects({ after: '2025-01-04T00:00:00Z' })).toEqual(['Lunch?', 'Price list']);
        expect(await subjects({ before: '2025-01-02T00:00:00Z' })).toEqual(['Order 42']);
        expect(await subjects({ q: 'lunch', from: 'carol' })).toEqual([]);
      });

      it('opens a conversation oldest first with attachments, and serves its cid: image', async () => {
        const row = await orderRow(provider);
        const res = await as.memberA.get('/api/mailMessages:thread').query({ filterByTk: row.id });
        expect(res.status).toBe(200);
        const view = res.body.data;
        expect(view.messages.map((m: any) => m.subject)).toEqual(['Order 42', 'Re: Order 42', 'Re: Order 42']);
        expect(view).toMatchObject({ editable: true, note: null, accountId: accounts[provider] });
        const last = view.messages[2];
        expect(last.html).toContain('cid:Pixel.1@customer.test');
        expect(last.cc).toEqual([{ name: 'Bob Buyer', address: 'bob@customer.test' }]);
        expect(last.attachments.map((a: any) => [a.filename, a.inline])).toEqual(
          expect.arrayContaining([
            ['pixel.png', true],
            ['invoice.pdf', false],
          ]),
        );
        for (const cid of ['Pixel.1@customer.test', '<pixel.1@CUSTOMER.test>', 'cid:Pixel.1@customer.test']) {
          const image = await as.memberA
            .get('/api/mailAttachments:inline')
            .query({ messageId: last.id, cid })
            .buffer(true)
            .parse((r: any, cb: any) => {
              const chunks: Buffer[] = [];
              r.on('data', (c: Buffer) => chunks.push(c));
              r.on('end', () => cb(null, Buffer.concat(chunks)));
            });
          expect(image.status, cid).toBe(200);
          expect(image.headers['content-type']).toBe('image/png');
          expect(image.headers['content-disposition']).toMatch(/^inline;/);
          expect(Buffer.compare(image.body, PIXEL_PNG)).toBe(0);
        }
        const missing = await as.memberA.get('/api/mailAttachments:inline').query({ messageId: last.id, cid: 'nope@x' });
        expect(missing.status).toBe(404);
        // The PDF is an attachment, not an inline image.
        const pdf = last.attachments.find((a: any) => a.filename === 'invoice.pdf');
        expect((await as.memberA.get('/api/mailAttachments:inline').query({ messageId: last.id, cid: pdf.contentId || 'invoice' })).status).toBe(404);
      });

      it('marks a conversation read and unread at the provider, and the counts follow', async () => {
        const row = await orderRow(provider);
        const before = (await as.memberA.get('/api/mailMessages:counts')).body.data;
        expect(await post('mailMessages:setRead', { ids: [row.id], read: true })).toMatchObject({ data: { changed: 2 } });
        expect(providerState(provider, '<thread-3@customer.test>').read).toBe(true);
        expect(providerState(provider, '<thread-1@customer.test>').read).toBe(true);
        const after = (await as.memberA.get('/api/mailMessages:counts')).body.data;
        expect(after.unread).toBe(before.unread - 2);
        expect(after.accounts[accounts[provider]].inbox).toBe(before.accounts[accounts[provider]].inbox - 2);
        expect((await orderRow(provider)).unread).toBe(false);
        // One mail back to unread: the row is unread again and the badge +1.
        await post('mailMessages:setRead', { ids: [row.id], scope: 'message', read: false });
        expect(providerState(provider, '<thread-3@customer.test>').read).toBe(false);
        expect((await as.memberA.get('/api/mailMessages:unreadCount')).body.data.unread).toBe(after.unread + 1);
        expect((await orderRow(provider)).unread).toBe(true);
      });

      it('stars, archives, trashes, restores and deletes forever, each at the provider', async () => {
        const lunch = (await threads({ accountId: accounts[provider] })).data.find((r) => r.subject === 'Lunch?');
        const find = async (box: string) => (await threads({ accountId: accounts[provider], box })).data.find((r) => r.subject === 'Lunch?');

        await post('mailMessages:setStarred', { ids: [lunch.id], starred: true });
        expect((await find('starred'))?.starred).toBe(true);

        await post('mailMessages:archive', { ids: [lunch.id] });
        expect(await find('inbox')).toBeUndefined();
        const firstArchived = await find('archive');
        expect(firstArchived?.box).toBe('archive');
        // "Move to Inbox" brings archived mail back; then archive it again.
        await post('mailMessages:restore', { ids: [firstArchived.id] });
        expect((await find('inbox'))?.box).toBe('inbox');
        await post('mailMessages:archive', { ids: [(await find('inbox')).id] });
        const archived = await find('archive');

        await post('mailMessages:trash', { ids: [archived.id] });
        expect(await find('archive')).toBeUndefined();
        const trashed = await find('trash');
        expect(trashed?.box).toBe('trash');
        expect((await threads({ accountId: accounts[provider], box: 'all' })).data.map((r) => r.subject)).not.toContain('Lunch?');

        await post('mailMessages:restore', { ids: [trashed.id] });
        const restored = await find('inbox');
        expect(restored?.box).toBe('inbox');
        // Not in Trash: delete forever is refused and nothing happens.
        const refused = await post('mailMessages:destroyForever', { ids: [restored.id] }, 400);
        expect(refused.errors[0].message).toBe('Only mail in Trash can be deleted permanently');

        await post('mailMessages:trash', { ids: [restored.id] });
        const again = await find('trash');
        await post('mailMessages:destroyForever', { ids: [again.id] });
        expect(await find('trash')).toBeUndefined();
        const remaining = provider === 'gmail' ? (google.mailboxOf(OWNER.gmail) as any[]) : (microsoft.mailboxOf(OWNER.outlook) as any[]);
        expect(remaining).toHaveLength(4);

        // The next sync agrees with what the mail center did: nothing comes back, nothing moves.
        const snapshot = (await threads({ accountId: accounts[provider], box: 'all' })).data.map((r) => [r.subject, r.box, r.starred]);
        expect((await pluginOf(app).scheduler.runLocked(accounts[provider], 'incremental'))?.outcome).toBe('ok');
        expect((await threads({ accountId: accounts[provider], box: 'all' })).data.map((r) => [r.subject, r.box, r.starred])).toEqual(snapshot);
      });

      it("lists the account's own folders / labels and shows the mail filed in one", async () => {
        const account = (await as.memberA.get('/api/mailAccounts:listOwn')).body.data.find((a: any) => a.id === accounts[provider]);
        const projects = account.folders.find((f: any) => f.name === 'Projects');
        expect(projects).toMatchObject({ custom: true, box: null });
        const price = providerState(provider, '<price-list@vendor.test>');
        if (provider === 'gmail') google.setLabels(OWNER.gmail, price.id, ['Projects']);
        else microsoft.moveMessage(OWNER.outlook, price.id, 'Projects');
        expect((await pluginOf(app).scheduler.runLocked(accounts[provider], 'incremental'))?.outcome).toBe('ok');
        const filed = await threads({ accountId: accounts[provider], folderId: projects.id });
        expect(filed.data.map((r) => r.subject)).toEqual(['Price list']);
        expect((await threads({ accountId: accounts[provider] })).data.map((r) => r.subject)).not.toContain('Price list');
        const noAccount = await as.memberA.get('/api/mailMessages:threads').query({ folderId: projects.id });
        expect(noAccount.status).toBe(400);
        expect(noAccount.body.errors[0]).toMatchObject({ field: 'folderId', message: 'Choose an account to open one of its folders' });
      });

      it('says so when the provider fails, and changes nothing', async () => {
        const row = await orderRow(provider);
        const emulator = provider === 'gmail' ? google : microsoft;
        const path = provider === 'gmail' ? /batchModify/ : /\$batch/;
        emulator.faults.add({ path, status: 503, times: Infinity } as any);
        try {
          const body = await post('mailMessages:setRead', { ids: [row.id], read: true }, 503);
          expect(body.errors[0].message).toBe('The mail provider did not answer. Nothing was changed; please try again.');
        } finally {
          emulator.faults.clear();
        }
        expect((await orderRow(provider)).unread).toBe(true);
      }, 120_000);
    });
  }

  it('keeps personal labels across accounts: create, apply to a conversation, filter, count, rename, delete', async () => {
    const created = await post('mailMessageLabels:save', { name: 'VIP', color: 'magenta' });
    const label = created.data;
    expect(label).toMatchObject({ name: 'VIP', color: 'magenta' });
    const clash = await post('mailMessageLabels:save', { name: 'vip' }, 400);
    expect(clash.errors[0]).toMatchObject({ field: 'name', message: 'A label named "vip" already exists' });

    const gmailOrder = await orderRow('gmail');
    const outlookOrder = await orderRow('outlook');
    await post('mailMessages:setLabels', { ids: [gmailOrder.id, outlookOrder.id], add: [label.id] });
    // Twice is the same as once.
    await post('mailMessages:setLabels', { ids: [gmailOrder.id], add: [label.id] });
    const labelled = await threads({ labelId: label.id, box: 'all' });
    expect(labelled.data.map((r) => [r.accountId, r.subject])).toEqual(
      expect.arrayContaining([
        [accounts.gmail, 'Re: Order 42'],
        [accounts.outlook, 'Re: Order 42'],
      ]),
    );
    expect(labelled.data).toHaveLength(2);
    expect((await orderRow('gmail')).labels).toEqual([{ id: label.id, name: 'VIP', color: 'magenta' }]);
    const counts = (await as.memberA.get('/api/mailMessages:counts')).body.data;
    expect(counts.labels[label.id]).toBeGreaterThan(0);

    await post('mailMessageLabels:save', { id: label.id, name: 'Key account', color: '#1677ff' });
    expect((await orderRow('outlook')).labels).toEqual([{ id: label.id, name: 'Key account', color: '#1677ff' }]);
    await post('mailMessages:setLabels', { ids: [outlookOrder.id], remove: [label.id] });
    expect((await orderRow('outlook')).labels).toEqual([]);
    await post(`mailMessageLabels:remove?filterByTk=${label.id}`, {});
    expect((await orderRow('gmail')).labels).toEqual([]);
    expect((await as.memberA.get('/api/mailMessageLabels:listOwn')).body.data).toEqual([]);
  });

  it('keeps one note and to-do per user per conversation, with author, limits and the To-Do filter', async () => {
    const row = await orderRow('gmail');
    const saved = (await post('mailMessageNotes:save', { messageId: row.id, note: 'Call Alice back', todo: true })).data;
    expect(saved).toMatchObject({ note: 'Call Alice back', todo: true, authorName: 'member-a' });
    // Written on any mail of the conversation, it is the same note.
    const first = (await as.memberA.get('/api/mailMessages:thread').query({ filterByTk: row.id })).body.data;
    expect(first.note).toMatchObject({ note: 'Call Alice back', todo: true });
    await post('mailMessageNotes:save', { messageId: first.messages[0].id, note: 'Called, waiting for PO' });
    const view = (await as.memberA.get('/api/mailMessages:thread').query({ filterByTk: row.id })).body.data;
    expect(view.note).toMatchObject({ note: 'Called, waiting for PO', todo: true });

    const todo = await threads({ todo: true, box: 'all' });
    expect(todo.data.map((r) => [r.accountId, r.subject, r.todo, r.hasNote])).toEqual([[accounts.gmail, 'Re: Order 42', true, true]]);
    expect((await as.memberA.get('/api/mailMessages:counts')).body.data.todo).toBe(1);

    const tooLong = await post('mailMessageNotes:save', { messageId: row.id, note: 'x'.repeat(10_001) }, 400);
    expect(tooLong.errors[0]).toMatchObject({ field: 'note', message: 'A note has at most 10,000 characters' });
    await post('mailMessageNotes:save', { messageId: row.id, note: 'x'.repeat(10_000) });

    const cleared = await post('mailMessageNotes:save', { messageId: row.id, note: '', todo: false });
    expect(cleared.data).toMatchObject({ note: null, todo: false });
    expect((await threads({ todo: true, box: 'all' })).data).toEqual([]);
  });

  it('pages conversations in 20, 50 or 100 and refuses other sizes', async () => {
    const all = await threads({ box: 'all', pageSize: 20 });
    expect((await as.memberA.get('/api/mailMessages:threadCount').query({ box: 'all' })).body.data.count).toBe(all.data.length);
    expect(all.meta.hasMore).toBe(false);
    const second = await threads({ box: 'all', page: 2 });
    expect(second.data).toEqual([]);
    const bad = await as.memberA.get('/api/mailMessages:threads').query({ pageSize: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'pageSize', message: 'Page size must be one of 20, 50, 100' });
  });

  it('shows mail scheduled in Gmail itself in Scheduled, read-only and not as a draft (S-SCHED-2)', async () => {
    const raw = await eml({ from: OWNER.gmail, to: 'later@example.com', subject: 'Sends on Monday', text: 'Scheduled in the Gmail app.' });
    google.addMessage(OWNER.gmail, { raw, labelIds: ['SCHEDULED', 'DRAFT'], read: true });
    expect((await pluginOf(app).scheduler.runLocked(accounts.gmail, 'incremental'))?.outcome).toBe('ok');
    const row = (await threads({ box: 'scheduled' })).data.find((r) => r.subject === 'Sends on Monday');
    expect(row).toMatchObject({ box: 'scheduled', draft: false, scheduledAt: null, correspondents: [{ address: 'later@example.com' }] });
    expect((await threads({ box: 'drafts' })).data.map((r) => r.subject)).not.toContain('Sends on Monday');
    expect((await threads({ box: 'inbox' })).data.map((r) => r.subject)).not.toContain('Sends on Monday');
    const view = (await as.memberA.get('/api/mailMessages:thread').query({ filterByTk: row.id })).body.data;
    expect(view.messages[0]).toMatchObject({ box: 'scheduled', draft: false });
    // It cannot be opened as a draft of ours.
    expect((await as.memberA.get('/api/mailMessages:openDraft').query({ filterByTk: row.id })).status).toBe(404);
  });
});
