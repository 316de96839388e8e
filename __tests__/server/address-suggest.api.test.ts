import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noMailAgent } from '../helpers/app';
import { eml } from '../helpers/threads';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * Address autocomplete (S-SEND-4) through the API of a real app with the ACL on: the mailboxes are
 * imported from the Gmail emulator by the real sync, so the rows are what production stores.
 * Suggestions come from the user's own mail only (member B never sees A's correspondents, nor do
 * admin and root), match a prefix of the address or of a name word, ignoring case, leave out the
 * user's own address and spam, rank by frequency and recency, and stop at 10.
 */
const A_MAILBOX = 'writer@gmail.test';
const B_MAILBOX = 'other@gmail.test';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

describe('address suggestions', () => {
  let w: MailWorld<'a' | 'b'>;
  let as: Agents;
  let noMail: any;

  beforeAll(async () => {
    const mailA = [
      // Alice: three mails, ten days back; Albert one yesterday; Amy one more than a year ago.
      await eml({ from: 'Alice Customer <alice@customer.test>', to: A_MAILBOX, subject: 'Order 1', text: '1', date: ago(12) }),
      await eml({ from: 'Alice Customer <alice@customer.test>', to: A_MAILBOX, cc: 'Bob Buyer <bob@customer.test>', subject: 'Order 2', text: '2', date: ago(11) }),
      await eml({ from: A_MAILBOX, to: 'ALICE@customer.test', subject: 'Re: Order 2', text: '3', date: ago(10) }),
      await eml({ from: 'Albert Partner <albert@partner.test>', to: A_MAILBOX, subject: 'Hello', text: '4', date: ago(1) }),
      await eml({ from: 'Amy Old <amy@old.test>', to: A_MAILBOX, subject: 'Long ago', text: '5', date: ago(400) }),
      // Spam is no correspondent.
      await eml({ from: 'Alvin Spammer <alvin@spam.test>', to: A_MAILBOX, subject: 'You won', text: '6', date: ago(2) }),
      // LIKE's wildcards in an address are plain characters.
      await eml({ from: 'Percent <50%off_deals@shop.test>', to: A_MAILBOX, subject: 'Deals', text: '7', date: ago(3) }),
      // Twelve people starting with "zed": ten come back.
      ...(await Promise.all(
        Array.from({ length: 12 }, (_, i) => eml({ from: `zed${String(i + 1).padStart(2, '0')}@many.test`, to: A_MAILBOX, subject: `Z ${i}`, text: 'z', date: ago(20 + i) })),
      )),
    ];
    const mailB = [await eml({ from: 'Alex Other <alex@b-partner.test>', to: B_MAILBOX, subject: 'For B', text: 'b', date: ago(1) })];
    w = await mailWorld({
      seed: 'suggest',
      google: true,
      users: { google: [A_MAILBOX, B_MAILBOX] },
      mailboxes: ({ google }) => {
        google.seed(A_MAILBOX, { eml: mailA, labelIds: (i) => (i === 5 ? ['SPAM'] : i === 2 ? ['SENT'] : ['INBOX']) });
        google.seed(B_MAILBOX, { eml: mailB, labelIds: () => ['INBOX'] });
      },
      connect: { a: { provider: 'gmail', email: A_MAILBOX }, b: { provider: 'gmail', email: B_MAILBOX, by: 'memberB' } },
      sync: true,
    });
    as = w.as;
    noMail = await noMailAgent(w.app);
  });
  afterAll(() => w?.close());

  const suggest = async (agent: any, q: unknown, status = 200) => {
    const res = await agent.get('/api/mailMessages:addresses').query(q === undefined ? {} : { q });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const addresses = async (agent: any, q: string) => (await suggest(agent, q)).data.map((a: any) => a.address);

  it('suggests correspondents whose address or name word starts with the text, ignoring case, best first', async () => {
    // Alice (3 mails, 10–12 days) before Albert (1, yesterday) before Amy (1, a year ago); no spam.
    expect((await suggest(as.memberA, 'AL')).data).toEqual([
      { name: 'Alice Customer', address: 'alice@customer.test' },
      { name: 'Albert Partner', address: 'albert@partner.test' },
    ]);
    expect(await addresses(as.memberA, 'a')).toEqual(['alice@customer.test', 'albert@partner.test', 'amy@old.test']);
    // A name word (Cc of a mail), and a name of two words.
    expect(await addresses(as.memberA, 'buy')).toEqual(['bob@customer.test']);
    expect(await addresses(as.memberA, 'Alice Cu')).toEqual(['alice@customer.test']);
    // The recipient of the user's own sent mail is a correspondent, under its lower-cased address.
    expect(await addresses(as.memberA, 'alice@')).toEqual(['alice@customer.test']);
    // A prefix, not a substring.
    expect(await addresses(as.memberA, 'ustomer')).toEqual([]);
    expect(await addresses(as.memberA, 'customer.test')).toEqual([]);
  });

  it("leaves out the user's own address, spam and nothing-typed; takes LIKE wildcards literally; at most 10", async () => {
    expect(await addresses(as.memberA, 'writer')).toEqual([]);
    expect(await addresses(as.memberA, 'alvin')).toEqual([]);
    expect((await suggest(as.memberA, '')).data).toEqual([]);
    expect((await suggest(as.memberA, '   ')).data).toEqual([]);
    expect((await suggest(as.memberA, undefined)).data).toEqual([]);
    expect(await addresses(as.memberA, '%')).toEqual([]);
    expect(await addresses(as.memberA, '_')).toEqual([]);
    expect(await addresses(as.memberA, '50%off_')).toEqual(['50%off_deals@shop.test']);
    const many = await addresses(as.memberA, 'zed');
    // Newest first among equals: zed01 is the most recent.
    expect(many).toEqual(Array.from({ length: 10 }, (_, i) => `zed${String(i + 1).padStart(2, '0')}@many.test`));
  });

  it("is personal: member B, admin and root never see A's correspondents", async () => {
    expect(await addresses(as.memberB, 'al')).toEqual(['alex@b-partner.test']);
    expect(await addresses(as.memberA, 'alex')).toEqual([]);
    for (const other of [as.admin, as.root]) expect(await addresses(other, 'al')).toEqual([]);
  });

  it('answers 401 anonymous, 403 without the snippet, 400 for bad input', async () => {
    await suggest(as.anonymous, 'al', 401);
    await suggest(noMail, 'al', 403);
    const list = await suggest(as.memberA, ['a', 'b'], 400);
    expect(list.errors[0]).toEqual({ message: 'The search text must be text', field: 'q' });
    const long = await suggest(as.memberA, 'x'.repeat(255), 400);
    expect(long.errors[0]).toEqual({ message: 'The search text has at most 254 characters', field: 'q' });
    const zh = await as.memberA.get('/api/mailMessages:addresses').set('X-Locale', 'zh-CN').query({ q: 'x'.repeat(255) });
    expect(zh.body.errors[0].message).toBe('搜索文本最多 254 个字符');
  });
});
