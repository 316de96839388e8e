import fs from 'node:fs';
import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentCacheDir } from '../../src/server/messages/attachment-service';
import { uploadsDir } from '../../src/server/send/uploads';
import { createUser } from '../helpers/app';
import { connectAccount, Google, Microsoft, pluginOf } from '../helpers/mail';
import { key, post, upload } from '../helpers/send';
import { eml } from '../helpers/threads';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * Off-boarding (accounts/offboarding.ts) in a real app with the ACL on, real users and real
 * accounts on both emulators: deleting a NocoBase user removes their accounts with every row of
 * their mail, revokes the Google grant, and nothing scheduled or queued in their name goes out
 * when the runners tick; another user's mail, schedule and bulk job are untouched. Inside a
 * transaction, a rollback keeps everything; a user deleted without our hook is swept later.
 */
const LEAVER = { gmail: 'leaver@gmail.test', outlook: 'leaver@outlook.test' };
const STAYER = 'stayer@gmail.test';
const MINUTE = 60_000;
const PDF = Buffer.from('%PDF-1.4 contract\n'.repeat(40));

describe('off-boarding a deleted user', () => {
  let w: MailWorld;
  let app: MockServer;
  let google: Google;
  let microsoft: Microsoft;
  let as: Agents;

  const model = (name: string) => app.db.getCollection(name).model;
  const count = (name: string, where: Record<string, unknown>) => model(name).count({ where });
  const gmailSent = (email: string) => google.mailboxOf(email).filter((m) => m.labelIds.includes('SENT')).length;
  const outlookSent = (email: string) => microsoft.mailboxOf(email).filter((m) => m.folder === 'sentitems').length;
  const revocations = () => google.requests.filter((r) => r.path === '/revoke' && r.status === 200).length;

  /** A new NocoBase user, signed in, with these mailboxes connected and synced. */
  async function userWith(nickname: string, mailboxes: { gmail?: string; outlook?: string }) {
    const user = await createUser(app, nickname);
    const agent = await app.agent().login(user);
    const accounts: Record<string, number> = {};
    for (const [provider, email] of Object.entries(mailboxes) as ['gmail' | 'outlook', string][]) {
      accounts[provider] = (await connectAccount(agent, provider === 'gmail' ? google : microsoft, provider, email, '2000-01-01T00:00:00Z')).id;
      expect((await pluginOf(app).scheduler.runLocked(accounts[provider], 'initial'))?.outcome).toBe('ok');
    }
    return { id: Number(user.get('id')), agent, accounts };
  }

  const schedule = async (agent: any, accountId: number, subject: string, extra: Record<string, unknown> = {}) =>
    (await post(agent, 'mailMessages:schedule', { accountId, to: 'pat@x.test', subject, html: `<p>${subject}</p>`, sendAt: new Date(Date.now() + 5 * MINUTE).toISOString(), ...extra })).data;
  const bulk = async (agent: any, accountId: number, subject: string, addresses: string) =>
    (await post(agent, 'mailMassMessages:create', { accountId, idempotencyKey: key(), subject, html: '<p>Hello</p>', addresses })).data;

  beforeAll(async () => {
    const gmailUsers = [LEAVER.gmail, STAYER, 'mover@gmail.test', 'ghost@gmail.test'];
    const contract = async (owner: string) =>
      eml({
        from: 'Client <client@customer.test>',
        to: owner,
        cc: 'boss@customer.test',
        subject: `Contract for ${owner}`,
        text: 'Signed copy attached.',
        messageId: `<contract.${owner}>`,
        date: new Date(Date.UTC(2025, 0, 6, 9)),
        attachments: [{ filename: 'contract.pdf', content: PDF, contentType: 'application/pdf' }],
      });
    // Accounts are connected in the tests, by users made there (userWith).
    w = await mailWorld({
      seed: 'offboarding',
      google: true,
      microsoft: true,
      users: { google: gmailUsers, microsoft: [LEAVER.outlook] },
      mailboxes: async ({ google, microsoft }) => {
        for (const email of gmailUsers) google.seed(email, { eml: [await contract(email)], labelIds: () => ['INBOX'] });
        microsoft.seed(LEAVER.outlook, { eml: [await contract(LEAVER.outlook)], folder: () => 'inbox' });
      },
    });
    ({ app, as, google, microsoft } = w);
  });
  afterAll(() => w?.close());

  it('deleting a user removes their accounts and mail, revokes the grant, and nothing of theirs is sent; another user is untouched', async () => {
    const leaver = await userWith('leaver', LEAVER);
    const stayer = await userWith('stayer', { gmail: STAYER });
    const leaverAccounts = Object.values(leaver.accounts);
    const A = leaver.agent;

    // The leaver's work in progress: a pending upload, a mail scheduled on each account, a bulk
    // job waiting for the runner, a label on a mail, a note, a template, a cached attachment.
    const file = await upload(A, 'draft.pdf', PDF, 'application/pdf');
    await schedule(A, leaver.accounts.gmail, 'Leaver later (gmail)', { attachmentIds: [file.id] });
    await schedule(A, leaver.accounts.outlook, 'Leaver later (outlook)');
    const leaverJob = await bulk(A, leaver.accounts.gmail, 'Leaver bulk', 'ann@x.test, bob@x.test');
    expect(leaverJob.counts).toMatchObject({ pending: 2 });
    await upload(A, 'unsent.txt', Buffer.from('not sent yet'), 'text/plain');
    const contract: any = await model('mailMessages').findOne({ where: { accountId: leaver.accounts.gmail, subject: `Contract for ${LEAVER.gmail}` }, raw: true });
    const label = (await post(A, 'mailMessageLabels:save', { name: 'Key account' })).data;
    await post(A, 'mailMessages:setLabels', { ids: [contract.id], add: [label.id] });
    await post(A, 'mailMessageNotes:save', { messageId: contract.id, note: 'Call back', todo: true });
    await post(A, 'mailTemplates:save', { name: 'Offer', html: '<p>Offer</p>' });
    const pdf: any = await model('mailAttachments').findOne({ where: { messageId: contract.id, filename: 'contract.pdf' }, raw: true });
    expect((await A.get(`/api/mailAttachments:download?filterByTk=${pdf.id}`)).status).toBe(200);
    expect(fs.existsSync(attachmentCacheDir(leaver.accounts.gmail))).toBe(true);
    expect(fs.readdirSync(uploadsDir(leaver.id)).length).toBeGreaterThan(0);

    // The stayer's own schedule and bulk job, which must still go out.
    const stayerScheduled = await schedule(stayer.agent, stayer.accounts.gmail, 'Stayer later');
    const stayerJob = await bulk(stayer.agent, stayer.accounts.gmail, 'Stayer bulk', 'carl@x.test');
    const stayerMail = ((await model('mailMessages').findAll({ attributes: ['id'], where: { accountId: stayer.accounts.gmail }, raw: true })) as any[]).map((r) => r.id);
    const stayerRows = {
      participants: await count('mailMessageParticipants', { accountId: stayer.accounts.gmail }),
      attachments: await count('mailAttachments', { accountId: stayer.accounts.gmail }),
    };
    expect(stayerRows.participants).toBeGreaterThan(0);
    expect(stayerRows.attachments).toBeGreaterThan(0);
    const sentBefore = { gmail: gmailSent(LEAVER.gmail), outlook: outlookSent(LEAVER.outlook), stayer: gmailSent(STAYER) };
    const revokedBefore = revocations();

    // An administrator deletes the leaver in Users & permissions.
    const res = await as.root.resource('users').destroy({ filterByTk: leaver.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    expect(await count('mailAccounts', { userId: leaver.id })).toBe(0);
    for (const name of ['mailMessages', 'mailMessageParticipants', 'mailAttachments', 'mailMessageNotes', 'mailSyncLogs', 'mailSendRequests']) {
      expect(await count(name, { accountId: leaverAccounts }), name).toBe(0);
    }
    for (const name of ['mailMessageLabels', 'mailTemplates', 'mailMassMessages', 'mailComposeSettings', 'mailOAuthRequests']) {
      expect(await count(name, { userId: leaver.id }), name).toBe(0);
    }
    expect(await count('mailmessagelabelsMailmessages', { labelId: label.id })).toBe(0);
    expect(await count('mailMassMessageRecipients', { jobId: leaverJob.id })).toBe(0);
    // Google saw the grant revoked (Microsoft offers no revocation of one app's token).
    expect(revocations()).toBe(revokedBefore + 1);
    expect(fs.existsSync(attachmentCacheDir(leaver.accounts.gmail))).toBe(false);
    expect(fs.existsSync(uploadsDir(leaver.id))).toBe(false);

    // The runners tick past every send time: only the stayer's mail leaves.
    const ticked = await pluginOf(app).scheduledSender.tick(new Date(Date.now() + 10 * MINUTE));
    expect(ticked).toEqual({ sent: 1, failed: 0, retrying: 0 });
    await pluginOf(app).bulkRunner.runDue();
    expect(gmailSent(LEAVER.gmail)).toBe(sentBefore.gmail);
    expect(outlookSent(LEAVER.outlook)).toBe(sentBefore.outlook);
    expect(gmailSent(STAYER)).toBe(sentBefore.stayer + 2);
    expect((await model('mailMessages').findByPk(stayerScheduled.id, { raw: true }) as any)?.scheduleStatus).toBe('sent');
    const job = (await stayer.agent.get(`/api/mailMassMessages:getOwn?filterByTk=${stayerJob.id}`)).body.data;
    expect(job.counts).toMatchObject({ sent: 1, pending: 0 });

    // The stayer's account, mail, participants and attachments are all still there.
    expect((await stayer.agent.resource('mailAccounts').listOwn()).body.data.map((a: any) => a.id)).toEqual([stayer.accounts.gmail]);
    const stayerNow = ((await model('mailMessages').findAll({ attributes: ['id'], where: { accountId: stayer.accounts.gmail }, raw: true })) as any[]).map((r) => r.id);
    expect(stayerNow).toEqual(expect.arrayContaining(stayerMail));
    expect(await count('mailMessageParticipants', { accountId: stayer.accounts.gmail })).toBeGreaterThanOrEqual(stayerRows.participants);
    expect(await count('mailAttachments', { accountId: stayer.accounts.gmail })).toBeGreaterThanOrEqual(stayerRows.attachments);
  });

  it('inside a transaction: a rollback keeps everything and revokes nothing; the commit off-boards', async () => {
    const mover = await userWith('mover', { gmail: 'mover@gmail.test' });
    const users = app.db.getRepository('users');
    const revokedBefore = revocations();
    await expect(
      app.db.sequelize.transaction(async (transaction) => {
        await users.destroy({ filterByTk: mover.id, transaction });
        // Gone inside the transaction already…
        expect(await model('mailAccounts').count({ where: { userId: mover.id }, transaction })).toBe(0);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // …and all back after the rollback, with the grant still valid.
    expect(await count('mailAccounts', { userId: mover.id })).toBe(1);
    expect(await count('mailMessages', { accountId: mover.accounts.gmail })).toBeGreaterThan(0);
    expect(revocations()).toBe(revokedBefore);
    expect((await pluginOf(app).scheduler.runLocked(mover.accounts.gmail, 'incremental'))?.outcome).toBe('ok');

    await app.db.sequelize.transaction((transaction) => users.destroy({ filterByTk: mover.id, transaction }));
    expect(await count('mailAccounts', { userId: mover.id })).toBe(0);
    expect(await count('mailMessages', { accountId: mover.accounts.gmail })).toBe(0);
    expect(revocations()).toBe(revokedBefore + 1);
  });

  it('a user deleted without the hook (plugin disabled, raw DELETE) is off-boarded by the sweep', async () => {
    const ghost = await userWith('ghost', { gmail: 'ghost@gmail.test' });
    await post(ghost.agent, 'mailTemplates:save', { name: 'Ghost template', html: '<p>Boo</p>' });
    const revokedBefore = revocations();
    await app.db.getCollection('users').model.destroy({ where: { id: ghost.id }, hooks: false } as any);
    expect(await count('mailAccounts', { userId: ghost.id })).toBe(1);
    expect(await count('mailMessages', { accountId: ghost.accounts.gmail })).toBe(1);

    expect(await pluginOf(app).offboarding.sweepOrphans()).toEqual([ghost.id]);
    expect(await count('mailAccounts', { userId: ghost.id })).toBe(0);
    expect(await count('mailMessages', { accountId: ghost.accounts.gmail })).toBe(0);
    expect(await count('mailTemplates', { userId: ghost.id })).toBe(0);
    expect(revocations()).toBe(revokedBefore + 1);
    // Living users are never touched by it.
    expect(await pluginOf(app).offboarding.sweepOrphans()).toEqual([]);
  });
});
