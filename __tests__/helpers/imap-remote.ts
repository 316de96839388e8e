/**
 * The other side of an IMAP sync test: a second client of our own (imapflow, straight to
 * Dovecot, never through the app's fault proxy) that changes the mailbox as another mail client
 * would, and reads what the server holds, which the app's stored rows must equal.
 *
 * What it computes on its own, to compare with the app rather than repeat it: the folder list
 * and boxes (from SPECIAL-USE, which Dovecot's configuration sets), and the thread headers (read
 * from the raw header block). Only the hash of the thread root is the app's (threadIdOf): it is
 * the definition of a thread id, not a result to check.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { MailServers } from '../../dev/mail-servers';
import { threadIdOf } from '../../src/server/providers/imap/ids';

const run = promisify(execFile);

/** A message as the app must have stored it (mailMessages: providerMessageId, threadId, folderIds, box, read, starred). */
export interface ExpectedMessage {
  id: string;
  threadId: string;
  places: string[];
  box: string | null;
  read: boolean;
  starred: boolean;
}

export interface RemoteMessage {
  folder: string;
  uid: number;
  flags: Set<string>;
}

/** Dovecot's special-use folders (dev/mail-servers/config.ts) and the boxes the app shows them as. */
const BOXES: Record<string, string> = { '\\Sent': 'sent', '\\Drafts': 'drafts', '\\Trash': 'trash', '\\Junk': 'spam', '\\Archive': 'archive' };
/** Views of mail kept elsewhere: the app does not sync them (none in this Dovecot, kept for safety). */
const VIRTUAL = ['\\All', '\\Flagged', '\\Noselect', '\\NonExistent'];
const THREAD_HEADERS = ['message-id', 'in-reply-to', 'references'];
/** How long a mail handed to Postfix may take to reach the Inbox (LMTP; usually well under a second). */
const DELIVERY_TIMEOUT_MS = 30_000;

/** The first of each thread header in a raw header block, unfolded. */
export function threadHeaders(block: string) {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const get = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1].trim() || null;
  return { messageId: get('Message-ID'), inReplyTo: get('In-Reply-To'), references: get('References') };
}

export class RemoteMailbox {
  private client: ImapFlow | null = null;

  constructor(
    private readonly servers: MailServers,
    readonly email: string,
    private readonly password: string,
  ) {}

  /** The connection, opened again when the server dropped it (a UIDVALIDITY change does). */
  private async imap() {
    if (this.client?.usable) return this.client;
    this.client?.close();
    this.client = new ImapFlow({ ...this.servers.imap, auth: { user: this.email, pass: this.password }, tls: { ca: fs.readFileSync(this.servers.caCertPath) }, logger: false });
    this.client.on('error', () => undefined);
    await this.client.connect();
    return this.client;
  }

  async close() {
    const client = this.client;
    this.client = null;
    if (client?.usable) await client.logout().catch(() => undefined);
    client?.close();
  }

  /** The folders the app syncs, by path, with their boxes (null: the user's own). */
  async folders(): Promise<{ path: string; box: string | null }[]> {
    const list = await (await this.imap()).list();
    return list
      .filter((f) => !VIRTUAL.some((flag) => f.flags.has(flag)))
      .map((f) => {
        const special = Object.keys(BOXES).find((flag) => f.flags.has(flag));
        return { path: f.path, box: f.path.toUpperCase() === 'INBOX' ? 'inbox' : special ? BOXES[special] : null };
      })
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Every message, folder by folder, by UID: what a random change picks from. */
  async messages(): Promise<RemoteMessage[]> {
    const all: RemoteMessage[] = [];
    for (const { path: folder } of await this.folders()) {
      const client = await this.imap();
      const box = await client.mailboxOpen(folder, { readOnly: true });
      if (!box.exists) continue;
      const fetched = await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true });
      all.push(...fetched.sort((a, b) => a.uid - b.uid).map((m) => ({ folder, uid: m.uid, flags: m.flags || new Set<string>() })));
    }
    return all;
  }

  /** The whole mailbox as the stored rows must be. */
  async expected(): Promise<ExpectedMessage[]> {
    const out: ExpectedMessage[] = [];
    for (const { path: folder, box } of await this.folders()) {
      const client = await this.imap();
      const opened = await client.mailboxOpen(folder, { readOnly: true });
      if (!opened.exists) continue;
      for (const m of await client.fetchAll('1:*', { uid: true, flags: true, headers: THREAD_HEADERS }, { uid: true })) {
        const id = `${opened.uidValidity}:${m.uid}:${folder}`;
        const threadId = threadIdOf(threadHeaders(m.headers?.toString('latin1') || '')) ?? id;
        out.push({ id, threadId, places: [folder], box, read: Boolean(m.flags?.has('\\Seen')), starred: Boolean(m.flags?.has('\\Flagged')) });
      }
    }
    return out;
  }

  /** The thread headers of one message, to write a reply to it. */
  async headersOf(folder: string, uid: number) {
    const client = await this.imap();
    await client.mailboxOpen(folder);
    const m = await client.fetchOne(String(uid), { uid: true, headers: THREAD_HEADERS }, { uid: true });
    return threadHeaders(m ? m.headers?.toString('latin1') || '' : '');
  }

  async append(folder: string, raw: Buffer, flags: string[]) {
    await (await this.imap()).append(folder, raw, flags);
  }

  async setFlag(folder: string, uid: number, flag: string, on: boolean) {
    const client = await this.imap();
    await client.mailboxOpen(folder);
    if (on) await client.messageFlagsAdd(String(uid), [flag], { uid: true });
    else await client.messageFlagsRemove(String(uid), [flag], { uid: true });
  }

  async move(folder: string, uid: number, to: string) {
    const client = await this.imap();
    await client.mailboxOpen(folder);
    await client.messageMove(String(uid), to, { uid: true });
  }

  /** \Deleted and EXPUNGE of that one UID (UID EXPUNGE: UIDPLUS). */
  async remove(folder: string, uid: number) {
    const client = await this.imap();
    await client.mailboxOpen(folder);
    await client.messageDelete(String(uid), { uid: true });
  }

  async createFolder(folder: string) {
    await (await this.imap()).mailboxCreate(folder);
  }

  async renameFolder(from: string, to: string) {
    const client = await this.imap();
    if (client.mailbox) await client.mailboxClose();
    await client.mailboxRename(from, to);
  }

  /** Deletes a folder with the mail in it (Dovecot allows that). */
  async deleteFolder(folder: string) {
    const client = await this.imap();
    if (client.mailbox) await client.mailboxClose();
    await client.mailboxDelete(folder);
  }

  /**
   * Gives a folder a new UIDVALIDITY, its messages and UIDs unchanged: what a server restored from
   * a backup or migrated does. Dovecot ends the sessions that had the folder open ("IMAP session
   * state is inconsistent, please relogin"), the app's included; ours logs out first (a STATUS
   * is enough to leave the folder open in it) and logs in again at its next call.
   */
  async changeUidValidity(folder: string, bump: number) {
    const status = await (await this.imap()).status(folder, { uidValidity: true });
    if (!status || status.uidValidity === undefined) throw new Error(`No UIDVALIDITY for ${folder}`);
    const next = Number((BigInt(status.uidValidity) + BigInt(bump)) % 0xffffffffn) || 1;
    await this.close();
    await run('doveadm', ['-c', path.join(this.servers.dir, 'dovecot.conf'), 'mailbox', 'update', '-u', this.email, '--uid-validity', String(next), folder]);
    return next;
  }

  /** Sends a mail through Postfix (SMTP, STARTTLS) and waits until Dovecot has it in the Inbox. */
  async deliver(raw: Buffer, messageId: string) {
    const transport = nodemailer.createTransport({ host: this.servers.smtp.host, port: this.servers.smtp.port, secure: false, requireTLS: true });
    await transport.sendMail({ envelope: { from: 'sender@example.test', to: [this.email] }, raw });
    transport.close();
    const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
    for (;;) {
      const client = await this.imap();
      await client.mailboxOpen('INBOX', { readOnly: true });
      const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      if (found && found.length) return;
      if (Date.now() > deadline) throw new Error(`Postfix did not deliver ${messageId} within ${DELIVERY_TIMEOUT_MS} ms\n${await this.servers.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
