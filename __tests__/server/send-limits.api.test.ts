import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount } from '../helpers/mail';
import { key, lastSentMime, originalRow, OWNER, post, sendCalls, sendWorld, SendWorld, upload } from '../helpers/send';

/**
 * The rules around sending (S-SEND-3, S-SEND-5, S-SEND-9, S-ACL-3, S-ERR-3): idempotency keys,
 * the 25 MB total, Outlook's upload session for files over 3 MB, address and sender checks,
 * another user's account, mail and files, anonymous requests, and accounts that cannot send.
 */
describe('send rules', () => {
  let world: SendWorld;
  const A = () => world.as.memberA;
  const MB = 1024 * 1024;
  const base = (provider: 'gmail' | 'outlook' = 'gmail') => ({ accountId: world.accounts[provider], to: 'dan@x.test', subject: 'Rules', html: '<p>x</p>' });

  beforeAll(async () => {
    world = await sendWorld('send-limits');
  });
  afterAll(() => world?.close());

  it('sends once per idempotency key: a repeat answers the first result, a concurrent one is told it is on its way', async () => {
    const calls = sendCalls(world, 'gmail');
    const values = { ...base(), subject: 'Once only', idempotencyKey: key() };
    const first = (await post(A(), 'mailMessages:send', values)).data;
    const again = (await post(A(), 'mailMessages:send', values)).data;
    expect(again).toEqual(first);
    expect(sendCalls(world, 'gmail')).toBe(calls + 1);

    const racing = { ...base(), subject: 'Racing', idempotencyKey: key() };
    const answers = await Promise.all([A().post('/api/mailMessages:send').send(racing), A().post('/api/mailMessages:send').send(racing)]);
    expect(answers.map((r) => r.status).sort()).toEqual(expect.arrayContaining([200]));
    for (const r of answers.filter((a) => a.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.errors[0].message).toBe('This email is already being sent');
    }
    expect(sendCalls(world, 'gmail')).toBe(calls + 2);
    const missing = await post(A(), 'mailMessages:send', base(), 400);
    expect(missing.errors[0]).toMatchObject({ field: 'idempotencyKey' });
  });

  it('waits out a 429 and sends once; the retry is the only repeat a send gets', async () => {
    const calls = sendCalls(world, 'gmail');
    const sentBefore = world.google.mailboxOf(OWNER.gmail).filter((m) => m.labelIds.includes('SENT')).length;
    world.google.faults.add({ path: /\/messages\/send$/, status: 429, headers: { 'retry-after': '1' } });
    await post(A(), 'mailMessages:send', { ...base(), subject: 'After a 429', idempotencyKey: key() });
    expect(sendCalls(world, 'gmail')).toBe(calls + 2);
    expect(world.google.mailboxOf(OWNER.gmail).filter((m) => m.labelIds.includes('SENT'))).toHaveLength(sentBefore + 1);
  });

  it('refuses files over 25 MB in total with each size, and a single file over 25 MB at upload', async () => {
    const half = Buffer.alloc(13 * MB, 1);
    const one = await upload(A(), 'one.bin', half, 'application/octet-stream');
    const two = await upload(A(), 'two.bin', half, 'application/octet-stream');
    const calls = sendCalls(world, 'gmail');
    const refused = await post(A(), 'mailMessages:send', { ...base(), attachmentIds: [one.id, two.id], idempotencyKey: key() }, 400);
    expect(refused.errors[0]).toEqual({
      message: 'Attachments exceed 25 MB in total',
      field: 'attachments',
      files: [
        { filename: 'one.bin', size: 13 * MB },
        { filename: 'two.bin', size: 13 * MB },
      ],
      total: 26 * MB,
      limit: 25 * MB,
    });
    expect(sendCalls(world, 'gmail')).toBe(calls);
    const tooBig = await upload(A(), 'huge.iso', Buffer.alloc(25 * MB + 1, 2), 'application/octet-stream', 400);
    expect(tooBig.errors[0]).toMatchObject({ message: 'Attachments exceed 25 MB in total', files: [{ filename: 'huge.iso', size: expect.any(Number) }] });
    expect(tooBig.errors[0].files[0].size).toBeGreaterThan(25 * MB);
    // An upload can be dropped from the compose; then it is gone.
    expect(await post(A(), `mailAttachments:deleteUpload?filterByTk=${two.id}`, {})).toEqual({ data: { deleted: 1 } });
    await post(A(), 'mailMessages:send', { ...base(), attachmentIds: [two.id], idempotencyKey: key() }, 404);
  });

  it('attaches an Outlook file over 3 MB through an upload session', async () => {
    const big = Buffer.alloc(4 * MB + 12_345, 7);
    big.write('start', 0);
    big.write('end', big.length - 3);
    const file = await upload(A(), 'scan.tiff', big, 'image/tiff');
    const mark = world.microsoft.requests.length;
    await post(A(), 'mailMessages:send', { ...base('outlook'), subject: 'Big scan', attachmentIds: [file.id], idempotencyKey: key() });
    const requests = world.microsoft.requests.slice(mark);
    expect(requests.filter((r) => r.path.endsWith('/attachments/createUploadSession')).map((r) => r.status)).toEqual([201]);
    const ranges = requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/v2.0/'));
    expect(ranges.map((r) => r.status)).toEqual([200, 201]);
    expect(ranges.every((r) => !r.authorization)).toBe(true);
    const sent = lastSentMime(world, 'outlook').mail.attachments.find((a) => a.filename === 'scan.tiff')!;
    expect(sent.content().equals(big)).toBe(true);
  });

  it('checks every address, the sender and the recipients', async () => {
    const bad = await post(A(), 'mailMessages:send', { ...base(), to: 'ok@x.test, not-an-address', idempotencyKey: key() }, 400);
    expect(bad.errors[0]).toEqual({ message: 'not-an-address is not a email format', field: 'to' });
    const badCc = await post(A(), 'mailMessages:send', { ...base(), cc: ['x@y'], idempotencyKey: key() }, 400);
    expect(badCc.errors[0]).toEqual({ message: 'x@y is not a email format', field: 'cc' });
    const nobody = await post(A(), 'mailMessages:send', { ...base(), to: '', idempotencyKey: key() }, 400);
    expect(nobody.errors[0]).toEqual({ message: 'Please add at least one recipient', field: 'to' });
    // Only verified aliases may be the sender.
    for (const from of ['pending@gmail.test', 'someone@else.test', OWNER.outlook]) {
      const refused = await post(A(), 'mailMessages:send', { ...base(), from, idempotencyKey: key() }, 400);
      expect(refused.errors[0]).toEqual({ message: 'The sender must be the account address or one of its aliases', field: 'from' });
    }
    const badMode = await post(A(), 'mailMessages:send', { ...base(), mode: 'bounce', replyToMessageId: 1, idempotencyKey: key() }, 400);
    expect(badMode.errors[0].field).toBe('mode');
    // Messages come in the reader's language; Bcc alone is enough.
    const zh = await A().post('/api/mailMessages:send').set('X-Locale', 'zh-CN').send({ ...base(), to: 'nope', idempotencyKey: key() });
    expect(zh.body.errors[0].message).toBe('nope 不是有效的邮箱格式');
    await post(A(), 'mailMessages:send', { ...base(), to: [], bcc: 'hidden@x.test', idempotencyKey: key() });
    expect(lastSentMime(world, 'gmail').mail.bcc.map((a) => a.address)).toEqual(['hidden@x.test']);
  });

  it("keeps to one's own accounts, mail, drafts and uploads; anonymous requests are refused", async () => {
    const B = world.as.memberB;
    const notFound = await post(B, 'mailMessages:send', { ...base(), idempotencyKey: key() }, 404);
    expect(notFound.errors[0].message).toBe('Mail account not found');
    await post(B, 'mailMessages:saveDraft', base(), 404);
    const original = await originalRow(world, 'gmail');
    expect((await B.get('/api/mailMessages:replyDraft').query({ filterByTk: original.id, mode: 'reply' })).status).toBe(404);
    const draft = (await post(A(), 'mailMessages:saveDraft', base())).data;
    await post(B, `mailMessages:deleteDraft?filterByTk=${draft.id}`, {}, 404);
    const file = await upload(A(), 'mine.txt', Buffer.from('mine'), 'text/plain');
    const invoice = await world.app.db.getRepository('mailAttachments').findOne({ filter: { messageId: original.id, filename: 'invoice.pdf' } });

    // B with a mailbox of their own still cannot name A's mail, draft, upload or attachment.
    world.google.addUser({ email: 'bee@gmail.test' });
    const bAccount = (await connectAccount(B, world.google, 'gmail', 'bee@gmail.test')).id;
    const asB = { accountId: bAccount, to: 'dan@x.test', subject: 'B', html: '<p>b</p>' };
    const refusals: [Record<string, unknown>, string][] = [
      [{ attachmentIds: [file.id] }, 'Attachment not found'],
      [{ forwardAttachmentIds: [invoice.get('id')] }, 'Attachment not found'],
      [{ mode: 'reply', replyToMessageId: original.id }, 'This email no longer exists'],
      [{ draftId: draft.id }, 'Draft not found'],
    ];
    for (const [extra, message] of refusals) {
      const refused = await post(B, 'mailMessages:send', { ...asB, ...extra, idempotencyKey: key() }, 404);
      expect(refused.errors[0].message, JSON.stringify(extra)).toBe(message);
    }
    // B's delete of an upload only ever looks among B's own: A's file is still there to send.
    expect((await B.post('/api/mailAttachments:deleteUpload').query({ filterByTk: file.id })).status).toBe(200);
    expect((await post(A(), 'mailMessages:send', { ...base(), attachmentIds: [file.id], idempotencyKey: key() })).data.id).toBeTruthy();
    await post(A(), `mailMessages:deleteDraft?filterByTk=${draft.id}`, {});

    const anonymous = world.as.anonymous;
    for (const action of ['mailMessages:send', 'mailMessages:saveDraft', 'mailMessages:deleteDraft', 'mailAttachments:upload', 'mailAttachments:deleteUpload']) {
      expect((await anonymous.post(`/api/${action}`).send({ ...base(), idempotencyKey: key() })).status, action).toBe(401);
    }
    expect((await anonymous.get('/api/mailMessages:replyDraft').query({ filterByTk: original.id })).status).toBe(401);
  });

  it('a paused account cannot send; a revoked grant answers 409, sets reauthorize and sends nothing', async () => {
    const accounts = world.app.db.getRepository('mailAccounts');
    await accounts.update({ filterByTk: world.accounts.outlook, values: { status: 'disabled' } });
    const paused = await post(A(), 'mailMessages:send', { ...base('outlook'), idempotencyKey: key() }, 409);
    expect(paused.errors[0].message).toBe(`The account ${OWNER.outlook} is paused. Resume it to send.`);
    await accounts.update({ filterByTk: world.accounts.outlook, values: { status: 'connected' } });

    const sentBefore = world.google.mailboxOf(OWNER.gmail).filter((m) => m.labelIds.includes('SENT')).length;
    world.google.revokeGrant(OWNER.gmail);
    world.google.expireAccessTokens(OWNER.gmail);
    const message = `The email address ${OWNER.gmail} has an invalid grant. Please reauthorize your account.`;
    const revoked = await post(A(), 'mailMessages:send', { ...base(), idempotencyKey: key() }, 409);
    expect(revoked.errors[0].message).toBe(message);
    expect((await accounts.findOne({ filterByTk: world.accounts.gmail })).get('status')).toBe('reauthorize');
    const calls = sendCalls(world, 'gmail');
    const again = await post(A(), 'mailMessages:send', { ...base(), idempotencyKey: key() }, 409);
    expect(again.errors[0].message).toBe(message);
    expect(sendCalls(world, 'gmail')).toBe(calls);
    expect(world.google.mailboxOf(OWNER.gmail).filter((m) => m.labelIds.includes('SENT'))).toHaveLength(sentBefore);
  });
});
