/**
 * Realistic mailboxes in bulk for benches and `npm start`: RFC 5322 messages built with
 * nodemailer's MailComposer (the same composer the plugin sends with), from a seeded random
 * source so the same options give the same mailbox. Conversations (replies with In-Reply-To and
 * References), text + HTML bodies, attachments, inline images, non-ASCII names and subjects,
 * mail sent by the user, read/starred flags and a spread of dates.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { pick, randomHex, randomInt, seededRandom, type Random } from './random';
import type { Box, SeedMessage } from './seed';

export interface GenerateOptions {
  count: number;
  /** Share of messages with attachments (default 0.15). */
  withAttachmentsRatio?: number;
  /** Share of messages that reply to an earlier one (default 0.3). */
  threadsRatio?: number;
  /** Dates are spread between start and end (default: the year before now). */
  start?: Date;
  end?: Date;
  seed?: string | number;
  /** Share written by the mailbox owner (sent mail; default 0.1). */
  sentRatio?: number;
  /** Share of received mail already read (default 0.7). */
  readRatio?: number;
  /** Default 0.05. */
  starredRatio?: number;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Barbara', 'José', 'Zoë', 'Søren', 'Amélie', 'Hiroshi', 'Wei', 'Priya', 'Olu', 'Marta', 'Ivan', 'Fatima', 'Noah'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Liskov', 'García', 'Müller', 'Kierkegaard', 'Dubois', 'Tanaka', 'Wang', 'Patel', 'Adeyemi', 'Nowak', 'Petrov'];
const DOMAINS = ['example.com', 'contoso.test', 'fabrikam.test', 'northwind.test', 'example.org', 'mail.example.net'];
const TOPICS = ['Quarterly report', 'Lunch on Friday?', 'Invoice #{n}', 'Project kickoff', 'Your order {n} has shipped', 'Meeting notes', 'Contract draft v{n}', 'Travel plans', 'Überprüfung der Unterlagen', 'Réunion de lundi', '見積書の件', 'Budget {n}', 'Welcome aboard', 'Re-scheduling our call'];
const SENTENCES = [
  'Thanks for the quick reply.',
  'Please find the details below.',
  'Could you take a look before Thursday?',
  'I have attached the latest version.',
  'Let me know if anything is unclear.',
  'We agreed to move the deadline by a week.',
  'The numbers look better than last quarter.',
  'Can we meet at 10:30 instead?',
  'Grüße aus Berlin — bis bald!',
  'Merci beaucoup pour votre aide.',
  'よろしくお願いします。',
  'Budget: €12,400 (incl. VAT).',
];
const FILES: [string, string][] = [
  ['report.pdf', 'application/pdf'],
  ['photo.jpg', 'image/jpeg'],
  ['notes.txt', 'text/plain'],
  ['data.csv', 'text/csv'],
  ['slides.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['Angebot März.pdf', 'application/pdf'],
];
const CHUNK = 200;

interface Person {
  name: string;
  address: string;
}

interface Draft {
  person: Person;
  to: Person;
  subject: string;
  messageId: string;
  references: string[];
}

export async function generateMessages(owner: Person, options: GenerateOptions): Promise<SeedMessage[]> {
  const random = seededRandom(options.seed ?? 'mailbox');
  const end = options.end?.getTime() ?? Date.now();
  const start = options.start?.getTime() ?? end - 365 * 86_400_000;
  const contacts = Array.from({ length: 60 }, () => person(random));
  const dates = Array.from({ length: options.count }, () => start + Math.floor(random() * Math.max(1, end - start))).sort((a, b) => a - b);
  const noise = Buffer.from(Array.from({ length: 65_536 }, () => Math.floor(random() * 256)));
  const drafts: Draft[] = [];
  const out: SeedMessage[] = [];
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < options.count; i++) {
    const parent = drafts.length && random() < (options.threadsRatio ?? 0.3) ? drafts[Math.max(0, drafts.length - randomInt(random, 1, 40))] : undefined;
    const fromOwner = parent ? parent.person.address !== owner.address && random() < 0.5 : random() < (options.sentRatio ?? 0.1);
    const other = parent ? (parent.person.address === owner.address ? parent.to : parent.person) : pick(random, contacts);
    const from = fromOwner ? owner : other;
    const to = fromOwner ? other : owner;
    const subject = parent ? `Re: ${parent.subject.replace(/^(re:\s*)+/i, '')}` : pick(random, TOPICS).replace('{n}', String(randomInt(random, 100, 9999)));
    const domain = from.address.split('@')[1];
    const messageId = `<${randomHex(random, 24)}.${i}@${domain}>`;
    const references = parent ? [...parent.references, parent.messageId].slice(-10) : [];
    drafts.push({ person: from, to, subject, messageId, references });
    const paragraphs = Array.from({ length: randomInt(random, 1, 4) }, () => Array.from({ length: randomInt(random, 1, 4) }, () => pick(random, SENTENCES)).join(' '));
    const attachments: any[] = [];
    if (random() < (options.withAttachmentsRatio ?? 0.15)) {
      for (let n = randomInt(random, 1, 3); n > 0; n--) {
        const [filename, contentType] = pick(random, FILES);
        const size = randomInt(random, 512, 40_000);
        const offset = randomInt(random, 0, noise.length - 1);
        const content = Buffer.concat([noise.subarray(offset), noise]).subarray(0, size);
        attachments.push({ filename, contentType, content });
      }
    }
    let html = `<div>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p>— ${escapeHtml(from.name)}</p></div>`;
    if (random() < 0.05) {
      const cid = `${randomHex(random, 12)}@inline`;
      attachments.push({ filename: 'logo.png', contentType: 'image/png', content: noise.subarray(0, 800), cid });
      html += `<img src="cid:${cid}" alt="logo">`;
    }
    const box: Box = fromOwner ? 'sent' : pickBox(random);
    const message: SeedMessage = { raw: Buffer.alloc(0), box, date: new Date(dates[i]), read: fromOwner || random() < (options.readRatio ?? 0.7), starred: random() < (options.starredRatio ?? 0.05) };
    out.push(message);
    const composer = new MailComposer({
      from: { name: from.name, address: from.address },
      to: [{ name: to.name, address: to.address }],
      ...(random() < 0.15 ? { cc: [pick(random, contacts)].map((p) => ({ name: p.name, address: p.address })) } : {}),
      subject,
      messageId,
      date: new Date(dates[i] - randomInt(random, 1_000, 120_000)),
      ...(parent ? { inReplyTo: parent.messageId, references: references.join(' ') } : {}),
      text: `${paragraphs.join('\n\n')}\n\n-- \n${from.name}`,
      html,
      attachments,
    });
    jobs.push(build(composer).then((raw) => void (message.raw = raw)));
    // Bounded in-flight builds: all 10,000 at once is slower (stream overhead) and uses more memory.
    if (jobs.length >= CHUNK) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
  return out;
}

function pickBox(random: Random): Box {
  const roll = random();
  if (roll < 0.78) return 'inbox';
  if (roll < 0.96) return 'archive';
  return roll < 0.98 ? 'spam' : 'trash';
}

function person(random: Random): Person {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const local = `${first}.${last}`.normalize('NFD').replace(/[^\w.]/g, '').toLowerCase();
  return { name: `${first} ${last}`, address: `${local}${randomInt(random, 1, 99)}@${pick(random, DOMAINS)}` };
}

function build(composer: MailComposer): Promise<Buffer> {
  return new Promise((resolve, reject) => composer.compile().build((error, raw) => (error ? reject(error) : resolve(raw as Buffer))));
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
