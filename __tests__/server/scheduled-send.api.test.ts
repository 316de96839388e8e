import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleKeyOf } from '../../src/server/send/schedule-state';
import { STALE_CLAIM_MS } from '../../src/server/jobs/scheduled-send';
import { pluginOf } from '../helpers/mail';
import { INVOICE, key, lastSentMime, OWNER, post, PROVIDERS, Provider, sendCalls, sendWorld, SendWorld, upload } from '../helpers/send';

/**
 * Schedule send (S-SCHED-1/2) through the API of a real app with the ACL on, against both
 * emulators. The scheduler's cron is off in tests: each test calls tick(now) with the time it
 * wants, which is what the cron does every minute on every node.
 */
describe('scheduled send', () => {
  let world: SendWorld;
  const A = () => world.as.memberA;
  const MINUTE = 60 * 1000;
  const sender = () => pluginOf(world.app).scheduledSender;
  const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
  const after = (iso: string) => new Date(new Date(iso).getTime() + 1000);
  const row = async (id: number) => (await world.app.db.getRepository('mailMessages').findOne({ filterByTk: id }))?.toJSON();
  const scheduledList = async (agent = A()) => (await agent.get('/api/mailMessages:listScheduled')).body.data as any[];
  const providerDrafts = (provider: Provider) =>
    provider === 'gmail' ? [...world.google.state.directory.user(OWNER.gmail)!.mailbox!.drafts.keys()] : world.microsoft.mailboxOf(OWNER.outlook).filter((m) => m.folder === 'drafts');
  const sendFault = (provider: Provider, status: number, times = 1) =>
    (provider === 'gmail' ? world.google : world.microsoft).faults.add({ path: provider === 'gmail' ? /\/messages\/send$/ : /\/messages\/[^/]+\/send$/, status, times });
  const schedule = async (provider: Provider, subject: string, extra: Record<string, unknown> = {}) =>
    (await post(A(), 'mailMessages:schedule', { accountId: world.accounts[provider], to: 'Pat <pat@x.test>', subject, html: `<p>${subject}</p>`, sendAt: inMinutes(5).toISOString(), ...extra })).data;

  beforeAll(async () => {
    world = await sendWorld('scheduled');
  });
  afterAll(() => world?.close());

  for (const provider of PROVIDERS) {
    it(`${provider}: waits until its time, then sends once with its file and keeps it in Sent`, async () => {
      const file = await upload(A(), 'terms.pdf', INVOICE, 'application/pdf');
      const drafts = providerDrafts(provider).length;
      const subject = `Later (${provider})`;
      const scheduled = await schedule(provider, subject, { cc: 'quinn@x.test', attachmentIds: [file.id] });
      expect(scheduled).toMatchObject({ id: expect.any(Number), scheduleStatus: 'scheduled', scheduledAt: expect.any(String) });
      expect(scheduled.attachments.map((a: any) => a.filename)).toEqual(['terms.pdf']);
      // Kept as a draft at the provider and here, marked with its time.
      expect(providerDrafts(provider)).toHaveLength(drafts + 1);
      expect(await row(scheduled.id)).toMatchObject({ draft: true, box: 'drafts', scheduleStatus: 'scheduled', subject });
      expect((await scheduledList()).find((m) => m.id === scheduled.id)).toEqual({
        id: scheduled.id,
        accountId: world.accounts[provider],
        subject,
        to: [{ address: 'pat@x.test', name: 'Pat' }],
        scheduledAt: scheduled.scheduledAt,
        scheduleStatus: 'scheduled',
        scheduleError: null,
      });

      const calls = sendCalls(world, provider);
      expect(await sender().tick(new Date(new Date(scheduled.scheduledAt).getTime() - 1000))).toEqual({ sent: 0, failed: 0, retrying: 0 });
      expect(sendCalls(world, provider)).toBe(calls);

      expect(await sender().tick(after(scheduled.scheduledAt))).toEqual({ sent: 1, failed: 0, retrying: 0 });
      expect(sendCalls(world, provider)).toBe(calls + 1);
      const { mail } = lastSentMime(world, provider);
      expect(mail.subject).toBe(subject);
      expect(mail.to.map((a) => a.address)).toEqual(['pat@x.test']);
      expect(mail.cc.map((a) => a.address)).toEqual(['quinn@x.test']);
      expect(mail.attachments.map((a) => [a.filename, a.content().equals(INVOICE)])).toEqual([['terms.pdf', true]]);
      expect(await row(scheduled.id)).toMatchObject({ box: 'sent', draft: false, scheduleStatus: 'sent', scheduleError: null });
      expect(providerDrafts(provider)).toHaveLength(drafts);
      expect((await scheduledList()).map((m) => m.id)).not.toContain(scheduled.id);

      // Later beats find nothing more to send; the next sync adds no duplicate.
      expect(await sender().tick(new Date(Date.now() + 60 * MINUTE))).toMatchObject({ sent: 0 });
      expect(sendCalls(world, provider)).toBe(calls + 1);
      expect((await pluginOf(world.app).scheduler.runLocked(world.accounts[provider], 'incremental'))?.outcome).toBe('ok');
      expect((await world.app.db.getRepository('mailMessages').find({ filter: { accountId: world.accounts[provider], subject } })).map((r: any) => r.get('box'))).toEqual(['sent']);
    });
  }

  it('two schedulers ticking at once send the mail once', async () => {
    const scheduled = await schedule('gmail', 'Raced');
    const calls = sendCalls(world, 'gmail');
    const results = await Promise.all([sender().tick(after(scheduled.scheduledAt)), sender().tick(after(scheduled.scheduledAt))]);
    // One took the mail; the other found it taken (and did not fail it, or try the provider).
    expect(results).toEqual(expect.arrayContaining([{ sent: 1, failed: 0, retrying: 0 }, { sent: 0, failed: 0, retrying: 0 }]));
    expect(sendCalls(world, 'gmail')).toBe(calls + 1);
    expect(await row(scheduled.id)).toMatchObject({ box: 'sent', scheduleStatus: 'sent' });
  });

  it('cancel moves the mail back to Drafts, and it is never sent', async () => {
    const drafts = providerDrafts('gmail').length;
    const scheduled = await schedule('gmail', 'Never mind');
    // The mail center shows it under Scheduled, not under Drafts, until it is cancelled.
    const subjectsIn = async (box: string) =>
      ((await A().get('/api/mailMessages:threads').query({ box })).body.data as any[]).map((r) => r.subject);
    expect(await subjectsIn('scheduled')).toContain('Never mind');
    expect(await subjectsIn('drafts')).not.toContain('Never mind');
    // Its row carries the send time, so the list can show when it goes out.
    const listed = ((await A().get('/api/mailMessages:threads').query({ box: 'scheduled' })).body.data as any[]).find((r) => r.id === scheduled.id);
    expect(listed).toMatchObject({ scheduledAt: new Date(scheduled.scheduledAt).toISOString(), scheduleStatus: 'scheduled' });
    await post(world.as.memberB, `mailMessages:cancelSchedule?filterByTk=${scheduled.id}`, {}, 404);
    expect(await post(A(), `mailMessages:cancelSchedule?filterByTk=${scheduled.id}`, {})).toEqual({ data: { id: scheduled.id, scheduleStatus: 'canceled' } });
    // Twice is harmless.
    await post(A(), `mailMessages:cancelSchedule?filterByTk=${scheduled.id}`, {});
    expect(await row(scheduled.id)).toMatchObject({ draft: true, box: 'drafts', scheduleStatus: 'canceled', scheduledAt: null });
    expect((await scheduledList()).map((m) => m.id)).not.toContain(scheduled.id);
    expect(await subjectsIn('drafts')).toContain('Never mind');
    expect(await subjectsIn('scheduled')).not.toContain('Never mind');
    const calls = sendCalls(world, 'gmail');
    expect(await sender().tick(new Date(Date.now() + 24 * 60 * MINUTE))).toMatchObject({ sent: 0 });
    expect(sendCalls(world, 'gmail')).toBe(calls);
    expect(providerDrafts('gmail')).toHaveLength(drafts + 1);
    const opened = (await A().get('/api/mailMessages:openDraft').query({ filterByTk: scheduled.id })).body.data;
    expect(opened).toMatchObject({ id: scheduled.id, subject: 'Never mind' });
    // Scheduling it again (with its draftId) puts the same draft back in the schedule.
    const again = await schedule('gmail', 'Never mind', { draftId: scheduled.id });
    expect(again.id).toBe(scheduled.id);
    await post(A(), `mailMessages:deleteDraft?filterByTk=${scheduled.id}`, {});
    expect(await sender().tick(after(again.scheduledAt))).toMatchObject({ sent: 0 });
  });

  it('a provider refusal fails the mail with its reason and keeps the draft; a provider that did not answer is retried', async () => {
    const refused = await schedule('gmail', 'Refused');
    sendFault('gmail', 400);
    const calls = sendCalls(world, 'gmail');
    expect(await sender().tick(after(refused.scheduledAt))).toEqual({ sent: 0, failed: 1, retrying: 0 });
    expect(sendCalls(world, 'gmail')).toBe(calls + 1);
    const failed = (await scheduledList()).find((m) => m.id === refused.id);
    expect(failed).toMatchObject({ scheduleStatus: 'failed', scheduleError: expect.stringContaining('The mail provider refused the email') });
    expect(await row(refused.id)).toMatchObject({ draft: true, box: 'drafts', scheduleStatus: 'failed' });
    // A failed mail is not tried again by itself; cancelling makes it a plain draft.
    expect(await sender().tick(new Date(Date.now() + 60 * MINUTE))).toMatchObject({ sent: 0, failed: 0 });
    expect(sendCalls(world, 'gmail')).toBe(calls + 1);
    expect((await post(A(), `mailMessages:cancelSchedule?filterByTk=${refused.id}`, {})).data.scheduleStatus).toBe('canceled');
    expect(await row(refused.id)).toMatchObject({ scheduleStatus: 'canceled', scheduleError: null });

    const flaky = await schedule('gmail', 'Flaky');
    sendFault('gmail', 503);
    expect(await sender().tick(after(flaky.scheduledAt))).toEqual({ sent: 0, failed: 0, retrying: 1 });
    expect(await row(flaky.id)).toMatchObject({ scheduleStatus: 'scheduled', scheduleError: expect.stringContaining('did not answer') });
    expect(await sender().tick(new Date(after(flaky.scheduledAt).getTime() + MINUTE))).toEqual({ sent: 1, failed: 0, retrying: 0 });
    expect(await row(flaky.id)).toMatchObject({ box: 'sent', scheduleStatus: 'sent', scheduleError: null });

    // Every try fails: after the last one, the mail fails with the reason.
    const down = await schedule('gmail', 'Down');
    sendFault('gmail', 503, 3);
    const outcomes = [];
    for (let i = 1; i <= 3; i++) outcomes.push(await sender().tick(new Date(after(down.scheduledAt).getTime() + i * MINUTE)));
    expect(outcomes.map((o) => (o.retrying ? 'retrying' : o.failed ? 'failed' : 'sent'))).toEqual(['retrying', 'retrying', 'failed']);
    expect(await row(down.id)).toMatchObject({ draft: true, scheduleStatus: 'failed', scheduleError: expect.stringContaining('did not answer') });
  });

  it('a node that died after the provider took the mail leaves it sent once; one cut off mid-send fails rather than risk a copy', async () => {
    const scheduled = await schedule('gmail', 'Crash after send');
    const dueAt = after(scheduled.scheduledAt);
    expect(await sender().tick(dueAt)).toMatchObject({ sent: 1 });
    const calls = sendCalls(world, 'gmail');
    // As if the node had died right after the provider answered: the row still a draft, claimed long ago.
    const stale = new Date(dueAt.getTime() - STALE_CLAIM_MS - MINUTE);
    await world.app.db.getRepository('mailMessages').update({ filterByTk: scheduled.id, values: { draft: true, box: 'drafts', scheduleStatus: 'sending', scheduleClaimedAt: stale } });
    expect(await sender().tick(new Date(dueAt.getTime() - STALE_CLAIM_MS / 2))).toMatchObject({ sent: 0 });
    expect(await sender().tick(dueAt)).toMatchObject({ sent: 1 });
    expect(sendCalls(world, 'gmail')).toBe(calls);
    expect(await row(scheduled.id)).toMatchObject({ scheduleStatus: 'sent' });

    // Cut off while the provider call was under way: the key was claimed, never answered.
    const cut = await schedule('gmail', 'Cut off');
    const cutRow = await row(cut.id);
    await world.app.db.getRepository('mailSendRequests').create({
      values: { userId: world.as.users.memberA.get('id'), accountId: world.accounts.gmail, idempotencyKey: scheduleKeyOf(cut.id, new Date(cutRow.scheduledAt)), status: 'sending' },
    });
    await world.app.db.getRepository('mailMessages').update({ filterByTk: cut.id, values: { scheduleStatus: 'sending', scheduleClaimedAt: stale } });
    expect(await sender().tick(dueAt)).toMatchObject({ failed: 1 });
    expect(sendCalls(world, 'gmail')).toBe(calls);
    expect(await row(cut.id)).toMatchObject({ scheduleStatus: 'failed', scheduleError: 'Sending was interrupted; check Sent before scheduling it again' });
  });

  it('sending a scheduled draft by hand takes it out of the schedule', async () => {
    const scheduled = await schedule('gmail', 'Send now instead');
    const calls = sendCalls(world, 'gmail');
    await post(A(), 'mailMessages:send', { accountId: world.accounts.gmail, to: 'pat@x.test', subject: 'Send now instead', html: '<p>now</p>', draftId: scheduled.id, idempotencyKey: key() });
    expect(await sender().tick(after(scheduled.scheduledAt))).toMatchObject({ sent: 0, failed: 0 });
    expect(sendCalls(world, 'gmail')).toBe(calls + 1);
    expect(await row(scheduled.id)).toMatchObject({ box: 'sent', scheduleStatus: 'canceled' });
  });

  it('refuses a send time outside now + 1 minute … 1 year, and a mail without recipient, before saving anything', async () => {
    const drafts = providerDrafts('gmail').length;
    const values = { accountId: world.accounts.gmail, to: 'pat@x.test', subject: 'Bad time', html: '<p>x</p>' };
    const yearAhead = new Date();
    yearAhead.setUTCFullYear(yearAhead.getUTCFullYear() + 1);
    const cases: [unknown, string][] = [
      [undefined, 'Choose when to send the email'],
      ['tomorrow', 'Choose when to send the email'],
      // No offset: whose 09:00?
      ['2099-01-01T09:00:00', 'Choose when to send the email'],
      [new Date(Date.now() + 20 * 1000).toISOString(), 'The send time must be between 1 minute and 1 year from now'],
      [new Date(Date.now() - MINUTE).toISOString(), 'The send time must be between 1 minute and 1 year from now'],
      [new Date(yearAhead.getTime() + MINUTE).toISOString(), 'The send time must be between 1 minute and 1 year from now'],
    ];
    for (const [sendAt, message] of cases) {
      const body = await post(A(), 'mailMessages:schedule', { ...values, sendAt }, 400);
      expect(body.errors[0], String(sendAt)).toEqual({ message, field: 'sendAt' });
    }
    const zh = await A().post('/api/mailMessages:schedule').set('X-Locale', 'zh-CN').send({ ...values, sendAt: 'soon' });
    expect(zh.body.errors[0].message).toBe('请选择邮件的发送时间');
    const noOne = await post(A(), 'mailMessages:schedule', { ...values, to: '', sendAt: inMinutes(5).toISOString() }, 400);
    expect(noOne.errors[0].field).toBe('to');
    expect(providerDrafts('gmail')).toHaveLength(drafts);
    // The edges are accepted: 1 minute ahead, and an offset other than Z.
    const soon = (await post(A(), 'mailMessages:schedule', { ...values, sendAt: new Date(Date.now() + MINUTE).toISOString() })).data;
    const paris = new Date(Date.now() + 2 * 60 * MINUTE);
    const local = `${new Date(paris.getTime() + 2 * 60 * MINUTE).toISOString().slice(0, 19)}+02:00`;
    const rescheduled = (await post(A(), 'mailMessages:schedule', { ...values, draftId: soon.id, sendAt: local })).data;
    expect(new Date(rescheduled.scheduledAt).getTime()).toBe(Math.floor(paris.getTime() / 1000) * 1000);
    await post(A(), `mailMessages:deleteDraft?filterByTk=${soon.id}`, {});
  });

  it("is personal: another user's account or draft is not found, anonymous is 401", async () => {
    const scheduled = await schedule('gmail', 'Mine to send');
    const B = world.as.memberB;
    expect((await post(B, 'mailMessages:schedule', { accountId: world.accounts.gmail, to: 'x@x.test', sendAt: inMinutes(5).toISOString() }, 404)).errors[0].message).toBe('Mail account not found');
    for (const other of [B, world.as.admin]) {
      await post(other, `mailMessages:cancelSchedule?filterByTk=${scheduled.id}`, {}, 404);
      expect(await scheduledList(other)).toEqual([]);
    }
    expect((await world.as.anonymous.post('/api/mailMessages:schedule').send({})).status).toBe(401);
    expect((await world.as.anonymous.post(`/api/mailMessages:cancelSchedule?filterByTk=${scheduled.id}`).send({})).status).toBe(401);
    expect((await world.as.anonymous.get('/api/mailMessages:listScheduled')).status).toBe(401);
    expect(await row(scheduled.id)).toMatchObject({ scheduleStatus: 'scheduled' });
    await post(A(), `mailMessages:deleteDraft?filterByTk=${scheduled.id}`, {});
  });
});
