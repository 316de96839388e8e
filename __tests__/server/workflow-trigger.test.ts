import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_ADDED_EVENT } from '../../src/server/constants';
import { pluginOf } from '../helpers/mail';
import { eml } from '../helpers/threads';
import { mailWorld, MailWorld } from '../helpers/world';
import { createWorkflow, EXECUTION_STATUS, executionsOf, firingsOf, setWorkflowAccess, settled, sqliteInFile, waitFor, WORKFLOW_PLUGINS } from '../helpers/workflows';

/**
 * The workflow trigger "Email received" (S-WF-1) with NocoBase's Workflow plugin, against both
 * providers: nothing during the first import unless asked; once per new mail, after the sync
 * stored it, with the mail as context; the filter; never again after a Resync, a reconcile or a
 * replayed event; nothing while the owner has not allowed workflows; "Email sent" for mail sent
 * from NocoBase. Two app instances on one database: workflow-cluster.test.ts.
 */
const OWNER = { gmail: 'wren@gmail.test', outlook: 'wren@outlook.test' } as const;
type Provider = keyof typeof OWNER;
const PROVIDERS: Provider[] = ['gmail', 'outlook'];
const SEEDED = 3;
const PDF = Buffer.from('%PDF-1.4 invoice 7\n'.repeat(20));
const removeDatabase = sqliteInFile('workflow-trigger');

describe('workflow trigger: Email received', () => {
  let w: MailWorld<Provider>;
  let app: MockServer;
  const wf: Record<string, any> = {};
  let clientsLabel = '';

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'workflow-trigger',
      google: true,
      microsoft: true,
      plugins: WORKFLOW_PLUGINS,
      users: { google: [{ email: OWNER.gmail, displayName: 'Wren' }], microsoft: [{ email: OWNER.outlook, displayName: 'Wren' }] },
      mailboxes: async ({ google, microsoft }) => {
        clientsLabel = google.createLabel(OWNER.gmail, 'Clients');
        for (const provider of PROVIDERS) {
          const old = await Promise.all(
            Array.from({ length: SEEDED }, (_, i) => eml({ from: `old${i}@client.test`, to: OWNER[provider], subject: `Old ${i}`, text: 'old mail', date: new Date(Date.UTC(2025, 0, i + 1)) })),
          );
          if (provider === 'gmail') google.seed(OWNER.gmail, { eml: old, labelIds: () => ['INBOX'] });
          else microsoft.seed(OWNER.outlook, { eml: old, folder: () => 'inbox' });
        }
      },
      connect: { gmail: { provider: 'gmail', email: OWNER.gmail }, outlook: { provider: 'outlook', email: OWNER.outlook } },
    });
    app = w.app;
    const ids = PROVIDERS.map((p) => w.accounts[p]);
    wf.all = await createWorkflow(app, 'email-received', {});
    wf.import = await createWorkflow(app, 'email-received', { accounts: { mode: 'accounts', ids }, includeFirstImport: true });
    wf.filter = await createWorkflow(app, 'email-received', {
      accounts: { mode: 'user', userId: w.as.users.memberA.id },
      filter: { $and: [{ from: { $eq: 'VIP@client.test' } }, { text: { $includes: 'invoice' } }, { hasAttachments: { $isTruly: true } }] },
    });
    wf.label = await createWorkflow(app, 'email-received', { filter: { label: { $eq: 'clients' } } });
    wf.sent = await createWorkflow(app, 'email-received', { boxes: ['sent'] });
    wf.otherUser = await createWorkflow(app, 'email-received', { accounts: { mode: 'user', userId: w.as.users.memberB.id } });
  });
  afterAll(async () => {
    await w?.close();
    removeDatabase();
  });

  /** Executions of a workflow for one account's mail. */
  const fired = async (workflow: any, provider: Provider) =>
    (await executionsOf(app, workflow.id)).filter((e) => e.context?.message?.accountId === w.accounts[provider]);
  const subjects = async (workflow: any, provider: Provider) => (await fired(workflow, provider)).map((e) => e.context.message.subject).sort();
  const sync = async (provider: Provider, kind = 'incremental') => {
    expect((await pluginOf(app).scheduler.runLocked(w.accounts[provider], kind))?.outcome).toBe('ok');
    await settled(app);
  };
  const deliver = async (provider: Provider, mail: Record<string, unknown>, gmailLabels: string[] = []) => {
    const raw = await eml({ to: `Wren <${OWNER[provider]}>`, date: new Date(), ...mail });
    if (provider === 'gmail') w.google.addMessage(OWNER.gmail, { raw, labelIds: ['INBOX', 'UNREAD', ...gmailLabels] });
    else w.microsoft.addMessage(OWNER.outlook, { raw, folder: 'inbox' });
  };

  it('checks the trigger config when the editor saves it', async () => {
    const res = await w.as.root.post('/api/workflows:create').send({ title: 'bad', type: 'email-received', config: { boxes: ['outbox'], filter: { body: 'x' } } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('Choose one or more boxes');
  });

  for (const provider of PROVIDERS) {
    describe(provider, () => {
      it('fires for nothing of the first import, unless the trigger asks for it', async () => {
        await setWorkflowAccess(w.as.memberA, w.accounts[provider], true);
        await sync(provider, 'initial');
        expect(await fired(wf.all, provider)).toEqual([]);
        expect(await subjects(wf.import, provider)).toEqual(['Old 0', 'Old 1', 'Old 2']);
      });

      it('fires once per new mail, after the sync stored it, with the mail as context', async () => {
        await deliver(provider, {
          from: 'Vip Client <vip@client.test>',
          cc: 'ops@client.test',
          subject: 'New order',
          text: 'Please find the invoice attached.',
          messageId: `<new-order-${provider}@client.test>`,
          attachments: [{ filename: 'invoice.pdf', content: PDF, contentType: 'application/pdf' }],
        });
        await deliver(provider, { from: 'someone@client.test', subject: 'Hello', text: 'No invoice here' });
        await sync(provider);
        const [order, hello, ...more] = (await fired(wf.all, provider)).sort((a, b) => a.context.message.id - b.context.message.id);
        expect(more).toEqual([]);
        expect([order.status, hello.status]).toEqual([EXECUTION_STATUS.RESOLVED, EXECUTION_STATUS.RESOLVED]);
        const row = (await app.db.getRepository('mailMessages').findOne({ filter: { accountId: w.accounts[provider], subject: 'New order' } })).toJSON();
        expect(order.context.message).toMatchObject({
          id: row.id,
          accountId: w.accounts[provider],
          accountEmail: OWNER[provider],
          userId: w.as.users.memberA.id,
          from: { address: 'vip@client.test', name: 'Vip Client' },
          fromText: 'Vip Client <vip@client.test>',
          to: [{ address: OWNER[provider], name: 'Wren' }],
          toText: `Wren <${OWNER[provider]}>`,
          cc: [{ address: 'ops@client.test' }],
          ccText: 'ops@client.test',
          subject: 'New order',
          threadId: row.threadId,
          box: 'inbox',
          internetMessageId: `<new-order-${provider}@client.test>`,
          hasAttachments: true,
          attachments: [{ id: expect.any(Number), filename: 'invoice.pdf', mimeType: 'application/pdf', size: PDF.length }],
        });
        expect(order.context.message.text).toContain('Please find the invoice attached.');
        expect(new Date(order.context.message.date).getTime()).toBeGreaterThan(Date.now() - 3600_000);
        // A trigger that asks for the first import still fires for new mail, once.
        expect(await subjects(wf.import, provider)).toEqual(['Hello', 'New order', 'Old 0', 'Old 1', 'Old 2']);
        expect(await fired(wf.otherUser, provider)).toEqual([]);
      });

      it('fires only for mail its filter matches', async () => {
        await deliver(provider, { from: 'vip@client.test', subject: 'No file', text: 'The invoice follows' });
        await sync(provider);
        expect(await subjects(wf.filter, provider)).toEqual(['New order']);
      });

      it('never fires twice: not after a Resync, a reconcile of an expired cursor, or a replayed event', async () => {
        const before = await firingsOf(app, wf.all.id);
        await pluginOf(app).accounts.state.requestResync(w.accounts[provider], new Date('2000-01-01T00:00:00Z'));
        await sync(provider, 'resync');
        if (provider === 'gmail') w.google.expireHistory(OWNER.gmail);
        else w.microsoft.expireDeltaTokens(OWNER.outlook);
        await deliver(provider, { from: 'late@client.test', subject: 'While the cursor was stale', text: 'x' });
        await sync(provider);
        // The events of mail the trigger fired for, heard again (a replay after a crash, a second listener).
        const firedIds = (await fired(wf.all, provider)).map((e) => e.context.message.id);
        const stored: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { id: firedIds }, attributes: ['providerMessageId'], raw: true });
        expect(stored).toHaveLength(4);
        app.emit(MESSAGES_ADDED_EVENT, { accountId: w.accounts[provider], providerMessageIds: stored.map((r) => r.providerMessageId), phase: 'new' });
        await settled(app);
        expect(await firingsOf(app, wf.all.id)).toBe(before + 1);
        expect(await subjects(wf.all, provider)).toEqual(['Hello', 'New order', 'No file', 'While the cursor was stale']);
      });

      it('stops firing while the owner withdraws workflow access', async () => {
        await setWorkflowAccess(w.as.memberA, w.accounts[provider], false);
        await deliver(provider, { from: 'quiet@client.test', subject: 'While not allowed', text: 'x' });
        await sync(provider);
        await setWorkflowAccess(w.as.memberA, w.accounts[provider], true);
        await deliver(provider, { from: 'back@client.test', subject: 'Allowed again', text: 'x' });
        await sync(provider);
        const all = await subjects(wf.all, provider);
        expect(all).not.toContain('While not allowed');
        expect(all).toContain('Allowed again');
      });

      it('"Email sent": fires once for mail sent from NocoBase, not again when the sync reads it', async () => {
        const res = await w.as.memberA.post('/api/mailMessages:send').send({
          accountId: w.accounts[provider],
          to: 'customer@client.test',
          subject: `Sent from NocoBase (${provider})`,
          html: '<p>Hi</p>',
          idempotencyKey: `wf-sent-${provider}-0001`,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        await settled(app);
        await sync(provider);
        const sent = await fired(wf.sent, provider);
        expect(sent.map((e) => [e.context.message.subject, e.context.message.box])).toEqual([[`Sent from NocoBase (${provider})`, 'sent']]);
        expect(await subjects(wf.all, provider)).not.toContain(`Sent from NocoBase (${provider})`);
      });
    });
  }

  it('"Email sent" with a send node does not start itself again with the mail it sends', async () => {
    const loop = await createWorkflow(app, 'email-received', { boxes: ['sent'], accounts: { mode: 'accounts', ids: [w.accounts.gmail] } }, [
      { type: 'email-send', config: { account: { mode: 'triggering-user' }, to: 'copy@client.test', subject: 'Copy: {{$context.message.subject}}', html: '<p>copy</p>' } },
    ]);
    const res = await w.as.memberA.post('/api/mailMessages:send').send({ accountId: w.accounts.gmail, to: 'x@client.test', subject: 'Loop?', html: '<p>x</p>', idempotencyKey: 'wf-loop-00000001' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The mail the node sends is announced and claimed, and the workflow plugin refuses to start it.
    await waitFor('the copy to be claimed', async () => (await firingsOf(app, loop.id)) === 2);
    await settled(app);
    const runs = await executionsOf(app, loop.id);
    expect(runs.map((e) => [e.context.message.subject, e.status])).toEqual([['Loop?', EXECUTION_STATUS.RESOLVED]]);
    const sentCopies = await app.db.getRepository('mailMessages').count({ filter: { accountId: w.accounts.gmail, subject: 'Copy: Loop?' } });
    expect(sentCopies).toBe(1);
    await loop.update({ enabled: false });
  });

  it('matches a Gmail label by its name', async () => {
    await deliver('gmail', { from: 'x@client.test', subject: 'Labelled', text: 'x' }, [clientsLabel]);
    await sync('gmail');
    expect(await subjects(wf.label, 'gmail')).toEqual(['Labelled']);
  });
});
