/**
 * The Email blocks' test world: a real app (acl on, real users and roles), the Gmail emulator,
 * member A's and member B's mailboxes synced through the real SDK, with addresses in every role
 * and in mixed case, replies, a sent mail with Bcc, and an attachment.
 */
import { MockServer } from '@nocobase/test';
import { noMailAgent } from './app';
import { pluginOf } from './mail';
import { eml } from './threads';
import { mailWorld, MailWorld } from './world';

export const ANN = 'ann@gmail.test';
export const BEN = 'ben@gmail.test';

const withBcc = (bcc: string, raw: Buffer) => Buffer.concat([Buffer.from(`Bcc: ${bcc}\r\n`), raw]);
const day = (n: number) => new Date(Date.UTC(2025, 2, n, 9));

/** A's mailbox: [eml options, Gmail labels]. */
async function annMail(): Promise<[Buffer, string[]][]> {
  return [
    [await eml({ from: 'Acme Buyer <Buyer@ACME.com>', to: ANN, cc: 'carol@beta.io', subject: 'Order 1', text: 'Please send 10.', messageId: '<o1@acme.com>', date: day(1) }), ['INBOX']],
    [
      // MailComposer leaves Bcc out of the bytes; a sent mail's copy keeps it.
      withBcc('Audit <AUDIT@sub.acme.com>', await eml({
        from: ANN,
        to: 'buyer@acme.com',
        subject: 'Re: Order 1',
        text: 'On its way.',
        messageId: '<r1@gmail.test>',
        inReplyTo: '<o1@acme.com>',
        references: '<o1@acme.com>',
        date: day(2),
        attachments: [{ filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4 invoice'), contentType: 'application/pdf' }],
      })),
      ['SENT'],
    ],
    [await eml({ from: 'dave@Beta.io', to: ANN, cc: 'BUYER@acme.com', subject: 'Beta news', text: 'News.', messageId: '<b1@beta.io>', date: day(3) }), ['INBOX']],
    [await eml({ from: 'eve@gamma.org', to: ANN, replyTo: 'buyer@acme.com', subject: 'Gamma offer', text: 'Offer.', messageId: '<g1@gamma.org>', date: day(4) }), ['INBOX']],
    [await eml({ from: ANN, to: 'frank@sub.acme.com', subject: 'Subdomain hello', text: 'Hi.', messageId: '<s1@gmail.test>', date: day(5) }), ['SENT']],
    [await eml({ from: 'sale_100%@promo.test', to: ANN, subject: 'Weird 100%_off', text: 'Spam.', messageId: '<w1@x.test>', date: day(6) }), ['INBOX']],
  ];
}

async function benMail(): Promise<[Buffer, string[]][]> {
  return [
    [await eml({ from: 'buyer@acme.com', to: BEN, subject: 'B order', text: 'For Ben.', messageId: '<bo@acme.com>', date: day(7) }), ['INBOX']],
    [await eml({ from: 'zed@zeta.net', to: BEN, subject: 'B other', text: 'Zeta.', messageId: '<bz@zeta.net>', date: day(8) }), ['INBOX']],
  ];
}

export interface BlocksWorld extends TwoMailboxes {
  noMail: any;
}

/** A seeded mailbox: raw messages with their Gmail labels. */
export type SeededMail = [Buffer, string[]][];

/** What both worlds share: the Gmail emulator with Ann's and Ben's mailboxes, an app, both accounts connected and imported. */
export interface TwoMailboxes extends MailWorld<'ann' | 'ben'> {
  annAccount: number;
  benAccount: number;
}

/** `plugins`: the app's NocoBase plugins besides this one (createApp's default when omitted). */
export async function twoMailboxes(seed: string, mail: { ann: SeededMail; ben: SeededMail }, plugins?: string[]): Promise<TwoMailboxes> {
  const world = await mailWorld({
    seed,
    google: true,
    users: { google: [ANN, BEN] },
    mailboxes: ({ google }) => {
      for (const [email, seeded] of [[ANN, mail.ann], [BEN, mail.ben]] as const) {
        google.seed(email, { eml: seeded.map(([raw]) => raw), labelIds: seeded.map(([, labels]) => labels) });
      }
    },
    plugins,
    connect: { ann: { provider: 'gmail', email: ANN }, ben: { provider: 'gmail', email: BEN, by: 'memberB' } },
    sync: true,
  });
  return { ...world, annAccount: world.accounts.ann, benAccount: world.accounts.ben };
}

export async function blocksWorld(seed: string): Promise<BlocksWorld> {
  const world = await twoMailboxes(seed, { ann: await annMail(), ben: await benMail() });
  return { ...world, noMail: await noMailAgent(world.app) };
}

const json = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
const list = (v: any) => {
  const parsed = json(v);
  return Array.isArray(parsed) ? parsed : parsed ? [parsed] : [];
};

/**
 * The expected answer of a filter, computed straight from mailMessages' own JSON columns (not
 * from the participants index): the ids of the mails of these accounts where `test` holds.
 */
export async function directIds(app: MockServer, accountIds: number[], test: (roles: Record<string, string[]>) => boolean) {
  const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { accountId: accountIds }, raw: true });
  return rows
    .filter((r) => {
      const roles: Record<string, string[]> = {};
      for (const role of ['from', 'to', 'cc', 'bcc', 'replyTo']) roles[role] = list(r[role]).map((a: any) => String(a.address).toLowerCase());
      return test(roles);
    })
    .map((r) => Number(r.id))
    .sort((a, b) => a - b);
}

/** The participants index as (messageId, role, address) triples, sorted. */
export async function participantTriples(app: MockServer, where: Record<string, unknown> = {}) {
  const rows: any[] = await app.db.getCollection('mailMessageParticipants').model.findAll({ where, raw: true });
  return rows.map((r) => `${r.messageId}|${r.role}|${r.address}|${r.domain}|${r.accountId}`).sort();
}

/** What the index must hold, rebuilt by hand from mailMessages. */
export async function expectedTriples(app: MockServer) {
  const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ raw: true });
  const out = new Set<string>();
  for (const r of rows) {
    for (const role of ['from', 'to', 'cc', 'bcc', 'replyTo']) {
      for (const a of list(r[role])) {
        const address = String(a.address).toLowerCase();
        out.add(`${r.id}|${role}|${address}|${address.split('@').pop()}|${r.accountId}`);
      }
    }
  }
  return [...out].sort();
}

export const idsOf = (res: any) => (res.body.data as any[]).map((r) => r.id).sort((a: number, b: number) => a - b);

export { pluginOf };
