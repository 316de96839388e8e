/**
 * The real IMAP/SMTP servers of dev/mail-servers (Debian's Dovecot + Postfix, throw-away instances):
 * what the IMAP/SMTP account tests rely on. Needs root; installs the packages when missing.
 */
import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../dev/mail-servers';

let mail: MailServers;
let ca: Buffer;
let alice: string;
let bob: string;
const PASSWORDS = { alice: 'alice: secret ü', bob: 'bob-secret' };

beforeAll(async () => {
  mail = await startMailServers();
  ca = fs.readFileSync(mail.caCertPath);
  alice = await mail.addUser('alice', PASSWORDS.alice);
  bob = await mail.addUser('bob', PASSWORDS.bob);
});

afterAll(async () => {
  await mail?.close();
});

function imap(user: string, pass: string, { servers = mail, starttls = false, autoIdleDelay = undefined as number | undefined } = {}) {
  const port = starttls ? servers.imap.starttlsPort : servers.imap.port;
  // `ca` only: certificate checks stay on.
  return new ImapFlow({ host: servers.imap.host, port, secure: !starttls, doSTARTTLS: starttls || undefined, auth: { user, pass }, tls: { ca }, logger: false, autoIdleDelay });
}

function smtp(user: string, pass: string, servers = mail) {
  // requireTLS: STARTTLS or fail; `ca` only, certificate checks stay on.
  return nodemailer.createTransport({ ...servers.smtp, requireTLS: true, auth: { user, pass }, tls: { ca } });
}

/** Whether a process runs; a zombie does not (a container's init may reap orphans late). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Live processes of an instance: Dovecot's (titles carry the instance id) and Postfix's (MAIL_CONFIG). */
function instanceProcesses(servers: MailServers): number[] {
  const id = servers.dir.split('/').pop()!;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (!running(Number(entry))) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (cmdline.includes(id) || environ.split('\0').includes(`MAIL_CONFIG=${servers.dir}/postfix`)) pids.push(Number(entry));
    } catch {
      // exited while being read
    }
  }
  return pids;
}

describe('IMAP (Dovecot)', () => {
  it('advertises IDLE, CONDSTORE, QRESYNC, MOVE and SPECIAL-USE after login', async () => {
    const client = imap(alice, PASSWORDS.alice);
    await client.connect();
    try {
      for (const capability of ['IDLE', 'CONDSTORE', 'QRESYNC', 'MOVE', 'SPECIAL-USE']) expect(client.capabilities.has(capability), capability).toBe(true);
    } finally {
      await client.logout();
    }
  });

  it('lists the special-use folders with their flags, subscribed', async () => {
    const client = imap(bob, PASSWORDS.bob);
    await client.connect();
    try {
      const folders = await client.list();
      const byPath = new Map(folders.map((f) => [f.path, f]));
      for (const [name, flag] of [['Sent', '\\Sent'], ['Drafts', '\\Drafts'], ['Trash', '\\Trash'], ['Junk', '\\Junk'], ['Archive', '\\Archive']]) {
        expect(byPath.get(name)?.flags.has(flag), name).toBe(true);
        expect(byPath.get(name)?.specialUse, name).toBe(flag);
        expect(byPath.get(name)?.subscribed, name).toBe(true);
      }
      expect(byPath.get('INBOX')?.specialUse).toBe('\\Inbox');
      expect(folders[0].delimiter).toBe('/');
    } finally {
      await client.logout();
    }
  });

  it('speaks STARTTLS on the plain port', async () => {
    const client = imap(alice, PASSWORDS.alice, { starttls: true });
    await client.connect();
    try {
      expect(client.secureConnection).toBe(true);
      expect(await client.status('INBOX', { messages: true })).toMatchObject({ path: 'INBOX', messages: expect.any(Number) });
    } finally {
      await client.logout();
    }
  });

  it('refuses a wrong password with AUTHENTICATIONFAILED', async () => {
    const client = imap(alice, 'not the password');
    const error = await client.connect().then(() => undefined, (e) => e);
    expect(error?.authenticationFailed).toBe(true);
    expect(error?.serverResponseCode).toBe('AUTHENTICATIONFAILED');
    expect(await mail.logs()).toMatch(/passwd-file\(alice@imap\.test,127\.0\.0\.1.*\): Password mismatch/);
  });
});

describe('SMTP (Postfix) into IMAP', () => {
  it("delivers alice's mail (AUTH after STARTTLS, verified certificate) to bob's INBOX, where IDLE sees it", async () => {
    // imapflow enters IDLE by itself once the selected mailbox is quiet for autoIdleDelay.
    const client = imap(bob, PASSWORDS.bob, { autoIdleDelay: 100 });
    await client.connect();
    try {
      const before = (await client.mailboxOpen('INBOX')).exists;
      const exists = new Promise<{ count: number }>((resolve) => client.on('exists', resolve));
      for (let i = 0; i < 100 && !client.idling; i++) await new Promise((r) => setTimeout(r, 20));
      expect(client.idling).toBe(true);

      const sentAt = Date.now();
      const info = await smtp(alice, PASSWORDS.alice).sendMail({ from: alice, to: bob, subject: 'Hello Bob', text: 'Sent through Postfix.' });
      expect(info.accepted).toEqual([bob]);
      // Delivery takes well under a second here; 30 s only tells "never" from "slow on a busy machine".
      const timeout = new Promise<never>((_, reject) => setTimeout(async () => reject(new Error(`no EXISTS within 30 s\n${await mail.logs()}`)), 30_000).unref());
      const event = await Promise.race([exists, timeout]);
      expect(event.count).toBe(before + 1);
      console.info(`[mail-servers] delivered through Postfix, seen by IDLE in ${Date.now() - sentAt} ms`);

      const message = await client.fetchOne(String(event.count), { envelope: true });
      expect(message && message.envelope?.subject).toBe('Hello Bob');
      expect(message && message.envelope?.from?.[0].address).toBe(alice);
    } finally {
      await client.logout();
    }
  });

  it('refuses a wrong password with 535', async () => {
    const error = await smtp(alice, 'not the password').verify().then(() => undefined, (e) => e);
    expect(error?.responseCode).toBe(535);
  });

  it('refuses an unknown user and any other domain at RCPT TO', async () => {
    const transport = smtp(alice, PASSWORDS.alice);
    const unknown = await transport.sendMail({ from: alice, to: `nobody@${mail.domain}`, text: 'x' }).then(() => undefined, (e) => e);
    expect(unknown?.responseCode).toBe(550);
    const outside = await transport.sendMail({ from: alice, to: 'someone@example.com', text: 'x' }).then(() => undefined, (e) => e);
    expect(outside?.responseCode).toBe(554);
  });

  it('serves implicit TLS on tlsPort, and knows users and passwords set while running', async () => {
    const carol = await mail.addUser('carol', 'first');
    await mail.setPassword(carol, 'second');
    const transport = nodemailer.createTransport({ host: mail.smtp.host, port: mail.smtp.tlsPort, secure: true, auth: { user: carol, pass: 'second' }, tls: { ca } });
    const info = await transport.sendMail({ from: carol, to: carol, subject: 'To myself', text: 'x' });
    expect(info.accepted).toEqual([carol]);
    const error = await imap(carol, 'first').connect().then(() => undefined, (e) => e);
    expect(error?.authenticationFailed).toBe(true);
  });
});

describe('instances', () => {
  it('run side by side, each with its own domain, users and ports', async () => {
    const other = await startMailServers({ domain: 'other.test' });
    try {
      const ports = [mail.imap.port, mail.imap.starttlsPort, mail.smtp.port, mail.smtp.tlsPort];
      for (const port of [other.imap.port, other.imap.starttlsPort, other.smtp.port, other.smtp.tlsPort]) expect(ports).not.toContain(port);
      const dave = await other.addUser('dave', 'dave-pw');
      expect(dave).toBe('dave@other.test');
      // bob exists only in the first instance.
      const error = await imap(bob, PASSWORDS.bob, { servers: other }).connect().then(() => undefined, (e) => e);
      expect(error?.authenticationFailed).toBe(true);
      const client = imap(dave, 'dave-pw', { servers: other });
      await client.connect();
      await client.logout();
    } finally {
      await other.close();
    }
    expect(instanceProcesses(other)).toEqual([]);
    expect(fs.existsSync(other.dir)).toBe(false);
  });

  it('close() stops every process of the instance and removes its directory; twice is fine', async () => {
    const processes = instanceProcesses(mail);
    expect(processes).toContain(mail.pids.dovecot);
    expect(processes).toContain(mail.pids.postfix);
    await mail.close();
    await mail.close();
    for (const pid of [mail.pids.dovecot, mail.pids.postfix]) expect(running(pid), `pid ${pid}`).toBe(false);
    expect(instanceProcesses(mail)).toEqual([]);
    expect(fs.existsSync(mail.dir)).toBe(false);
  });
});
