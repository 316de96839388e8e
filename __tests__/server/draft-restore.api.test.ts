import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALIAS, key, originalRow, OWNER, post, sendWorld, SendWorld } from '../helpers/send';

/**
 * Draft restore (S-DRAFT-3) through mailMessages:findDraft on a real app with the ACL on and real
 * drafts saved at the Gmail emulator: the newest unsent draft with the same account and From, the
 * same set of To addresses (case and order ignored, two empty sets equal), and for a reply or
 * forward the same original and mode; nothing while auto-save is off.
 */
describe('draft restore lookup', () => {
  let world: SendWorld;
  const A = () => world.as.memberA;
  const gmail = () => world.accounts.gmail;

  beforeAll(async () => {
    world = await sendWorld('draft-restore');
  });
  afterAll(() => world?.close());

  const find = async (query: Record<string, unknown> | string, agent = A(), status = 200) => {
    const res = await agent.get(`/api/mailMessages:findDraft${typeof query === 'string' ? `?${query}` : ''}`).query(typeof query === 'string' ? {} : query);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return status === 200 ? res.body.data : res.body;
  };
  const save = async (values: Record<string, unknown>) => (await post(A(), 'mailMessages:saveDraft', { accountId: gmail(), html: '<p>draft</p>', ...values })).data.id as number;
  const autoSave = (on: boolean) => post(A(), 'mailComposeSettings:set', { autoSave: on });

  it('finds nothing while auto-save is off', async () => {
    await save({ to: 'off@x.test', subject: 'Written with auto-save off' });
    expect(await find({ accountId: gmail(), to: ['off@x.test'] })).toBeNull();
    await autoSave(true);
    expect(await find({ accountId: gmail(), to: ['off@x.test'] })).toEqual({ draftId: expect.any(Number) });
    await autoSave(false);
    expect(await find({ accountId: gmail(), to: ['off@x.test'] })).toBeNull();
  });

  describe('with auto-save on', () => {
    beforeAll(() => autoSave(true));

    it('matches the same set of To addresses, whatever their case and order, as tokens or a pasted list', async () => {
      const id = await save({ to: 'Bob <BOB@x.test>, carol@x.test', cc: 'dave@x.test', subject: 'To Bob and Carol' });
      expect(await find({ accountId: gmail(), to: ['carol@x.test', 'bob@x.test'] })).toEqual({ draftId: id });
      expect(await find({ accountId: gmail(), to: 'CAROL@X.TEST; Bob Builder <bob@x.test>' })).toEqual({ draftId: id });
      expect(await find(`accountId=${gmail()}&to[]=Bob@x.test&to[]=carol@x.test&to[]=bob@x.test`)).toEqual({ draftId: id });
      expect(await find({ accountId: gmail(), from: OWNER.gmail.toUpperCase(), to: ['bob@x.test', 'carol@x.test'] })).toEqual({ draftId: id });
      // A subset, a superset, or Cc counted as To: not the same set.
      expect(await find({ accountId: gmail(), to: ['bob@x.test'] })).toBeNull();
      expect(await find({ accountId: gmail(), to: ['bob@x.test', 'carol@x.test', 'dave@x.test'] })).toBeNull();
      // Another From (the alias), or another account.
      expect(await find({ accountId: gmail(), from: ALIAS.email, to: ['bob@x.test', 'carol@x.test'] })).toBeNull();
      expect(await find({ accountId: world.accounts.outlook, to: ['bob@x.test', 'carol@x.test'] })).toBeNull();
      // A reply to something is not this new mail.
      const original = await originalRow(world, 'gmail');
      expect(await find({ accountId: gmail(), mode: 'forward', replyToMessageId: original.id, to: ['bob@x.test', 'carol@x.test'] })).toBeNull();
    });

    it('two empty To sets are equal; From tells drafts apart; the newest wins', async () => {
      const plain = await save({ subject: 'Nobody yet' });
      const fromAlias = await save({ from: ALIAS.email, subject: 'Nobody yet, from the alias' });
      expect(await find({ accountId: gmail() })).toEqual({ draftId: plain });
      expect(await find({ accountId: gmail(), to: [] })).toEqual({ draftId: plain });
      expect(await find({ accountId: gmail(), from: ALIAS.email })).toEqual({ draftId: fromAlias });

      const newer = await save({ subject: 'Nobody yet, again' });
      expect(await find({ accountId: gmail() })).toEqual({ draftId: newer });
      // Saving the older one again makes it the newest.
      await save({ draftId: plain, subject: 'Nobody yet (edited)' });
      expect(await find({ accountId: gmail() })).toEqual({ draftId: plain });
    });

    it('for a reply or forward: the same original and the same mode', async () => {
      const original = await originalRow(world, 'gmail');
      const reply = (await A().get('/api/mailMessages:replyDraft').query({ filterByTk: original.id, mode: 'reply' })).body.data;
      const id = await save({ ...reply, attachments: undefined, replyToMessageId: original.id, html: `<p>Working on it</p>${reply.html}` });
      const query = { accountId: gmail(), from: reply.from, to: reply.to.map((a: any) => a.address), replyToMessageId: original.id };
      expect(await find({ ...query, mode: 'reply' })).toEqual({ draftId: id });
      // Mode defaults to reply when an original is named.
      expect(await find(query)).toEqual({ draftId: id });
      expect(await find({ ...query, mode: 'replyAll' })).toBeNull();
      expect(await find({ ...query, mode: 'forward' })).toBeNull();
      expect(await find({ ...query, mode: 'new', replyToMessageId: undefined })).toBeNull();
      // Another original (the lookup reads drafts only: the id need not exist).
      expect(await find({ ...query, replyToMessageId: original.id + 1000 })).toBeNull();
    });

    it('offers neither a draft waiting in the schedule nor one that was sent', async () => {
      const scheduled = (
        await post(A(), 'mailMessages:schedule', { accountId: gmail(), to: 'later@x.test', html: '<p>x</p>', sendAt: new Date(Date.now() + 60 * 60 * 1000).toISOString() })
      ).data;
      expect(await find({ accountId: gmail(), to: ['later@x.test'] })).toBeNull();
      await post(A(), `mailMessages:cancelSchedule?filterByTk=${scheduled.id}`, {});
      expect(await find({ accountId: gmail(), to: ['later@x.test'] })).toEqual({ draftId: scheduled.id });

      const sent = await save({ to: 'sent@x.test', subject: 'Gone' });
      expect(await find({ accountId: gmail(), to: ['sent@x.test'] })).toEqual({ draftId: sent });
      await post(A(), 'mailMessages:send', { accountId: gmail(), to: 'sent@x.test', subject: 'Gone', html: '<p>x</p>', draftId: sent, idempotencyKey: key() });
      expect(await find({ accountId: gmail(), to: ['sent@x.test'] })).toBeNull();
    });

    it("is personal: another user's account is not found; bad input is 400; anonymous 401", async () => {
      const B = world.as.memberB;
      await post(B, 'mailComposeSettings:set', { autoSave: true });
      const body = await find({ accountId: gmail(), to: ['bob@x.test', 'carol@x.test'] }, B, 404);
      expect(body.errors[0]).toEqual({ message: 'Mail account not found', field: 'accountId' });
      await find({ accountId: gmail() }, world.as.admin, 404);
      expect((await find({ accountId: gmail(), mode: 'sideways' }, A(), 400)).errors[0].field).toBe('mode');
      expect((await world.as.anonymous.get('/api/mailMessages:findDraft').query({ accountId: gmail() })).status).toBe(401);
    });
  });
});
