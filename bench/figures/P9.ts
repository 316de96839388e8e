/**
 * P9: IMAP (S-IMAP-1/2) against real servers (dev/mail-servers: Dovecot + Postfix on loopback),
 * into a real app on SQLite (a file DB, as the other figures):
 * - fill (set-up, reported as fill_s): 10,000 generated RFC 822 messages APPENDed over IMAP,
 *   9,000 to INBOX and 1,000 to a folder of the user's own ("Projects"), by FILL_CONNECTIONS
 *   concurrent connections (imapflow has no MULTIAPPEND). Small realistic mail: varied senders,
 *   subjects and INTERNALDATEs over the last year, threads by Message-ID/In-Reply-To/References,
 *   some HTML, a few attachments, some \Seen and \Flagged;
 * - first import: the account connected through the API (`mailAccounts:connectServer`), then
 *   `runLocked(id, 'initial')` until its stage is idle with all 10,000 stored, timed on the wall
 *   clock: imap_first_import_msgs_per_min (target 20,000), with the IMAP commands the runs sent
 *   (their mailSyncLogs `apiCalls`, the provider's `calls`), how many logins (connections) and
 *   which commands (import_command_counts); the steps of a run share one login (imap-provider.ts). import_feed_s is the time inside the change feed's
 *   steps (connect, SEARCH, FETCH, MIME parsing), import_rest_s the rest (database, engine);
 *   raw_fetch_s what Dovecot alone takes to hand out all 10,000 whole (one connection, 100 per
 *   FETCH, nothing parsed), measured after the import; imap_connection_ms what one connection of
 *   the plugin costs (openImap + closeImap: TLS, login, ID, NAMESPACE, ENABLE, LOGOUT), median;
 *   mime_parse_s what parsing the 10,000 alone takes (parseMimeOffThread, as the feed does);
 * - incremental: one mail delivered by Postfix (SMTP), then, once it is in the Inbox, one
 *   `runLocked(id, 'incremental')`: its `durationMs` (incremental_ms, target 200) and its IMAP
 *   commands (incremental_commands, logins included; incremental_command_list names them);
 *   INCREMENTAL_RUNS runs, medians printed (the beat of an account no IDLE watches: a login each);
 * - IDLE: the watcher started (`imapIdle.tick()`; scheduler off, so a change runs the sync at
 *   once), then one mail delivered by Postfix; idle_latency_ms is from the SMTP send to the mail
 *   stored (DB polled every 20 ms), target 3,000; idle_delivery_ms from the send to the mail seen
 *   in the Inbox by STATUS (Postfix + LMTP, the part the plugin cannot change), idle_notify_ms
 *   from the send to the EXISTS a second IDLE client of the bench's own got. IDLE_RUNS runs.
 *   The sync each push triggered (the run that added the mail, from its mailSyncLogs row):
 *   idle_sync_commands (target 2: EXAMINE + UID FETCH on the warm session, Inbox only) and
 *   idle_sync_ms (target 200), medians; idle_sync_command_list names the commands of the last.
 */
import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { pick, randomInt, seededRandom, type Random } from '../../dev/emulators/shared/random';
import { startMailServers, type MailServers } from '../../dev/mail-servers';
import { parseMimeOffThread } from '../../src/server/mime/parse-thread';
import { closeImap, openImap } from '../../src/server/providers/imap/connection';
import { ImapProvider } from '../../src/server/providers/imap/imap-provider';
import type { Figure } from '../figures';
import { checkRun, createApp, fixed, median, perMinute, SINCE, timed, useDatabase } from '../setup';

const COUNT = 10_000;
const CUSTOM_FOLDER = 'Projects';
/** Every CUSTOM_EVERY-th message goes to the custom folder: 10%. */
const CUSTOM_EVERY = 10;
const FILL_CONNECTIONS = 4;
const IMPORT_TARGET = 20_000;
const INCREMENTAL_TARGET_MS = 200;
const IDLE_TARGET_MS = 3_000;
const IDLE_SYNC_TARGET_COMMANDS = 2;
const IDLE_SYNC_TARGET_MS = 200;
const INCREMENTAL_RUNS = 3;
const IDLE_RUNS = 3;
/** A first import that needs more runs than this is broken, not slow. */
const MAX_IMPORT_RUNS = 20;
const PASSWORD = 'p9-secret';
const LOGIN_SAMPLES = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Generated mail

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Barbara', 'José', 'Zoë', 'Søren', 'Amélie', 'Hiroshi', 'Wei', 'Priya', 'Olu', 'Margaret', 'Edsger'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Liskov', 'García', 'Müller', 'Kierkegaard', 'Dubois', 'Tanaka', 'Zhang', 'Patel', 'Adeyemi', 'Hamilton', 'Dijkstra'];
const DOMAINS = ['example.com', 'contoso.test', 'fabrikam.test', 'northwind.test', 'acme.test', 'globex.test', 'initech.test', 'umbrella.test'];
const TOPICS = [
  'Quarterly report',
  'Lunch on Friday?',
  'Invoice #{n}',
  'Project kickoff',
  'Your order #{n} has shipped',
  'Meeting notes {n}',
  'Contract draft v{n}',
  'Travel plans',
  'Budget {n}',
  'Re-org announcement',
  'Server maintenance window',
  'Offer for {n} licences',
  'Welcome aboard!',
  'Fw: slides',
];
const SENTENCES = [
  'Thanks for the quick turnaround on this.',
  'Please find the figures for last month below.',
  'Could we move the call to Thursday afternoon?',
  'I have attached the latest version for your review.',
  'Let me know if anything is unclear or missing.',
  'The customer confirmed the delivery date this morning.',
  'We are still waiting for legal to sign off on the changes.',
  'Attendance was good and the feedback mostly positive.',
  'The numbers look better than expected, mainly thanks to the new region.',
  'I will be out of office next week with limited access to email.',
  'Can you double-check the totals in the second table?',
  'Here is a short summary of what we agreed on.',
  'Happy to discuss this in more detail whenever suits you.',
  'Looping in Katherine, who owns the integration work.',
];
const ATTACHMENTS: [string, string][] = [
  ['report.pdf', 'application/pdf'],
  ['photo.jpg', 'image/jpeg'],
  ['figures.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['notes.txt', 'text/plain'],
];

interface Sent {
  messageId: string;
  references: string[];
  subject: string;
}

interface Generated {
  folder: string;
  raw: Buffer;
  date: Date;
  flags: string[];
}

const person = (random: Random) => {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const local = `${first}.${last}`.normalize('NFD').replace(/[^\w.]/g, '').toLowerCase();
  return { name: `${first} ${last}`, address: `${local}@${pick(random, DOMAINS)}` };
};
/** A display name as an RFC 2047 encoded word when it is not ASCII. */
const mailbox = (p: { name: string; address: string }) =>
  /^[\x20-\x7e]*$/.test(p.name) ? `"${p.name}" <${p.address}>` : `=?UTF-8?B?${Buffer.from(p.name).toString('base64')}?= <${p.address}>`;
const encodedSubject = (subject: string) => (/^[\x20-\x7e]*$/.test(subject) ? subject : `=?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`);
const wrap76 = (text: string) => text.replace(/.{1,76}/g, '$&\r\n');

function generateMailbox(to: string, seed: string): Generated[] {
  const random = seededRandom(seed);
  const now = Date.now();
  const sent: Sent[] = [];
  const out: Generated[] = [];
  for (let i = 0; i < COUNT; i++) {
    const from = person(random);
    const date = new Date(now - Math.floor(random() * 365 * 24 * 3600 * 1000));
    // A quarter are replies in an earlier conversation (a recent one, as mail is).
    const parent = sent.length && random() < 0.25 ? sent[randomInt(random, Math.max(0, sent.length - 300), sent.length - 1)] : null;
    const subject = parent ? `Re: ${parent.subject.replace(/^Re: /, '')}` : pick(random, TOPICS).replace('{n}', String(randomInt(random, 100, 9999)));
    const messageId = `<p9.${i}.${randomInt(random, 1e6, 9e6)}@${from.address.split('@')[1]}>`;
    const references = parent ? [...parent.references, parent.messageId].slice(-10) : [];
    sent.push({ messageId, references, subject });
    const cc = random() < 0.2 ? [person(random)] : [];
    const paragraphs = Array.from({ length: randomInt(random, 1, 5) }, () =>
      Array.from({ length: randomInt(random, 1, 4) }, () => pick(random, SENTENCES)).join(' '),
    );
    const text = `Hi,\r\n\r\n${paragraphs.join('\r\n\r\n')}\r\n\r\nBest,\r\n${from.name}\r\n`;
    const headers = [
      `From: ${mailbox(from)}`,
      `To: ${to}`,
      ...(cc.length ? [`Cc: ${cc.map(mailbox).join(', ')}`] : []),
      `Subject: ${encodedSubject(subject)}`,
      `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: ${messageId}`,
      ...(parent ? [`In-Reply-To: ${parent.messageId}`, `References: ${references.join(' ')}`] : []),
      'MIME-Version: 1.0',
    ];
    const textPart = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text].join('\r\n');
    const withHtml = random() < 0.3;
    const body = withHtml
      ? (() => {
          const html = `<html><body><p>Hi,</p>${paragraphs.map((p) => `<p>${p}</p>`).join('')}<p>Best,<br>${from.name}</p></body></html>`;
          return multipart('alternative', [textPart, ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', html].join('\r\n')], i);
        })()
      : textPart;
    let raw: string;
    if (random() < 0.05) {
      // A few with an attachment (2–40 KB).
      const [filename, type] = pick(random, ATTACHMENTS);
      const bytes = Buffer.alloc(randomInt(random, 2_000, 40_000));
      for (let b = 0; b < bytes.length; b += 4) bytes.writeUInt32LE((random() * 2 ** 32) >>> 0, Math.min(b, bytes.length - 4));
      const attachment = [
        `Content-Type: ${type}; name="${filename}"`,
        `Content-Disposition: attachment; filename="${filename}"`,
        'Content-Transfer-Encoding: base64',
        '',
        wrap76(bytes.toString('base64')),
      ].join('\r\n');
      raw = `${headers.join('\r\n')}\r\n${multipart('mixed', [body, attachment], i + COUNT)}`;
    } else {
      raw = `${headers.join('\r\n')}\r\n${body}`;
    }
    const flags = [...(random() < 0.7 ? ['\\Seen'] : []), ...(random() < 0.05 ? ['\\Flagged'] : [])];
    out.push({ folder: i % CUSTOM_EVERY === CUSTOM_EVERY - 1 ? CUSTOM_FOLDER : 'INBOX', raw: Buffer.from(raw), date, flags });
  }
  return out;
}

/** A multipart entity (its Content-Type header, a blank line, the parts); `part` is one part's headers + body. */
function multipart(subtype: string, parts: string[], n: number) {
  const boundary = `=_p9_${subtype}_${n}`;
  return [`Content-Type: multipart/${subtype}; boundary="${boundary}"`, '', ...parts.map((p) => `--${boundary}\r\n${p}`), `--${boundary}--`, ''].join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// The servers' side

/** A client of our own on the plain port (loopback counts as secure for Dovecot: no TLS cost). */
async function ownClient(servers: MailServers, user: string) {
  const client = new ImapFlow({
    host: servers.imap.host,
    port: servers.imap.starttlsPort,
    secure: false,
    doSTARTTLS: false,
    auth: { user, pass: PASSWORD },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** APPENDs everything, FILL_CONNECTIONS connections each taking the next message until none is left. */
async function fill(servers: MailServers, user: string, mails: Generated[]) {
  const first = await ownClient(servers, user);
  await first.mailboxCreate(CUSTOM_FOLDER).catch(() => undefined);
  const clients = [first, ...(await Promise.all(Array.from({ length: FILL_CONNECTIONS - 1 }, () => ownClient(servers, user))))];
  let next = 0;
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < mails.length; i = next++) {
          const m = mails[i];
          const done = await client.append(m.folder, m.raw, m.flags, m.date);
          if (!done) throw new Error(`APPEND of message ${i} to ${m.folder} failed`);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.logout().catch(() => c.close())));
  }
}

/** Where the account's servers are, as a user enters them: IMAP with implicit TLS, SMTP with STARTTLS. */
const connectInput = (servers: MailServers) => ({
  imap: { host: servers.imap.host, port: servers.imap.port, security: 'tls' as const },
  smtp: { host: servers.smtp.host, port: servers.smtp.port, security: 'starttls' as const },
});

// ---------------------------------------------------------------------------------------------

export const P9: Figure = {
  id: 'P9',
  description: 'IMAP (Dovecot): first import of 10,000 messages, incremental sync with 1 new mail, IDLE latency',
  async run() {
    // IMAP commands by name, per run: the provider counts them (calls); this also keeps their names.
    // And the time spent in the change feed's steps (connect, SEARCH, FETCH, MIME parsing): the
    // rest of a run is the database's and the engine's.
    const commands: string[] = [];
    let feedMs = 0;
    const mailboxOf = ImapProvider.prototype.mailbox;
    // A provider hands out the same session to the steps of a run: each is wrapped once.
    const wrapped = new WeakSet<object>();
    ImapProvider.prototype.mailbox = function (this: ImapProvider, ...args: Parameters<ImapProvider['mailbox']>) {
      const session = mailboxOf.apply(this, args);
      if (wrapped.has(session)) return session;
      wrapped.add(session);
      const options = (session as unknown as { options?: { countCall?: (command: string) => void } }).options;
      const count = options?.countCall;
      if (options && count) options.countCall = (command) => (commands.push(command), count(command));
      const nextChanges = session.nextChanges.bind(session);
      session.nextChanges = async (...rest) => {
        const start = process.hrtime.bigint();
        try {
          return await nextChanges(...rest);
        } finally {
          feedMs += Number(process.hrtime.bigint() - start) / 1e6;
        }
      };
      return session;
    };
    const byName = () => {
      const counts = new Map<string, number>();
      for (const c of commands) counts.set(c, (counts.get(c) ?? 0) + 1);
      return [...counts].map(([c, n]) => `${c.replace(/ /g, '_')}:${n}`).join(',');
    };

    const started = Date.now();
    const savedEnv = { ...process.env };
    let servers: MailServers | undefined;
    let app: any;
    let sqliteFile: string | undefined;
    let watcher: { tick(): Promise<void>; stop(): Promise<void> } | undefined;
    let probe: ImapFlow | undefined;
    let idler: ImapFlow | undefined;
    let stopIdling = false;
    let smtp: ReturnType<typeof nodemailer.createTransport> | undefined;
    try {
      servers = await startMailServers();
      const ada = await servers.addUser('ada', PASSWORD);
      const bob = await servers.addUser('bob', PASSWORD);

      // 1. Fill.
      const mails = generateMailbox(ada, 'p9');
      const fillMs = await timed(() => fill(servers!, ada, mails));
      probe = await ownClient(servers, ada);
      const countOf = async (path: string) => {
        const status = await probe!.status(path, { messages: true });
        return (status && status.messages) || 0;
      };
      const inboxCount = () => countOf('INBOX');
      const custom = await countOf(CUSTOM_FOLDER);
      const inbox = await inboxCount();
      if (inbox + custom !== COUNT) throw new Error(`the fill left ${inbox} + ${custom} messages, not ${COUNT}`);

      // What parsing them all takes, with the parser the feed uses (in-process below 128 KB).
      const parseMs = await timed(async () => {
        for (const m of mails) await parseMimeOffThread(m.raw);
      });

      // 2. First import.
      sqliteFile = useDatabase('sqlite');
      app = await createApp();
      const plugin = app.pm.get('email-manager');
      const root = await app.db.getRepository('users').findOne({ filter: { id: 1 } });
      const rootAgent = await app.agent().login(root, 'root');
      const set = await rootAgent.post('/api/mailSettings:set').send({ imapEnabled: true, imapAllowedHosts: ['127.0.0.1'] });
      if (set.status !== 200) throw new Error(`mailSettings:set: HTTP ${set.status} ${JSON.stringify(set.body)}`);
      const member = await app.db.getRepository('users').create({ values: { nickname: 'bench', roles: ['member'] } });
      const agent = await app.agent().login(member);
      const connected = await agent.post('/api/mailAccounts:connectServer').send({
        email: ada,
        password: PASSWORD,
        ...connectInput(servers),
        syncStartDate: SINCE,
      });
      if (connected.status !== 200) throw new Error(`connectServer: HTTP ${connected.status} ${JSON.stringify(connected.body)}`);
      const accountId: number = connected.body.data.account.id;
      const stored = () => app.db.getCollection('mailMessages').model.count({ where: { accountId } });
      const stage = async () => (await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId })).get('syncStage');
      const lastLog = async () => app.db.getRepository('mailSyncLogs').findOne({ filter: { accountId }, sort: ['-id'] });

      let importRuns = 0;
      let importCommands = 0;
      commands.length = 0;
      feedMs = 0;
      const importMs = await timed(async () => {
        do {
          if (++importRuns > MAX_IMPORT_RUNS) throw new Error(`the first import did not end in ${MAX_IMPORT_RUNS} runs (${await stored()} stored)`);
          checkRun(await plugin.scheduler.runLocked(accountId, 'initial'), `initial run ${importRuns}`);
          importCommands += Number((await lastLog()).get('apiCalls'));
        } while ((await stage()) !== 'idle' || (await stored()) < COUNT);
      });
      const importLogins = commands.filter((c) => c === 'AUTHENTICATE' || c === 'LOGIN').length;
      const importByName = byName();
      const importFeedMs = feedMs;
      const storedCount = await stored();
      if (storedCount !== COUNT) throw new Error(`stored ${storedCount} of ${COUNT} messages`);

      // What the server alone takes to hand out every message whole (one connection, 100 per
      // FETCH, nothing parsed): the floor under the import's feed time.
      const rawFetchMs = await timed(async () => {
        for (const path of ['INBOX', CUSTOM_FOLDER]) {
          const box = await probe!.mailboxOpen(path, { readOnly: true });
          for (let seq = 1; seq <= box.exists; seq += 100) {
            await probe!.fetchAll(`${seq}:${Math.min(seq + 99, box.exists)}`, { uid: true, flags: true, internalDate: true, size: true, source: true });
          }
        }
        await probe!.mailboxClose();
      });

      // What one connection of the plugin costs (TLS, login, ID, NAMESPACE, ENABLE, LOGOUT): a step
      // of the feed opens one. LOGIN_SAMPLES in a row, the median.
      const login = { kind: 'password' as const, username: ada, password: PASSWORD, ...connectInput(servers) };
      const loginMs: number[] = [];
      for (let i = 0; i < LOGIN_SAMPLES; i++) loginMs.push(await timed(async () => closeImap(await openImap(login))));

      // 3. Incremental with 1 new mail.
      smtp = nodemailer.createTransport({
        host: servers.smtp.host,
        port: servers.smtp.port,
        secure: false,
        requireTLS: true,
        auth: { user: bob, pass: PASSWORD },
        tls: { ca: fs.readFileSync(servers.caCertPath) },
      });
      let sentCount = 0;
      const deliver = (what: string) => {
        const n = ++sentCount;
        return smtp!.sendMail({
          from: `"Bob Builder" <${bob}>`,
          to: ada,
          subject: `P9 ${what} ${n}`,
          messageId: `<p9-${what}-${n}-${Date.now()}@imap.test>`,
          text: `P9 ${what} probe number ${n}.`,
        });
      };
      const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 50) => {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await sleep(everyMs);
        }
      };
      const incrementalMs: number[] = [];
      const incrementalCommands: number[] = [];
      let incrementalList = '';
      for (let run = 1; run <= INCREMENTAL_RUNS; run++) {
        const before = await inboxCount();
        await deliver('incremental');
        await waitFor('the delivered mail in the Inbox', async () => (await inboxCount()) > before, 30_000);
        commands.length = 0;
        const result = checkRun(await plugin.scheduler.runLocked(accountId, 'incremental'), `incremental run ${run}`);
        if (result.added !== 1) throw new Error(`incremental run ${run} added ${result.added} messages, not 1`);
        incrementalMs.push(result.durationMs);
        incrementalCommands.push(Number((await lastLog()).get('apiCalls')));
        incrementalList = commands.join(',').replace(/ /g, '_');
      }

      // 4. IDLE latency. A client of our own IDLEs on the Inbox too: when the server told.
      idler = await ownClient(servers, ada);
      await idler.mailboxOpen('INBOX', { readOnly: true });
      let notified: bigint | undefined;
      idler.on('exists', () => (notified ??= process.hrtime.bigint()));
      const idling = (async () => {
        while (idler?.usable && !stopIdling) await idler.idle();
      })().catch(() => undefined);
      watcher = plugin.imapIdle;
      await watcher!.tick();
      if (!plugin.imapIdle.watching.includes(accountId)) throw new Error('the IDLE watcher did not take the account');
      const idleMs: number[] = [];
      const deliveryMs: number[] = [];
      const notifyMs: number[] = [];
      const idleSyncCommands: number[] = [];
      const idleSyncMs: number[] = [];
      let idleSyncList = '';
      for (let run = 1; run <= IDLE_RUNS; run++) {
        // The IDLE connection is up once the server has the Inbox selected: give it the moment it takes.
        await sleep(500);
        const before = await stored();
        const inboxBefore = await inboxCount();
        const sent = process.hrtime.bigint();
        const since = () => Number(process.hrtime.bigint() - sent) / 1e6;
        let delivered: number | undefined;
        notified = undefined;
        const newestLog = Number((await lastLog())?.get('id') ?? 0);
        commands.length = 0;
        await deliver('idle');
        await waitFor(
          'the pushed mail stored',
          async () => {
            if (delivered === undefined && (await inboxCount()) > inboxBefore) delivered = since();
            return (await stored()) > before;
          },
          15_000,
          20,
        );
        idleMs.push(Math.round(since()));
        deliveryMs.push(Math.round(delivered ?? since()));
        if (notified !== undefined) notifyMs.push(Math.round(Number(notified - sent) / 1e6));
        // The run ends after its commit; the next delivery must find the account free.
        await waitFor('the run to end', async () => !(await plugin.scheduler.isRunning(accountId)), 30_000);
        const pushed = await app.db.getRepository('mailSyncLogs').findOne({ filter: { accountId, id: { $gt: newestLog }, added: { $gt: 0 } }, sort: ['id'] });
        if (!pushed) throw new Error(`IDLE run ${run}: no sync run stored the mail`);
        idleSyncCommands.push(Number(pushed.get('apiCalls')));
        idleSyncMs.push(new Date(pushed.get('endedAt')).getTime() - new Date(pushed.get('startedAt')).getTime());
        idleSyncList = commands.join(',').replace(/ /g, '_');
      }
      stopIdling = true;
      await idler.logout().catch(() => idler?.close());
      await idling;

      return {
        messages: COUNT,
        custom_folder_msgs: custom,
        fill_s: fixed(fillMs / 1000, 1),
        fill_connections: FILL_CONNECTIONS,
        imap_first_import_msgs_per_min: perMinute(COUNT, importMs),
        target: IMPORT_TARGET,
        ratio: fixed(perMinute(COUNT, importMs) / IMPORT_TARGET),
        import_s: fixed(importMs / 1000, 1),
        import_runs: importRuns,
        import_commands: importCommands,
        import_logins: importLogins,
        import_feed_s: fixed(importFeedMs / 1000, 1),
        import_rest_s: fixed((importMs - importFeedMs) / 1000, 1),
        raw_fetch_s: fixed(rawFetchMs / 1000, 1),
        imap_connection_ms: fixed(median(loginMs), 1),
        mime_parse_s: fixed(parseMs / 1000, 1),
        import_command_counts: importByName,
        stored: storedCount,
        incremental_ms: median(incrementalMs),
        incremental_commands: median(incrementalCommands),
        incremental_ms_target: INCREMENTAL_TARGET_MS,
        incremental_runs_ms: incrementalMs.join(','),
        incremental_command_list: incrementalList,
        idle_latency_ms: median(idleMs),
        idle_target_ms: IDLE_TARGET_MS,
        idle_runs_ms: idleMs.join(','),
        idle_delivery_ms: median(deliveryMs),
        idle_notify_ms: notifyMs.length ? median(notifyMs) : 'n/a',
        idle_sync_commands: median(idleSyncCommands),
        idle_sync_commands_target: IDLE_SYNC_TARGET_COMMANDS,
        idle_sync_ms: median(idleSyncMs),
        idle_sync_ms_target: IDLE_SYNC_TARGET_MS,
        idle_sync_runs_ms: idleSyncMs.join(','),
        idle_sync_command_list: idleSyncList,
        total_s: fixed((Date.now() - started) / 1000, 1),
      };
    } finally {
      ImapProvider.prototype.mailbox = mailboxOf;
      await watcher?.stop().catch(() => undefined);
      // A sync the watcher started may still be writing: let it end before the app goes.
      if (app) {
        const plugin = app.pm.get('email-manager');
        for (let i = 0; i < 300 && plugin?.scheduler?.running > 0; i++) await sleep(100);
      }
      await app?.destroy().catch(() => undefined);
      smtp?.close();
      stopIdling = true;
      if (idler?.usable) await idler.logout().catch(() => idler?.close());
      await probe?.logout().catch(() => probe?.close());
      await servers?.close();
      process.env = savedEnv;
      if (sqliteFile) fs.rmSync(sqliteFile, { force: true });
    }
  },
};
