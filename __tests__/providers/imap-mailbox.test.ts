/**
 * The IMAP/SMTP mailbox session against real servers (dev/mail-servers: Dovecot + Postfix on
 * loopback): full listing of the MIME corpus, the incremental feed (new mail, flags, expunges,
 * a re-created folder) with its IMAP command counts, changes, sending, drafts and failures.
 * A second imapflow client plays "another mail program" and reads the server's truth.
 */
import fs from 'node:fs';
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../dev/mail-servers';
import { buildMime, newMessageId } from '../../src/server/mime/build-mime';
import { testConnection } from '../../src/server/providers/imap/connection';
import { MailServerError, mapImapError, mapSmtpError } from '../../src/server/providers/imap/errors';
import { decodeMessageId, encodeMessageId, folderIndex, MAX_MESSAGE_ID_LENGTH, parseMessageId, threadIdOf } from '../../src/server/providers/imap/ids';
import type { PasswordLogin } from '../../src/server/providers/imap/login';
import { ImapMailbox, type ImapMailboxOptions } from '../../src/server/providers/imap/mailbox';
import { withoutBcc } from '../../src/server/providers/imap/smtp';
import { UidSet } from '../../src/server/providers/imap/uid-set';
import { withRetryBudget } from '../../src/server/providers/rate-limits';
import {
  MessageTooLargeError,
  ProviderUnavailableError,
  ReauthorizeError,
  type ChangeBatch,
  type MessageState,
  type MovedMessage,
  type OutgoingMessage,
  type SyncCursor,
} from '../../src/server/providers/types';
import { corpusFiles } from '../helpers/corpus';

const DAY = 24 * 60 * 60 * 1000;
const SINCE = new Date(Date.now() - 400 * DAY);
/** Commands imapflow sends to log in on Dovecot (ID before and after AUTHENTICATE, NAMESPACE, ENABLE), and the LOGOUT. */
const SESSION_OVERHEAD = ['ID', 'AUTHENTICATE', 'ID', 'NAMESPACE', 'ENABLE', 'LOGOUT'];
const NO_RETRY = { attempts: 1, maxRetryAfterMs: 0 };

let mail: MailServers;
let ca: Buffer;
const users: Record<string, string> = {};
const PASSWORD = 'secret ü pw';

beforeAll(async () => {
  mail = await startMailServers();
  ca = fs.readFileSync(mail.caCertPath);
  for (const name of ['alice', 'bob', 'carol', 'dave']) users[name] = await mail.addUser(name, PASSWORD);
});

afterAll(async () => {
  await mail?.close();
});

function loginOf(user: string, overrides: Partial<PasswordLogin> = {}): PasswordLogin {
  return {
    kind: 'password',
    username: user,
    password: PASSWORD,
    imap: { host: mail.imap.host, port: mail.imap.port, security: 'tls' },
    smtp: { host: mail.smtp.host, port: mail.smtp.port, security: 'starttls' },
    ...overrides,
  };
}

/** A session that records the IMAP commands it sends. */
function session(user: string, options: ImapMailboxOptions = {}, login = loginOf(user)) {
  const commands: string[] = [];
  const mailbox = new ImapMailbox(user, login, { ...options, countCall: (c) => commands.push(c) });
  return { mailbox, commands, work: () => withoutOverhead(commands) };
}

/** The commands minus the login and logout imapflow does on every connection. */
function withoutOverhead(commands: string[]) {
  const rest = [...commands];
  for (const c of SESSION_OVERHEAD) {
    const at = rest.indexOf(c);
    if (at >= 0) rest.splice(at, 1);
  }
  return rest;
}

async function admin(user: string) {
  const client = new ImapFlow({ host: mail.imap.host, port: mail.imap.port, secure: true, auth: { user, pass: PASSWORD }, tls: { ca }, logger: false });
  await client.connect();
  return client;
}

/** What the engine keeps: one row per id, as batches upsert, update and remove them. */
class Store {
  rows = new Map<string, MessageState>();
  private listed = new Set<string>();

  apply(batch: ChangeBatch) {
    for (const m of batch.messages) this.rows.set(m.providerMessageId, m);
    for (const s of batch.states) if (this.rows.has(s.providerMessageId)) this.rows.set(s.providerMessageId, s);
    for (const id of batch.deleted) this.rows.delete(id);
    for (const id of batch.seen) this.listed.add(id);
    if (batch.sweep) {
      for (const id of this.rows.keys()) if (!this.listed.has(id)) this.rows.delete(id);
      this.listed.clear();
    }
  }
}

/** Every message of the user since SINCE, as the server has it: id → read/starred. */
async function serverTruth(client: ImapFlow) {
  const truth = new Map<string, { read: boolean; starred: boolean }>();
  for (const folder of await client.list()) {
    if (folder.flags.has('\\Noselect')) continue;
    const box = await client.mailboxOpen(folder.path, { readOnly: true });
    if (!box.exists) continue;
    for (const m of await client.fetchAll('1:*', { uid: true, flags: true, internalDate: true })) {
      if (new Date(m.internalDate!) < SINCE) continue;
      const id = encodeMessageId({ folder: folder.path, uidValidity: Number(box.uidValidity), uid: m.uid });
      truth.set(id, { read: m.flags!.has('\\Seen'), starred: m.flags!.has('\\Flagged') });
    }
  }
  return truth;
}

function expectStoreIs(store: Store, truth: Map<string, { read: boolean; starred: boolean }>) {
  expect([...store.rows.keys()].sort()).toEqual([...truth.keys()].sort());
  for (const [id, t] of truth) expect({ id, read: store.rows.get(id)!.read, starred: store.rows.get(id)!.starred }).toEqual({ id, ...t });
}

/**
 * A move re-keyed as the app does it (the rows under their new ids, the cursor told by
 * cursorAfterMoves), then the sync to the end of its round: what it deleted and fetched whole.
 */
async function rekeyAndSync(store: Store, cursor: SyncCursor, moved: MovedMessage[], next: () => ImapMailbox) {
  for (const { from, to } of moved) {
    store.rows.set(to, { ...store.rows.get(from)!, providerMessageId: to });
    store.rows.delete(from);
  }
  let batch: ChangeBatch = { cursor: next().cursorAfterMoves(cursor, moved)! } as ChangeBatch;
  const deleted: string[] = [];
  const fetched: string[] = [];
  do {
    batch = await next().nextChanges(batch.cursor, SINCE);
    deleted.push(...batch.deleted);
    fetched.push(...batch.messages.map((m) => m.providerMessageId));
    store.apply(batch);
  } while (!batch.done);
  return { cursor: batch.cursor, deleted, fetched };
}

/** imapflow answers `false` for "could not"; here that is a failed test. */
function ok<T>(value: T | false | undefined): T {
  if (value === false || value === undefined) throw new Error('the IMAP command failed');
  return value;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}\n${await mail.logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function outgoing(from: string, to: string[], extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  const base = {
    from: { address: from },
    to: to.map((address) => ({ address })),
    cc: [],
    bcc: [],
    subject: 'Hello from the session',
    html: '<p>Hello <b>there</b></p>',
    attachments: [],
    messageId: newMessageId(from),
    inReplyTo: null,
    references: null,
    original: null,
    ...extra,
  };
  return { ...base, mime: () => buildMime({ ...base, files: [] }) } as OutgoingMessage;
}

async function uidsWithMessageId(client: ImapFlow, path: string, messageId: string) {
  await client.mailboxOpen(path, { readOnly: true });
  return (await client.search({ header: { 'Message-ID': messageId } }, { uid: true })) || [];
}

async function closedPort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sync of a mailbox', () => {
  const store = new Store();
  let cursor: SyncCursor | null = null;
  let other: ImapFlow;
  const expected = new Map<string, { folder: string; read: boolean; starred: boolean }>();
  let original = '';
  let reply = '';

  beforeAll(async () => {
    other = await admin(users.alice);
    await other.mailboxCreate('Projects/2024');
    const folders = ['INBOX', 'INBOX', 'INBOX', 'Archive', 'Projects/2024'];
    const files = corpusFiles();
    for (const [i, file] of files.entries()) {
      const folder = folders[i % folders.length];
      const old = i % 37 === 5; // a few older than the listing's start date
      const date = new Date(Date.now() - (old ? 800 : (i * 3) % 300) * DAY - i * 60_000);
      const flags = [...(i % 3 === 0 ? ['\\Seen'] : []), ...(i % 7 === 0 ? ['\\Flagged'] : [])];
      const result = await other.append(folder, fs.readFileSync(file), flags, date).catch(() => false as const);
      if (!result || !result.uid) continue;
      if (!old) expected.set(encodeMessageId({ folder: result.destination, uidValidity: Number(result.uidValidity), uid: result.uid }), { folder, read: flags.includes('\\Seen'), starred: flags.includes('\\Flagged') });
    }
    expect(expected.size).toBeGreaterThanOrEqual(60);
    const thread = [
      'From: Bob <bob@imap.test>\r\nTo: alice@imap.test\r\nSubject: Plans\r\nMessage-ID: <Root-1@Imap.Test>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nShall we?\r\n',
      'From: alice@imap.test\r\nTo: Bob <bob@imap.test>\r\nSubject: Re: Plans\r\nMessage-ID: <reply-1@imap.test>\r\nIn-Reply-To: <root-1@imap.test>\r\nReferences: <root-1@imap.test>\r\nDate: Mon, 1 Jan 2024 11:00:00 +0000\r\n\r\nYes.\r\n',
    ];
    for (const [i, raw] of thread.entries()) {
      const folder = i ? 'Sent' : 'INBOX';
      const result = ok(await other.append(folder, raw, ['\\Seen'], new Date(Date.now() - DAY)));
      const id = encodeMessageId({ folder, uidValidity: Number(result.uidValidity), uid: result.uid! });
      expected.set(id, { folder, read: true, starred: false });
      if (i) reply = id;
      else original = id;
    }
  });

  afterAll(async () => {
    await other?.logout();
  });

  /** One step in a fresh session (as the provider builds them), applied to the store. */
  async function step(options: ImapMailboxOptions = {}) {
    const s = session(users.alice, options);
    const batch = await s.mailbox.nextChanges(cursor, SINCE);
    store.apply(batch);
    cursor = batch.cursor;
    return { batch, work: s.work() };
  }

  it('lists every message once, in batches, with boxes, flags and threads', async () => {
    const got = new Map<string, number>();
    let last: ChangeBatch;
    let steps = 0;
    do {
      ({ batch: last } = await step({ fetchBatch: 25 }));
      steps++;
      for (const m of last.messages) got.set(m.providerMessageId, (got.get(m.providerMessageId) || 0) + 1);
      expect(last.seen.sort()).toEqual(last.messages.map((m) => m.providerMessageId).sort());
      expect(last.estimatedTotal).toBe(expected.size);
      expect(last.sweep).toBe(last.done);
    } while (!last.done);
    expect(steps).toBe(Math.ceil(expected.size / 25));
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    const boxes: Record<string, string | null> = { INBOX: 'inbox', Archive: 'archive', 'Projects/2024': null, Sent: 'sent' };
    for (const [id, e] of expected) {
      const row = store.rows.get(id)!;
      expect({ id, box: row.box, folderIds: row.folderIds, read: row.read, starred: row.starred }).toEqual({ id, box: boxes[e.folder], folderIds: [e.folder], read: e.read, starred: e.starred });
    }
    expect(store.rows.get(original)!.threadId).toMatch(/^[0-9a-f]{16}$/);
    expect(store.rows.get(reply)!.threadId).toBe(store.rows.get(original)!.threadId);
    expect(cursor!.phase).toBe('incremental');
    // Sequence-sets, not UID arrays: the whole cursor of ~110 messages in 8 folders stays small.
    expect(JSON.stringify(cursor).length).toBeLessThan(2000);
    expectStoreIs(store, await serverTruth(other));
  });

  it('reads attachments and whole messages by id; gone ones are missing or NotFound', async () => {
    const { mailbox } = session(users.alice);
    const ids = [...expected.keys()];
    const { messages, missing } = await mailbox.fetchMessages([...ids.slice(0, 12), '1:1:Nowhere', 'garbage', ids[0].replace(/^\d+/, '7')]);
    expect(messages.map((m) => m.providerMessageId).sort()).toEqual(ids.slice(0, 12).sort());
    expect(missing.sort()).toEqual(['1:1:Nowhere', 'garbage', ids[0].replace(/^\d+/, '7')].sort());
    const states = await mailbox.fetchStates(ids.slice(0, 30));
    expect(states.states.map((s) => s.providerMessageId).sort()).toEqual(ids.slice(0, 30).sort());
    const withFile = (await mailbox.fetchMessages(ids)).messages.find((m) => m.attachments?.some((a) => a.size > 0))!;
    const first = withFile.attachments![0];
    expect(await mailbox.listAttachments(withFile.providerMessageId)).toEqual(withFile.attachments);
    expect((await mailbox.fetchAttachment(withFile.providerMessageId, first.providerAttachmentId)).length).toBe(first.size);
    await expect(mailbox.fetchAttachment(withFile.providerMessageId, '999')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(mailbox.fetchAttachment('1:1:Nowhere', '0')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('an incremental round with nothing new is one LIST (with STATUS)', async () => {
    const { batch, work } = await step();
    expect(batch).toMatchObject({ messages: [], states: [], deleted: [], done: true, sweep: false });
    expect(work).toEqual(['LIST']);
    console.log(`IMAP commands, nothing new: ${work.join(', ')} (+ ${SESSION_OVERHEAD.join(', ')})`);
  });

  it('brings a mail delivered through Postfix, and only it', async () => {
    const transport = nodemailer.createTransport({ ...mail.smtp, requireTLS: true, auth: { user: users.bob, pass: PASSWORD }, tls: { ca } });
    const before = ok(await other.status('INBOX', { messages: true })).messages!;
    await transport.sendMail({ from: users.bob, to: users.alice, subject: 'Fresh news', text: 'Just now.' });
    await until('delivery', async () => ok(await other.status('INBOX', { messages: true })).messages! > before);
    const { batch, work } = await step();
    expect(batch.messages.map((m) => m.subject)).toEqual(['Fresh news']);
    expect(batch.messages[0]).toMatchObject({ box: 'inbox', read: false, folderIds: ['INBOX'] });
    expect(batch.states).toEqual([]);
    expect(batch.deleted).toEqual([]);
    expect(work).toEqual(['LIST', 'EXAMINE', 'UID FETCH']);
    console.log(`IMAP commands, 1 new mail in INBOX: ${work.join(', ')} (+ ${SESSION_OVERHEAD.join(', ')})`);
    expectStoreIs(store, await serverTruth(other));
  });

  it('reports a flag changed by another client as a state', async () => {
    const [id] = [...store.rows.keys()].filter((k) => k.endsWith(':Archive') && !store.rows.get(k)!.starred);
    const ref = decodeMessageId(id)!;
    await other.mailboxOpen('Archive');
    await other.messageFlagsAdd(String(ref.uid), ['\\Flagged'], { uid: true });
    const { batch, work } = await step();
    expect(batch.states).toEqual([expect.objectContaining({ providerMessageId: id, starred: true, box: 'archive' })]);
    expect(batch.states[0].threadId).toBe(store.rows.get(id)!.threadId);
    expect(batch.messages).toEqual([]);
    expect(work).toEqual(['LIST', 'EXAMINE', 'UID FETCH']);
    console.log(`IMAP commands, 1 flag change: ${work.join(', ')} (+ ${SESSION_OVERHEAD.join(', ')})`);
    expectStoreIs(store, await serverTruth(other));
  });

  it('reports messages expunged by another client as deleted', async () => {
    const gone = [...store.rows.keys()].filter((k) => k.endsWith(':INBOX')).slice(0, 2);
    await other.mailboxOpen('INBOX');
    await other.messageDelete(gone.map((id) => decodeMessageId(id)!.uid).join(','), { uid: true });
    const { batch, work } = await step();
    expect(batch.deleted.sort()).toEqual(gone.sort());
    expect(work).toEqual(['LIST', 'EXAMINE']);
    expectStoreIs(store, await serverTruth(other));
  });

  it('lists a re-created folder (new UIDVALIDITY) again: old ids deleted, new ones listed, no duplicates', async () => {
    const before = [...store.rows.keys()].filter((k) => k.endsWith(':Projects/2024'));
    expect(before.length).toBeGreaterThan(5);
    await other.mailboxDelete('Projects/2024');
    await other.mailboxCreate('Projects/2024');
    for (const file of corpusFiles().slice(0, 3)) await other.append('Projects/2024', fs.readFileSync(file), [], new Date());
    let batch: ChangeBatch;
    const deleted: string[] = [];
    const added: string[] = [];
    const relisted: string[] = [];
    do {
      ({ batch } = await step());
      deleted.push(...batch.deleted);
      added.push(...batch.messages.map((m) => m.providerMessageId));
      relisted.push(...(batch.relisted || []));
    } while (!batch.done);
    expect(deleted.sort()).toEqual(before.sort());
    expect(added).toHaveLength(3);
    // Everything a re-created folder holds is relisted: it cannot be told from mail stored before
    // under the old ids, so workflows are not told of it as new mail.
    expect(relisted.sort()).toEqual([...added].sort());
    expect(new Set(added).size).toBe(3);
    expect(added.some((id) => before.includes(id))).toBe(false);
    expectStoreIs(store, await serverTruth(other));
  });

  it('incrementalFor(INBOX): on a warm connection, one EXAMINE and one FETCH for a new mail', async () => {
    const s = session(users.alice);
    await s.mailbox.open();
    try {
      store.apply(await s.mailbox.incrementalFor(cursor!, SINCE, ['INBOX']).then((b) => ((cursor = b.cursor), b)));
      const raw = `From: bob@imap.test\r\nTo: alice@imap.test\r\nSubject: Ping\r\nMessage-ID: <ping-1@imap.test>\r\n\r\nping\r\n`;
      await other.append('INBOX', raw, []);
      s.commands.length = 0;
      const batch = await s.mailbox.incrementalFor(cursor!, SINCE, ['INBOX']);
      store.apply(batch);
      cursor = batch.cursor;
      expect(batch.messages.map((m) => m.subject)).toEqual(['Ping']);
      expect(s.commands).toEqual(['EXAMINE', 'UID FETCH']);
      console.log(`IMAP commands, incrementalFor(INBOX) on a held connection, 1 new mail: ${s.commands.join(', ')}`);
    } finally {
      await s.mailbox.close();
    }
    expectStoreIs(store, await serverTruth(other));
  });

  it('applies read, star, archive, trash, restore and delete at the server', async () => {
    const { mailbox } = session(users.alice);
    const inbox = [...store.rows.keys()].filter((k) => k.endsWith(':INBOX'));
    const unread = inbox.find((id) => !store.rows.get(id)!.read)!;
    const flagsOf = async (id: string) => {
      const ref = decodeMessageId(id)!;
      await other.mailboxOpen(ref.folder, { readOnly: true });
      const m = await other.fetchOne(String(ref.uid), { uid: true, flags: true }, { uid: true });
      return m && m.uid === ref.uid ? m.flags! : null;
    };
    const target = (id: string, sent = false) => ({ providerMessageId: id, sent, box: null });
    expect(await mailbox.modify([target(unread)], { kind: 'read', read: true })).toEqual({ missing: [] });
    expect((await flagsOf(unread))!.has('\\Seen')).toBe(true);
    await mailbox.modify([target(unread)], { kind: 'starred', starred: true });
    expect((await flagsOf(unread))!.has('\\Flagged')).toBe(true);
    await mailbox.modify([target(unread)], { kind: 'starred', starred: false });
    expect((await flagsOf(unread))!.has('\\Flagged')).toBe(false);

    // Archive: gone from the Inbox, in Archive (same Message-ID).
    const messageId = (await mailbox.fetchMessages([unread])).messages[0].messageId!;
    await mailbox.modify([target(unread)], { kind: 'archive' });
    expect(await flagsOf(unread)).toBeNull();
    const [archivedUid] = await uidsWithMessageId(other, 'Archive', messageId);
    const archived = encodeMessageId({ folder: 'Archive', uidValidity: Number((other.mailbox as any).uidValidity), uid: archivedUid });
    // Trash, then restore: back in the Inbox.
    await mailbox.modify([target(archived)], { kind: 'trash' });
    const [trashedUid] = await uidsWithMessageId(other, 'Trash', messageId);
    const trashed = encodeMessageId({ folder: 'Trash', uidValidity: Number((other.mailbox as any).uidValidity), uid: trashedUid });
    await mailbox.modify([target(trashed)], { kind: 'restore' });
    expect(await uidsWithMessageId(other, 'INBOX', messageId)).toHaveLength(1);
    expect(await uidsWithMessageId(other, 'Trash', messageId)).toHaveLength(0);
    // The user's own mail is restored to Sent.
    await mailbox.modify([target(reply, true)], { kind: 'trash' });
    const [ownUid] = await uidsWithMessageId(other, 'Trash', '<reply-1@imap.test>');
    const own = encodeMessageId({ folder: 'Trash', uidValidity: Number((other.mailbox as any).uidValidity), uid: ownUid });
    await mailbox.modify([target(own, true)], { kind: 'restore' });
    expect(await uidsWithMessageId(other, 'Sent', '<reply-1@imap.test>')).toHaveLength(1);
    // Delete: only mail in Trash goes; an Inbox message is left alone; gone ids are missing.
    const [inboxUid] = await uidsWithMessageId(other, 'INBOX', messageId);
    const inInbox = encodeMessageId({ folder: 'INBOX', uidValidity: Number((other.mailbox as any).uidValidity), uid: inboxUid });
    await mailbox.modify([target(inInbox)], { kind: 'trash' });
    const [binUid] = await uidsWithMessageId(other, 'Trash', messageId);
    const inTrash = encodeMessageId({ folder: 'Trash', uidValidity: Number((other.mailbox as any).uidValidity), uid: binUid });
    const keep = inbox.find((id) => id !== unread)!;
    expect(await mailbox.modify([target(inTrash), target(keep), target(unread)], { kind: 'delete' })).toEqual({ missing: [] });
    expect(await uidsWithMessageId(other, 'Trash', messageId)).toHaveLength(0);
    expect(await flagsOf(keep)).not.toBeNull();
    expect(await mailbox.modify([target(unread)], { kind: 'read', read: false })).toEqual({ missing: [unread] });

    // The sync follows: the moves are deletes plus new ids, and the store matches the server.
    let batch: ChangeBatch;
    do {
      batch = await session(users.alice).mailbox.nextChanges(cursor, SINCE);
      store.apply(batch);
      cursor = batch.cursor;
    } while (!batch.done);
    expectStoreIs(store, await serverTruth(other));
  });

  it('a move answered with COPYUID names the new id; re-keyed, the sync neither deletes nor fetches the mail', async () => {
    const { mailbox } = session(users.alice);
    const id = [...store.rows.keys()].find((k) => k.endsWith(':INBOX'))!;
    const [before] = (await mailbox.fetchMessages([id])).messages;
    const result = await mailbox.modify([{ providerMessageId: id, sent: false, box: 'inbox' }], { kind: 'archive' });
    expect(result.missing).toEqual([]);
    expect(result.moved).toEqual([{ from: id, to: expect.stringMatching(/:Archive$/) }]);
    // The new id names the same mail, now in Archive; the old one names nothing.
    const archived = result.moved![0].to;
    const moved = await mailbox.fetchMessages([id, archived]);
    expect(moved.missing).toEqual([id]);
    expect(moved.messages.map((m) => [m.providerMessageId, m.box, m.messageId, m.subject])).toEqual([[archived, 'archive', before.messageId, before.subject]]);
    const after = await rekeyAndSync(store, cursor!, result.moved!, () => session(users.alice).mailbox);
    cursor = after.cursor;
    expect(after.deleted).not.toContain(id);
    expect(after.fetched).not.toContain(archived);
    // Its state was read again (QRESYNC names it as changed): where it is now.
    expect(store.rows.get(archived)!.box).toBe('archive');
    expectStoreIs(store, await serverTruth(other));
  });

  it('creates Archive when the mailbox has none', async () => {
    const client = await admin(users.dave);
    try {
      await client.mailboxDelete('Archive');
      const { uid, uidValidity } = ok(await client.append('INBOX', 'Subject: keep\r\nMessage-ID: <keep@x>\r\n\r\nx\r\n', []));
      const { mailbox } = session(users.dave);
      await mailbox.modify([{ providerMessageId: encodeMessageId({ folder: 'INBOX', uidValidity: Number(uidValidity), uid: uid! }), sent: false, box: 'inbox' }], { kind: 'archive' });
      expect(await uidsWithMessageId(client, 'Archive', '<keep@x>')).toHaveLength(1);
    } finally {
      await client.logout();
    }
  });
});

describe.each([
  // The message count falls short, so a SEARCH finds the expunged UID; CHANGEDSINCE fetch of flags; the new mail.
  ['CONDSTORE only', 'condstore', 'erin', ['LIST', 'EXAMINE', 'UID SEARCH', 'UID FETCH', 'UID FETCH']],
  // Flags of every stored UID, compared with the cursor's sets; thread headers of the changed ones; the new mail.
  ['neither CONDSTORE nor QRESYNC', 'none', 'frank', ['LIST', 'EXAMINE', 'UID FETCH', 'UID FETCH', 'UID FETCH']],
] as const)('sync with %s', (_, changeTracking, name, commands) => {
  it('finds new mail (a few, and many), flag changes and expunges', async () => {
    const user = await mail.addUser(name, PASSWORD);
    const client = await admin(user);
    const store = new Store();
    let cursor: SyncCursor | null = null;
    const step = async () => {
      const s = session(user, { changeTracking });
      let batch: ChangeBatch;
      do {
        batch = await s.mailbox.nextChanges(cursor, SINCE);
        store.apply(batch);
        cursor = batch.cursor;
      } while (!batch.done);
      return { batch, work: s.work() };
    };
    const add = (i: number, flags: string[] = []) => client.append('INBOX', `Subject: n${i}\r\nMessage-ID: <n${i}@x>\r\n\r\nx\r\n`, flags);
    try {
      for (let i = 0; i < 4; i++) await add(i, i ? [] : ['\\Seen']);
      await step();
      expect(store.rows.size).toBe(4);
      expect((cursor as any).folders.INBOX.seen !== undefined).toBe(changeTracking === 'none');
      await client.mailboxOpen('INBOX');
      await client.messageFlagsAdd('2', ['\\Seen'], { uid: true });
      await client.messageFlagsAdd('3', ['\\Flagged'], { uid: true });
      await client.messageDelete('4', { uid: true });
      await add(4);
      const { batch, work } = await step();
      expect(work).toEqual(commands);
      expect(batch.states.map((st) => [decodeMessageId(st.providerMessageId)!.uid, st.read, st.starred]).sort()).toEqual([[2, true, false], [3, false, true]]);
      expect(batch.messages.map((m) => m.subject)).toEqual(['n4']);
      expect(batch.deleted).toEqual([encodeMessageId({ folder: 'INBOX', uidValidity: Number((cursor as any).folders.INBOX.uidValidity), uid: 4 })]);
      expectStoreIs(store, await serverTruth(client));
      // More than INLINE_FETCH_MAX new: searched, queued in the cursor, fetched in the same run.
      for (let i = 5; i < 20; i++) await add(i);
      const many = await step();
      expect(many.work).toContain('UID SEARCH');
      expect(store.rows.size).toBe(19);
      expectStoreIs(store, await serverTruth(client));
      // A re-keyed move: the count and flag comparisons of this mode take it as it is.
      const id = [...store.rows.keys()].find((k) => k.endsWith(':INBOX'))!;
      const { moved } = await session(user, { changeTracking }).mailbox.modify([{ providerMessageId: id, sent: false, box: 'inbox' }], { kind: 'trash' });
      expect(moved).toHaveLength(1);
      const after = await rekeyAndSync(store, cursor!, moved!, () => session(user, { changeTracking }).mailbox);
      cursor = after.cursor;
      expect([after.deleted, after.fetched]).toEqual([[], []]);
      expectStoreIs(store, await serverTruth(client));
    } finally {
      await client.logout();
    }
  });
});

describe('sending and drafts', () => {
  let client: ImapFlow;
  beforeAll(async () => {
    client = await admin(users.alice);
  });
  afterAll(async () => {
    await client?.logout();
  });

  it('sends over SMTP (Bcc delivered, its header not), files one copy in Sent and consumes the draft', async () => {
    const { mailbox } = session(users.alice);
    const message = outgoing(users.alice, [users.bob], { bcc: [{ address: users.carol }], subject: 'Sent by the session' });
    const draft = await mailbox.outgoing.saveDraft(message);
    const ref = await mailbox.outgoing.send(message, draft);
    expect(decodeMessageId(ref.providerMessageId)!.folder).toBe('Sent');
    expect(await uidsWithMessageId(client, 'Sent', message.messageId)).toHaveLength(1);
    expect(await uidsWithMessageId(client, 'Drafts', message.messageId)).toHaveLength(0);
    for (const user of [users.bob, users.carol]) {
      const reader = await admin(user);
      try {
        const [uid] = await until(`delivery to ${user}`, async () => {
          const found = await uidsWithMessageId(reader, 'INBOX', message.messageId);
          return found.length ? found : null;
        });
        const copy = await reader.fetchOne(String(uid), { source: true }, { uid: true });
        expect(copy && copy.source!.toString()).not.toMatch(/^bcc:/im);
      } finally {
        await reader.logout();
      }
    }
    // Sent again (a retried bulk item asks first): found, nothing new filed.
    expect(await mailbox.outgoing.findSent(message.messageId)).toEqual(ref);
    expect(await mailbox.outgoing.findSent('<never@imap.test>')).toBeNull();
  });

  it('saving a draft twice leaves one draft; a draft left by an interrupted send goes with findSent', async () => {
    const { mailbox } = session(users.alice);
    const message = outgoing(users.alice, [users.bob], { subject: 'Draft' });
    const first = await mailbox.outgoing.saveDraft(message);
    const second = await mailbox.outgoing.saveDraft({ ...message, subject: 'Draft v2' }, first);
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
    expect(second.draftRef).toBe(second.providerMessageId);
    expect(await uidsWithMessageId(client, 'Drafts', message.messageId)).toEqual([decodeMessageId(second.providerMessageId)!.uid]);
    const [state] = (await mailbox.fetchStates([second.providerMessageId])).states;
    expect(state).toMatchObject({ box: 'drafts', draft: true, read: true });
    // The send went out and was filed, but the process stopped before the draft was deleted.
    await client.append('Sent', await message.mime(), ['\\Seen']);
    expect(await mailbox.outgoing.findSent(message.messageId)).toMatchObject({ providerMessageId: expect.stringMatching(/:Sent$/) });
    expect(await uidsWithMessageId(client, 'Drafts', message.messageId)).toHaveLength(0);
    await expect(mailbox.outgoing.deleteDraft(second)).resolves.toBeUndefined();
  });
});

describe('failures', () => {
  it('a wrong password is ReauthorizeError, over IMAP and SMTP', async () => {
    const wrong = loginOf(users.alice, { password: 'not it' });
    const error = await new ImapMailbox(users.alice, wrong).listFolders().catch((e) => e);
    expect(error).toBeInstanceOf(ReauthorizeError);
    expect(error.message).toBe('The mail server refused the password');
    const sendError = await new ImapMailbox(users.alice, wrong).outgoing.send(outgoing(users.alice, [users.bob])).catch((e) => e);
    expect(sendError).toBeInstanceOf(ReauthorizeError);
  });

  it('a closed port and a TLS mismatch are ProviderUnavailableError naming what and where', async () => {
    const port = await closedPort();
    const closed = loginOf(users.alice, { imap: { host: '127.0.0.1', port, security: 'tls' } });
    const error = await withRetryBudget(NO_RETRY, () => new ImapMailbox(users.alice, closed).listFolders()).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toBe(`connection failure for 127.0.0.1:${port}: refused`);
    const tls = loginOf(users.alice, { imap: { host: '127.0.0.1', port: mail.imap.starttlsPort, security: 'tls' } });
    const tlsError = await withRetryBudget(NO_RETRY, () => new ImapMailbox(users.alice, tls).listFolders()).catch((e) => e);
    expect(tlsError).toBeInstanceOf(ProviderUnavailableError);
    expect(tlsError.message).toMatch(new RegExp(`^TLS failure for 127\\.0\\.0\\.1:${mail.imap.starttlsPort}`));
    const noSmtp = loginOf(users.alice, { smtp: { host: '127.0.0.1', port, security: 'starttls' } });
    const sendError = await new ImapMailbox(users.alice, noSmtp).outgoing.send(outgoing(users.alice, [users.bob])).catch((e) => e);
    expect(sendError).toBeInstanceOf(ProviderUnavailableError);
    expect(sendError.message).toBe(`connection failure for 127.0.0.1:${port}: refused`);
  });

  it('testConnection reports capabilities, and names a refused password, a closed SMTP port and an unknown host', async () => {
    const ok = await testConnection(loginOf(users.alice, { imap: { host: mail.imap.host, port: mail.imap.starttlsPort, security: 'starttls' } }));
    expect(ok).toEqual({ imap: { ok: true, capabilities: { CONDSTORE: true, QRESYNC: true, IDLE: true, MOVE: true, 'SPECIAL-USE': true } }, smtp: { ok: true } });
    const wrong = await testConnection(loginOf(users.alice, { password: 'not it' }));
    expect(wrong.imap).toMatchObject({ ok: false, failure: 'login', error: 'The mail server refused the password' });
    expect(wrong.smtp).toMatchObject({ ok: false, failure: 'login' });
    const port = await closedPort();
    const noSmtp = await testConnection(loginOf(users.alice, { smtp: { host: '127.0.0.1', port, security: 'starttls' } }));
    expect(noSmtp.imap.ok).toBe(true);
    expect(noSmtp.smtp).toMatchObject({ ok: false, failure: 'connection', error: expect.stringContaining(`127.0.0.1:${port}`) });
    const unknown = await testConnection(loginOf(users.alice, { imap: { host: 'mail.invalid', port: 993, security: 'tls' } }));
    expect(unknown.imap).toMatchObject({ ok: false, failure: 'dns', error: expect.stringContaining('mail.invalid:993') });
  });
});

describe('a session kept warm (an IDLE-watched account)', () => {
  it('stays logged in past its hold, logs in again at each renewal, and logs out when released', async () => {
    const s = session(users.alice, { holdIdleMs: 50 });
    const count = (command: string) => s.commands.filter((c) => c === command).length;
    const release = s.mailbox.keepWarm(2_000);
    // Logged in and LISTed at once, so a first EXAMINE needs no LIST before it.
    await until('the login', async () => count('LIST') === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(count('LOGOUT')).toBe(0);
    // A call meanwhile uses the connection as it is.
    expect((await s.mailbox.listFolders()).length).toBeGreaterThan(0);
    expect([count('AUTHENTICATE'), count('LIST')]).toEqual([1, 2]);
    await until('a renewal', async () => count('AUTHENTICATE') === 2, 10_000);
    release();
    await until('the logout', async () => count('LOGOUT') === 2);
  });
});

describe('a folder path longer than the id columns', () => {
  // 300 characters in three levels, one of them not ASCII (Dovecot takes 255 bytes a level on the fs layout).
  const LONG = ['Clients', 'c'.repeat(150), 'Überweisungen'.padEnd(141, '-')].join('/');
  const WITH_FILE = [
    'From: bob@imap.test\r\nSubject: Deep\r\nMessage-ID: <deep-1@imap.test>\r\nMIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello',
    '--b\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nfile',
    '--b--\r\n',
  ].join('\r\n');

  it('gives its mail ids that fit, read, changed, moved and synced through them like any other', async () => {
    expect(LONG).toHaveLength(300);
    const user = await mail.addUser('gina', PASSWORD, { folderLayout: 'fs' });
    const client = await admin(user);
    try {
      await client.mailboxCreate(LONG);
      ok(await client.append(LONG, WITH_FILE, []));
      const { mailbox } = session(user);
      const store = new Store();
      let cursor: SyncCursor | null = null;
      const sync = async () => {
        let batch: ChangeBatch;
        do {
          batch = await mailbox.nextChanges(cursor, SINCE);
          store.apply(batch);
          cursor = batch.cursor;
        } while (!batch.done);
      };
      await sync();
      const [id] = [...store.rows].filter(([, m]) => m.folderIds[0] === LONG).map(([key]) => key);
      expect(id.length).toBeLessThanOrEqual(MAX_MESSAGE_ID_LENGTH);
      // The id names the folder by token: a LIST resolves it.
      expect(parseMessageId(id)).toMatchObject({ folder: null, token: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(decodeMessageId(id)).toBeNull();
      expect(decodeMessageId(id, folderIndex(['INBOX', LONG]))).toMatchObject({ folder: LONG });
      expect((await mailbox.fetchStates([id])).states.map((m) => m.folderIds)).toEqual([[LONG]]);
      expect((await mailbox.listAttachments(id)).map((a) => a.filename)).toEqual(['a.txt']);
      expect((await mailbox.fetchAttachment(id, '0')).toString().trim()).toBe('file');
      expect(await mailbox.modify([{ providerMessageId: id, sent: false, box: null }], { kind: 'starred', starred: true })).toEqual({ missing: [] });
      // New mail there, and the flag change, come with the next round.
      ok(await client.append(LONG, 'Subject: Deeper\r\nMessage-ID: <deep-2@imap.test>\r\n\r\nx\r\n', []));
      await sync();
      expect(store.rows.get(id)!.starred).toBe(true);
      expectStoreIs(store, await serverTruth(client));
      // Moved out of it, and re-keyed: the sync takes it as it is.
      const { moved } = await mailbox.modify([{ providerMessageId: id, sent: false, box: null }], { kind: 'archive' });
      expect(moved).toEqual([{ from: id, to: expect.stringMatching(/:Archive$/) }]);
      const after = await rekeyAndSync(store, cursor!, moved!, () => mailbox);
      expect([after.deleted, after.fetched]).toEqual([[], []]);
      expectStoreIs(store, await serverTruth(client));
    } finally {
      await client.logout();
    }
  });
});

describe('pieces', () => {
  it('UID sets: compact ranges, set algebra, newest first', () => {
    const set = UidSet.of([5, 1, 2, 3, 9, 10, 11, 3]);
    expect(set.toString()).toBe('1:3,5,9:11');
    expect(UidSet.parse('9:11,1:3,5').toString()).toBe('1:3,5,9:11');
    expect(set.minus(UidSet.parse('2,10:20')).toString()).toBe('1,3,5,9');
    expect(set.union(UidSet.parse('4,6:8')).toString()).toBe('1:11');
    expect(set.intersect(UidSet.parse('3:9')).toString()).toBe('3,5,9');
    expect(set.highest(4)).toEqual([11, 10, 9, 5]);
    expect(set.below(5).toString()).toBe('1:3');
    expect(set.size).toBe(7);
    expect(() => UidSet.parse('1:*')).toThrow();
  });

  it('ids keep any folder name; thread ids ignore case and brackets', () => {
    const ref = { folder: 'Work: 2024/Q1 "x"', uidValidity: 42, uid: 7 };
    expect(decodeMessageId(encodeMessageId(ref))).toEqual(ref);
    expect(decodeMessageId('Gmail-id-abc')).toBeNull();
    // A path that would make the id too long for the columns: a token of it instead.
    const long = { folder: `Clients/${'x'.repeat(300)}`, uidValidity: 4294967295, uid: 4294967295 };
    const id = encodeMessageId(long);
    expect(id).toMatch(/^4294967295:4294967295#[0-9a-f]{32}$/);
    expect(decodeMessageId(id, folderIndex(['INBOX', long.folder]))).toEqual(long);
    expect(decodeMessageId(id, folderIndex(['INBOX']))).toBeNull();
    const longest = { ...long, folder: 'x'.repeat(MAX_MESSAGE_ID_LENGTH - '4294967295:4294967295:'.length) };
    expect(encodeMessageId(longest)).toBe(`4294967295:4294967295:${longest.folder}`);
    expect(encodeMessageId({ ...longest, folder: `${longest.folder}x` })).toMatch(/#/);
    expect(threadIdOf({ references: '<Root@X.test> <b@x.test>', inReplyTo: '<b@x.test>' })).toBe(threadIdOf({ messageId: 'root@x.test' }));
    expect(threadIdOf({ inReplyTo: '<b@x.test>' })).toBe(threadIdOf({ messageId: '<B@x.test>' }));
    expect(threadIdOf({})).toBeNull();
  });

  it('Bcc leaves the SMTP copy, with its folded lines, and nothing else changes', () => {
    const raw = Buffer.from('From: a@x\r\nBcc: b@x,\r\n c@x\r\nSubject: s\r\n\r\nBcc: body stays\r\n');
    expect(withoutBcc(raw).toString()).toBe('From: a@x\r\nSubject: s\r\n\r\nBcc: body stays\r\n');
  });

  it('maps a server refusal and a size refusal', () => {
    const endpoint = { host: 'mail.example.com', port: 993, security: 'tls' as const };
    const refused = mapImapError({ responseStatus: 'NO', responseText: '[OVERQUOTA] Quota exceeded', serverResponseCode: 'OVERQUOTA' }, endpoint);
    expect(refused).toBeInstanceOf(MailServerError);
    expect(refused).toMatchObject({ message: '[OVERQUOTA] Quota exceeded', status: 400, responseCode: 'OVERQUOTA', name: 'MailServerError' });
    expect(mapImapError({ responseStatus: 'NO', responseText: 'busy', serverResponseCode: 'UNAVAILABLE' }, endpoint)).toBeInstanceOf(ProviderUnavailableError);
    const big = mapSmtpError({ code: 'EMESSAGE', message: 'Message size larger than allowed 52428800' }, endpoint, 60_000_000);
    expect(big).toBeInstanceOf(MessageTooLargeError);
    expect(big).toMatchObject({ size: 60_000_000, limit: 52_428_800 });
  });
});
