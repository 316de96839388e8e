/**
 * Property of the IMAP sync (S-IMAP-2), against a real Dovecot: whatever another mail client does
 * to the mailbox and whatever the network between the app and the server does, after a run that
 * nothing disturbs the stored mailbox equals the server's exactly — every message of every
 * synced folder once, under its `<uidValidity>:<uid>:<path>` id, with its read and starred
 * flags, its folder and box, and its thread id — and nothing else; and a mail that stayed where
 * it was keeps its stored row (a delete and re-add would drop its labels and notes). A run that
 * a fault hit may fail; it must not lose or duplicate mail.
 *
 * The universe of one seed: a mailbox filled from the MIME corpus (Inbox, a folder of the user's
 * own, Archive, Sent, Trash), then rounds of random changes made by a second IMAP client (flags,
 * moves, expunges, appends, mail delivered through Postfix, folders created, renamed and deleted,
 * a new UIDVALIDITY), some of them while a sync runs, and random faults on the way between the
 * app and Dovecot (dev/mail-servers/fault-proxy.ts: a cut connection, a NO or BAD instead of the
 * answer, a slow answer, every connection cut between runs). The account is connected through
 * the proxy, with TLS, like any other.
 *
 * Seeded: the seeds are printed first, and SEED=<n>[,<n>…] replays a failure (or tries others).
 * Changes are made one at a time and each waits for its effect (a delivery until Dovecot has it),
 * so a seed gives the same mailbox every time; only where a change lands inside a run is timing.
 * A failure prints everything that happened; PROP_VERBOSE=1 prints it for a passing seed too.
 */
import fs from 'node:fs';
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../dev/mail-servers';
import { startFaultProxy, type FaultKind, type FaultProxy } from '../../dev/mail-servers/fault-proxy';
import { agents, createApp } from '../helpers/app';
import { corpusFiles } from '../helpers/corpus';
import { RemoteMailbox, type ExpectedMessage, type RemoteMessage } from '../helpers/imap-remote';
import { pluginOf } from '../helpers/mail';
import { differences, random, type Random } from '../helpers/property';
import { eml } from '../helpers/threads';

/**
 * Two fixed universes on SQLite; one on PostgreSQL and MariaDB, where what the database changes
 * (the store's upserts, deletes, re-keys) is covered by the first, and CI's time is counted.
 */
const DEFAULT_SEEDS = (process.env.DB_DIALECT || 'sqlite') === 'sqlite' ? '20261125,8128' : '20261125';
const SEEDS = (process.env.SEED || DEFAULT_SEEDS).split(',').map(Number);
const ROUNDS = 8;
const START_MAILS = 30;
const PASSWORD = 'prop-secret';
/** Where the starting mail goes: the Inbox mostly, like a real mailbox. */
const START_FOLDERS = ['INBOX', 'INBOX', 'INBOX', 'Projects', 'Archive', 'Sent', 'Trash'];
/** Names of folders the changes create: a space, non-ASCII (modified UTF-7 on the wire), a colon (ids end in the path). */
const FOLDER_NAMES = ['Client Work', 'Rechnungen ü', 'Notes: 2025', 'Later'];
/**
 * Commands a fault may refuse (NO/BAD): those of the sync itself. A refused login or ENABLE says
 * "wrong password" or "no such extension", a different account or server, not a passing fault.
 */
const REFUSABLE = ['LIST', 'STATUS', 'EXAMINE', 'SELECT', 'UID FETCH', 'UID SEARCH'];
/** Commands a drop or a delay may hit: any, the login included. */
const ANY = [...REFUSABLE, 'AUTHENTICATE', 'ENABLE', 'NAMESPACE', 'ID', 'LOGOUT'];
const exactly = (name: string) => new RegExp(`^${name}$`);

describe.each(SEEDS)('IMAP sync property (SEED=%s)', (seed) => {
  const rnd = random(seed);
  let servers: MailServers;
  let proxy: FaultProxy;
  let remote: RemoteMailbox;
  let app: MockServer;
  let accountId: number;
  /** What happened so far, printed with a failure. */
  const story: string[] = [];
  /** Row id of each stored message at the last check. */
  let rowIds = new Map<string, number>();
  let serial = 0;
  /** Folders deleted, whose names a new folder may take again. */
  const deleted: string[] = [];
  const tally = { runs: 0, failed: 0, faults: 0, changes: 0 };

  const sync = (kind: 'initial' | 'incremental') => pluginOf(app).scheduler.runLocked(accountId, kind);

  beforeAll(async () => {
    console.info(`IMAP sync property: SEED=${seed} (of ${SEEDS.join(',')}; SEED=<n>[,<n>…] replays)`);
    servers = await startMailServers();
    const email = await servers.addUser('prop', PASSWORD);
    proxy = await startFaultProxy(servers.imap);
    remote = new RemoteMailbox(servers, email, PASSWORD);
    await remote.createFolder('Projects');
    const files = [...corpusFiles()];
    for (let i = 0; i < START_MAILS; i++) {
      const file = files.splice(rnd.int(files.length), 1)[0];
      await remote.append(rnd.pick(START_FOLDERS), fs.readFileSync(file), randomFlags(rnd));
    }
    app = await createApp();
    const as = await agents(app);
    await as.root.post('/api/mailSettings:set').send({ imapEnabled: true, imapAllowedHosts: ['127.0.0.1'] });
    const res = await as.memberA.post('/api/mailAccounts:connectServer').send({
      email,
      password: PASSWORD,
      imap: { host: '127.0.0.1', port: proxy.port, security: 'tls' },
      smtp: { host: servers.smtp.host, port: servers.smtp.port, security: 'starttls' },
      syncStartDate: '2000-01-01T00:00:00Z',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    accountId = res.body.data.account.id;
  }, 180_000);
  afterAll(async () => {
    await app?.destroy();
    await remote?.close();
    await proxy?.close();
    await servers?.close();
  });

  /** A new mail: a corpus message, or a reply to one in the mailbox (its thread id is the root's). */
  const newMail = async (messages: RemoteMessage[]) => {
    const messageId = `<prop-${seed}-${++serial}@imap.test>`;
    const parent = messages.length && rnd.next() < 0.6 ? rnd.pick(messages) : null;
    if (!parent && rnd.next() < 0.5) return { raw: fs.readFileSync(rnd.pick(corpusFiles())), messageId: null };
    const headers = parent ? await remote.headersOf(parent.folder, parent.uid) : null;
    const references = [headers?.references, headers?.messageId].filter(Boolean).join(' ') || undefined;
    const raw = await eml({
      from: 'Carol <carol@example.test>',
      to: remote.email,
      subject: `Mail ${serial}`,
      text: `Random mail ${serial} of seed ${seed}.`,
      messageId,
      ...(headers?.messageId ? { inReplyTo: headers.messageId, references } : {}),
    });
    return { raw, messageId };
  };

  /** One random change by the other client; returns what it did. */
  const randomChange = async (): Promise<string> => {
    const messages = await remote.messages();
    const folders = await remote.folders();
    const paths = folders.map((f) => f.path);
    const custom = folders.filter((f) => !f.box).map((f) => f.path);
    const roll = rnd.int(21);
    const m = messages.length ? rnd.pick(messages) : null;
    const where = m && `${m.folder}#${m.uid}`;
    if (m && roll < 7) {
      const flag = rnd.pick(['\\Seen', '\\Flagged']);
      const on = !m.flags.has(flag);
      await remote.setFlag(m.folder, m.uid, flag, on);
      return `${on ? 'set' : 'clear'} ${flag} on ${where}`;
    }
    if (m && roll < 10) {
      const to = rnd.pick(paths.filter((p) => p !== m.folder));
      await remote.move(m.folder, m.uid, to);
      return `move ${where} to ${to}`;
    }
    if (m && roll < 12) {
      await remote.remove(m.folder, m.uid);
      return `expunge ${where}`;
    }
    if (roll < 17) {
      const mail = await newMail(messages);
      if (mail.messageId && roll >= 15) {
        await remote.deliver(mail.raw, mail.messageId);
        return `deliver ${mail.messageId} through Postfix`;
      }
      const folder = rnd.pick(paths);
      await remote.append(folder, mail.raw, randomFlags(rnd));
      return `append ${mail.messageId ?? 'a corpus mail'} to ${folder}`;
    }
    if (roll < 19) {
      // Renamed, a folder gets a name never used: renamed back, its mail would come back under ids
      // the sync rightly dropped meanwhile (Dovecot keeps UIDVALIDITY on RENAME), which the row
      // check takes for churn. Created, it may take a deleted folder's name: Dovecot gives the new
      // folder a new UIDVALIDITY, and the sync must not take it for the old one.
      const name = `${rnd.pick(FOLDER_NAMES)} ${++serial}`;
      if (!custom.length || rnd.next() < 0.4) {
        const reused = deleted.length && rnd.next() < 0.5 ? deleted.splice(rnd.int(deleted.length), 1)[0] : name;
        await remote.createFolder(reused);
        return `create folder ${reused}`;
      }
      const folder = rnd.pick(custom);
      if (rnd.next() < 0.5) {
        await remote.renameFolder(folder, name);
        return `rename folder ${folder} to ${name}`;
      }
      await remote.deleteFolder(folder);
      deleted.push(folder);
      return `delete folder ${folder}`;
    }
    const folder = rnd.pick(paths);
    if (roll < 20) return `new UIDVALIDITY ${await remote.changeUidValidity(folder, 1 + rnd.int(1000))} for ${folder}`;
    // More new mail in one folder than a round fetches inline (INLINE_FETCH_MAX): it is queued.
    const count = 11 + rnd.int(6);
    for (let i = 0; i < count; i++) await remote.append(folder, fs.readFileSync(rnd.pick(corpusFiles())), randomFlags(rnd));
    return `append ${count} corpus mails to ${folder}`;
  };

  /** 2–5 random faults, and a slow answer early on so that the changes made meanwhile land inside the run. */
  const armFaults = () => {
    for (let i = 2 + rnd.int(4); i > 0; i--) {
      const kind = rnd.pick<FaultKind>(['drop', 'no', 'bad', 'delay']);
      const command = exactly(rnd.pick(kind === 'no' || kind === 'bad' ? REFUSABLE : ANY));
      // A NO [UNAVAILABLE] is retried within the run (a temporary failure); a plain NO or BAD fails it.
      const code = kind === 'no' && rnd.next() < 0.5 ? 'UNAVAILABLE' : undefined;
      proxy.arm({ kind, command, skip: rnd.int(3), times: 1 + rnd.int(2), delayMs: 100 + rnd.int(400), cutAfter: rnd.int(300), code });
    }
    proxy.arm({ kind: 'delay', command: /^(LIST|EXAMINE|UID FETCH)$/, skip: rnd.int(3), times: 2, delayMs: 200 });
  };

  /** A run under faults, with 0–3 changes made while it runs. It may fail; it must end. */
  const disturbedRun = async (label: string, kind: 'initial' | 'incremental') => {
    armFaults();
    // The provider keeps its connection a moment after a run (imap-provider.ts HOLD_IDLE_MS): cut
    // under it, the next run must notice and log in again.
    if (rnd.next() < 0.3) {
      proxy.dropAll();
      story.push(`${label}: every connection cut before the run`);
    }
    const running = sync(kind);
    try {
      for (let i = rnd.int(4); i > 0; i--) story.push(`${label}, during the run: ${await randomChange()}`);
    } finally {
      const result = await running;
      proxy.clear();
      tally.runs++;
      tally.failed += result?.outcome === 'failed' ? 1 : 0;
      tally.faults += proxy.fired.length;
      story.push(`${label}: run ${result?.outcome}${result?.error ? ` (${result.error})` : ''}; faults fired: ${proxy.fired.splice(0).join(', ') || 'none'}`);
      expect(['ok', 'failed'], `${label}: ${JSON.stringify(result)}\n${story.join('\n')}`).toContain(result?.outcome);
    }
  };

  const stored = async () => {
    const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { accountId }, raw: true });
    const json = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
    return rows.map((r) => ({
      rowId: r.id as number,
      message: { id: r.providerMessageId, threadId: r.threadId, places: json(r.folderIds) || [], box: r.box ?? null, read: Boolean(r.read), starred: Boolean(r.starred) } as ExpectedMessage,
    }));
  };

  /** A quiet run (no faults, no changes), then the stores must agree exactly. */
  const converged = async (label: string) => {
    const quiet = await sync('incremental');
    const context = () => `${label} (SEED=${seed})\n${story.join('\n')}`;
    expect(quiet?.outcome, `${JSON.stringify(quiet)}\n${context()}`).toBe('ok');
    proxy.fired.splice(0);
    const mine = await stored();
    const ids = mine.map((m) => m.message.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), `duplicates: ${context()}`).toEqual([]);
    // As one string, so a failure prints each differing mail in full.
    expect(differences(mine.map((m) => m.message), await remote.expected()).join('\n'), context()).toBe('');
    // A mail that stayed where it was keeps its row: a delete and re-add would drop its labels and notes.
    const churned = mine.filter((m) => rowIds.has(m.message.id) && rowIds.get(m.message.id) !== m.rowId).map((m) => m.message.id);
    expect(churned.join('\n'), `rows deleted and added again: ${context()}`).toBe('');
    rowIds = new Map(mine.map((m) => [m.message.id, m.rowId]));
    story.push(`${label}: converged on ${mine.length} mails`);
  };

  it(`converges after a first import and ${ROUNDS} rounds of random changes and faults`, async () => {
    try {
      await disturbedRun('first import', 'initial');
      await converged('first import');
      for (let round = 1; round <= ROUNDS; round++) {
        for (let i = 1 + rnd.int(6); i > 0; i--) story.push(`round ${round}: ${await randomChange()}`);
        await disturbedRun(`round ${round}`, 'incremental');
        await converged(`round ${round}`);
      }
    } catch (error) {
      // Not an assertion of ours (those carry the story): say what had happened until then.
      if (!String((error as Error).message).includes(`(SEED=${seed})`)) console.error(`SEED=${seed} failed after:\n${story.join('\n')}`);
      throw error;
    }
    tally.changes = story.filter((line) => !/: (run|converged|every connection) /.test(line)).length;
    console.info(`IMAP sync property, SEED=${seed}: ${tally.changes} changes, ${tally.runs} disturbed runs (${tally.failed} failed), ${tally.faults} faults fired; commands seen: ${[...proxy.seen].map(([name, n]) => `${name} ${n}`).join(', ')}`);
    if (process.env.PROP_VERBOSE) console.info(story.join('\n'));
  }, 900_000);
});

function randomFlags(rnd: Random) {
  return [...(rnd.next() < 0.5 ? ['\\Seen'] : []), ...(rnd.next() < 0.2 ? ['\\Flagged'] : [])];
}
