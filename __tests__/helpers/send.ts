import crypto from 'node:crypto';
import { expect } from 'vitest';
import { summarize } from '../../dev/emulators';
import { eml, PIXEL_PNG } from './threads';
import { mailWorld, MailWorld } from './world';

/** The mailboxes of the send tests: one Gmail account with a verified alias, one Outlook account. */
export const OWNER = { gmail: 'sam@gmail.test', outlook: 'sam@outlook.test' } as const;
export const ALIAS = { email: 'sales@gmail.test', displayName: 'Sales Team' };
export type Provider = keyof typeof OWNER;
export const PROVIDERS: Provider[] = ['gmail', 'outlook'];
export const INVOICE = Buffer.from('%PDF-1.4 invoice 42\n'.repeat(50));

export type SendWorld = MailWorld<Provider>;

/**
 * Both emulators, a real app (ACL on; `plugins` as createApp's) with member A's two accounts connected and synced. Each
 * mailbox holds "Order 42" from Alice (with a PDF and an inline image), addressed to the owner
 * (to the alias on Gmail) and Bob, with Carol in Cc.
 */
export async function sendWorld(seed: string, plugins?: string[]): Promise<SendWorld> {
  return mailWorld({
    seed,
    plugins,
    google: true,
    microsoft: true,
    users: {
      google: [{ email: OWNER.gmail, displayName: 'Sam Sender', aliases: [ALIAS, { email: 'pending@gmail.test', verificationStatus: 'pending' }] }],
      microsoft: [{ email: OWNER.outlook, displayName: 'Sam Sender' }],
    },
    mailboxes: async ({ google, microsoft }) => {
      for (const provider of PROVIDERS) {
        const recipient = provider === 'gmail' ? `${ALIAS.displayName} <${ALIAS.email}>` : OWNER[provider];
        const original = await eml({
          from: 'Alice Customer <alice@customer.test>',
          to: [recipient, 'Bob Buyer <bob@customer.test>'],
          cc: 'carol@customer.test',
          subject: 'Order 42',
          html: '<p>Invoice attached. <img src="cid:stamp@customer.test"></p>',
          messageId: '<order-1@customer.test>',
          references: '<order-0@customer.test>',
          date: new Date(Date.UTC(2025, 0, 6, 9, 30)),
          attachments: [
            { filename: 'invoice.pdf', content: INVOICE, contentType: 'application/pdf' },
            { filename: 'stamp.png', content: PIXEL_PNG, cid: 'stamp@customer.test', contentType: 'image/png' },
          ],
        });
        (provider === 'gmail' ? google : microsoft).seed(OWNER[provider], { eml: [original], labelIds: () => ['INBOX', 'UNREAD'], folder: () => 'inbox' });
      }
    },
    connect: { gmail: { provider: 'gmail', email: OWNER.gmail }, outlook: { provider: 'outlook', email: OWNER.outlook } },
    sync: true,
  });
}

export const key = () => crypto.randomUUID();

/** POSTs an action as `agent`, expecting `status`; answers the body. */
export async function post(agent: any, action: string, values: Record<string, unknown>, status = 200) {
  const res = await agent.post(`/api/${action}`).send(values);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

export async function upload(agent: any, filename: string, content: Buffer, contentType: string, status = 200) {
  const res = await agent.post('/api/mailAttachments:upload').attach('file', content, { filename, contentType });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return status === 200 ? res.body.data : res.body;
}

/** The stored row of the seeded original. */
export async function originalRow(world: SendWorld, provider: Provider) {
  const row = await world.app.db.getRepository('mailMessages').findOne({ filter: { accountId: world.accounts[provider], subject: 'Order 42' } });
  return row.toJSON();
}

/** The MIME the provider finally sent: Gmail's messages.send upload, or what Graph's /send sent. */
export function lastSentMime(world: SendWorld, provider: Provider) {
  const entries = provider === 'gmail' ? world.google.requests.filter((r) => r.path.endsWith('/messages/send')) : world.microsoft.requests.filter((r) => r.path.endsWith('/send'));
  const entry = entries.filter((r) => r.status && r.status < 300).pop();
  expect(entry?.mime, `no ${provider} send logged`).toBeTruthy();
  return { raw: entry!.mime!, mail: summarize(entry!.mime!) };
}

/** Sends counted at the provider (accepted or not). */
export function sendCalls(world: SendWorld, provider: Provider) {
  return provider === 'gmail'
    ? world.google.requests.filter((r) => r.path.endsWith('/messages/send')).length
    : world.microsoft.requests.filter((r) => /\/messages\/[^/]+\/send$/.test(r.path)).length;
}

export const addressesOf = (list: { address: string }[]) => list.map((a) => a.address.toLowerCase());
