/**
 * A large stored mailbox without a provider, for the query benches (P4, P7): mail rows written
 * straight into mailMessages as the sync would write them, spread over several accounts of
 * several users, with conversations, boxes, read flags and participants like real mail.
 */
import { seededRandom, pick, randomInt } from '../dev/emulators/shared/random';
import { createApp, useDatabase } from './setup';

export interface VolumeOptions {
  messages: number;
  /** Accounts per user, e.g. [3, 2]: two users, five accounts. */
  accountsPerUser: number[];
}

export interface Volume {
  users: any[];
  accountIds: number[][];
}

const BOXES: [string, number][] = [['inbox', 0.6], ['archive', 0.2], ['sent', 0.1], ['trash', 0.05], ['spam', 0.03], ['drafts', 0.02]];
const PEOPLE = ['ada', 'grace', 'alan', 'katherine', 'linus', 'barbara', 'jose', 'zoe', 'soren', 'amelie', 'hiroshi', 'wei', 'priya', 'olu'];
const DOMAINS = ['example.com', 'contoso.test', 'fabrikam.test', 'northwind.test', 'acme.test', 'globex.test', 'initech.test', 'umbrella.test'];
const TOPICS = ['Quarterly report', 'Lunch on Friday?', 'Invoice', 'Project kickoff', 'Order shipped', 'Meeting notes', 'Contract draft', 'Travel plans', 'Budget'];
const INSERT_CHUNK = 1000;

export async function fillMailVolume(app: any, options: VolumeOptions): Promise<Volume> {
  const random = seededRandom('mail-volume');
  const users: any[] = [];
  const accountIds: number[][] = [];
  for (const [u, count] of options.accountsPerUser.entries()) {
    const user = await app.db.getRepository('users').create({ values: { nickname: `volume-${u}`, roles: ['member'] } });
    users.push(user);
    const ids: number[] = [];
    for (let a = 0; a < count; a++) {
      const account = await app.db.getRepository('mailAccounts').create({
        values: { userId: user.get('id'), provider: a % 2 ? 'outlook' : 'gmail', email: `volume${u}-${a}@example.com`, status: 'connected', syncStage: 'idle' },
      });
      ids.push(Number(account.get('id')));
    }
    accountIds.push(ids);
  }
  const all = accountIds.flat();
  const model = app.db.getCollection('mailMessages').model;
  const start = Date.parse('2025-01-01T00:00:00Z');
  const threadsOf = new Map<number, string[]>();
  let rows: any[] = [];
  for (let i = 0; i < options.messages; i++) {
    const accountId = all[i % all.length];
    const own = `volume-${accountId}@example.com`;
    const threads = threadsOf.get(accountId) || [];
    const reply = threads.length > 0 && random() < 0.3;
    const threadId = reply ? threads[randomInt(random, Math.max(0, threads.length - 200), threads.length - 1)] : `t${accountId}-${i}`;
    if (!reply) threads.push(threadId);
    threadsOf.set(accountId, threads);
    const box = boxOf(random());
    const other = `${pick(random, PEOPLE)}.${pick(random, PEOPLE)}@${pick(random, DOMAINS)}`;
    const from = box === 'sent' || box === 'drafts' ? own : other;
    const to = from === own ? other : own;
    const subject = `${reply ? 'Re: ' : ''}${pick(random, TOPICS)} ${i % 997}`;
    rows.push({
      accountId,
      providerMessageId: `m${i}`,
      threadId,
      labelIds: [box.toUpperCase()],
      box,
      from: { name: from.split('@')[0], address: from },
      to: [{ address: to }],
      cc: [],
      bcc: [],
      replyTo: [],
      participants: ` ${from} ${to} `,
      participantDomains: ` ${from.split('@')[1]} ${to.split('@')[1]} `,
      participantNames: `${from.split('@')[0]} <${from}>, <${to}>`,
      subject,
      snippet: `About ${subject.toLowerCase()}: please find the details below.`,
      text: `Hello,\n\nAbout ${subject}: please find the details below.\n\nRegards`,
      date: new Date(start + Math.floor(random() * 365 * 86_400_000)),
      read: box !== 'inbox' || random() < 0.7,
      starred: random() < 0.05,
      draft: box === 'drafts',
      sent: box === 'sent',
      trashed: box === 'trash',
      archived: box === 'archive',
      hasAttachments: random() < 0.15,
      attachmentsLoaded: true,
      syncMark: 1,
    });
    if (rows.length === INSERT_CHUNK) {
      await model.bulkCreate(rows, { hooks: false });
      rows = [];
    }
  }
  if (rows.length) await model.bulkCreate(rows, { hooks: false });
  // A settled database: autovacuum would have done this after a first import.
  if (app.db.sequelize.getDialect() === 'postgres') await app.db.sequelize.query('VACUUM ANALYZE');
  return { users, accountIds };
}

function boxOf(r: number) {
  let sum = 0;
  for (const [box, share] of BOXES) {
    sum += share;
    if (r < sum) return box;
  }
  return 'inbox';
}

/**
 * The frame of the PostgreSQL query benches (P4, P4b, P7): a fresh app on PostgreSQL filled with
 * the volume, `measure` run on it, then the app destroyed and the environment (the DB_* variables
 * useDatabase sets) restored, also when the measure fails.
 */
export async function measureOnPostgresVolume<R>(options: VolumeOptions, measure: (app: any, volume: Volume) => Promise<R>): Promise<R> {
  const savedEnv = { ...process.env };
  useDatabase('postgres');
  const app = await createApp();
  try {
    return await measure(app, await fillMailVolume(app, options));
  } finally {
    await app.destroy().catch(() => undefined);
    process.env = savedEnv;
  }
}
