/**
 * Real IMAP/SMTP servers for tests: Debian's Dovecot 2.3 (IMAP + LMTP) and Postfix 3.7, started
 * as throw-away instances on free loopback ports, one pair per `startMailServers()` call.
 *
 *   const mail = await startMailServers();            // domain imap.test
 *   const alice = await mail.addUser('alice', 'pw');  // 'alice@imap.test'
 *   const ca = fs.readFileSync(mail.caCertPath);
 *   new ImapFlow({ ...mail.imap, auth: { user: alice, pass: 'pw' }, tls: { ca } });
 *   nodemailer.createTransport({ ...mail.smtp, auth: { user: alice, pass: 'pw' }, tls: { ca } });
 *   await mail.close();
 *
 * LAYOUT. Everything of an instance lives in its own temp dir, /tmp/mail-servers-XXXXXX (0711),
 * whose name is the instance id:
 *   dovecot.conf     Dovecot's whole configuration (`dovecot -F -c`; no !include, /etc/dovecot unused)
 *   dovecot/         base_dir: master.pid, login/auth/stats sockets, and the two sockets Postfix
 *                    uses: auth-postfix (SMTP AUTH) and lmtp-postfix (delivery), owned by postfix
 *   dovecot-state/   state_dir;   dovecot.log: every Dovecot line (auth failures included)
 *   users/<address>  one passwd-file per user, the passdb and the userdb (`args = .../%Lu`):
 *                    `user@domain:{PLAIN.B64}<password>` (base64: any character works in a
 *                    password). Users come and change while the servers run (see writeUser).
 *                    A user added with folderLayout 'fs' has the extra field
 *                    `userdb_mail=maildir:~/Maildir:LAYOUT=fs` (a directory per folder level)
 *   mail/            mail homes, <domain>/<user>/Maildir, owned by Debian's `mail` user
 *   postfix/         Postfix's config_directory (`postfix -c`): main.cf, master.cf, recipients(.db)
 *   postfix-queue/   queue_directory (root-owned; Postfix makes its subdirs and pid/master.pid)
 *   postfix-data/    data_directory (postfix-owned; master.lock);   postfix.log: via postlogd
 *   start.log        what `dovecot` and `postfix` print themselves (configuration errors)
 *   owner.pid        the Node process that started the instance (see LEFT-OVERS)
 *
 * PORTS, all on 127.0.0.1: IMAP with implicit TLS (`imap.port`) and plain IMAP offering STARTTLS
 * (`imap.starttlsPort`; loopback counts as secure for Dovecot, so LOGIN works there with or
 * without STARTTLS); SMTP with STARTTLS (`smtp.port`; AUTH offered only after STARTTLS; mail to
 * the domain is also taken without AUTH, as an MX would) and with implicit TLS (`smtp.tlsPort`).
 * TLS: the dev certificate dev/emulators/tls/cert.pem (CN localhost, SANs localhost + 127.0.0.1,
 * self-signed with CA:TRUE, so it is its own CA), which vitest trusts via NODE_EXTRA_CA_CERTS.
 *
 * CHOICES
 * - Postfix -> Dovecot over LMTP on a unix socket in the temp dir, not over TCP: no fifth port to
 *   pick (nor to lose a race for), nothing reachable over the network, and the socket belongs to
 *   postfix (Postfix's lmtp client runs as that user). All Postfix services run with chroot = n,
 *   so absolute socket paths work as written (postqueue/postsuper -c <dir> work as root too).
 * - SMTP AUTH is Postfix's dovecot SASL against the same passwd-file: one password for both.
 * - Recipients: `virtual_mailbox_maps = hash:postfix/recipients`, rebuilt with postmap by
 *   addUser, so an unknown user is refused at RCPT TO (550 5.1.1) rather than bounced later.
 *   A Postfix process re-opens a map whose file changed ("table ... has changed -- restarting"),
 *   but it compares mtimes in whole seconds: after postmap, the .db's mtime is moved to a second
 *   it never had before. Any other domain is refused at RCPT TO (554 5.7.1, authenticated or
 *   not), and every non-domain transport is `error:`: no mail ever leaves the machine.
 * - Ports are picked by binding port 0 (the kernel's random ephemeral ports), not with
 *   portfinder, which hands parallel test processes the same "first free port from 8000".
 * - Both masters run in the foreground as children of this process (`dovecot -F`,
 *   `postfix start-fg`): Node reaps them at once (a daemonized master is adopted by PID 1; a
 *   container's init may reap late, and until then a stopped master is a zombie), and a
 *   master that dies during start-up is reported at once with its output.
 * - Start-up waits until all four ports greet with this instance's id (the id is in both
 *   banners), then checks in /proc/net/tcp that no other socket listens on them (see below).
 *
 * PITFALLS met on the way (Debian 12):
 * - Every Postfix program "pauses to let main.cf cool down" while main.cf is younger than about a
 *   second, re-reading it up to 5 times: 1.8 s per postconf/postmap/postfix call. The freshly
 *   written main.cf and master.cf get an mtime one minute in the past.
 * - Postfix's master sets SO_REUSEPORT on its listeners: a second instance binding the same port
 *   does NOT fail, the kernel then spreads connections over both. Two instances can only pick
 *   the same port when both start at the same moment; the listener check above catches it and
 *   the start is retried on new ports (as when Dovecot reports "Address already in use").
 * - `postfix start` / `dovecot` daemonize with the stdout/stderr they were given: with pipes
 *   (execFile) the caller never sees them close. Output goes to start.log.
 * - Two Postfix instances must not share data_directory: the master locks master.lock there.
 * - Dovecot's auth penalty: after a wrong password from an IP, later logins from it wait up to
 *   15 s, and every test connects from 127.0.0.1. Off here (anvil-auth-penalty listener with
 *   mode 0), like auth_failure_delay (2 s by default, 0 here).
 * - Dovecot refuses mail uids below first_valid_uid (500): set to the `mail` user's uid (8).
 * - The auth process runs as `dovecot` (users/: root:dovecot 0750/0640), login processes as
 *   dovenull, mail processes as `mail`, Postfix's as postfix: the temp dir must be 0711.
 *
 * A SECOND INSTANCE coexists because nothing is shared but the binaries and the system users:
 * own ports, own Dovecot base_dir/state_dir (own master.pid, sockets; `instance_name` is the
 * instance id, so ps shows "dovecot-<id>/imap"), own Postfix config, queue and data dirs, own
 * syslog_name "postfix-<id>". `postfix -c <dir> start-fg` needs no multi-instance set-up and no
 * /etc/postfix/main.cf (there is none: the package is configured as "No configuration"): as root,
 * -c is all it takes. multi_instance_directories, postmulti and alternate_config_directories
 * (in the default main.cf) matter to postmulti and to set-gid commands run by other users
 * (postdrop, postqueue); start-fg even refuses to run with multi_instance_directories set.
 *
 * ROOT is needed: Postfix's master must start as root (queue dirs owned by root and postfix, it
 * drops to the postfix user per service), Dovecot must start as root to switch between its
 * dovecot/dovenull/mail users, and ensure-installed.mjs needs root for apt-get.
 *
 * LEFT-OVERS: close() stops both masters (SIGTERM, SIGKILL after 10 s), then anything of the
 * instance still found in /proc, and removes the temp dir. A process that exits without close()
 * stops the masters in an exit hook; one killed by a signal leaves them running, and the next
 * startMailServers() on the machine stops and removes every instance whose owner.pid is gone.
 *
 * MAIL_SERVERS_DEBUG=1 prints how long each port took to answer at start-up.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { CERT_PATH, KEY_PATH, ensureCert } from '../emulators/tls/ensure-cert.mjs';
import { ensureMailServersInstalled } from './ensure-installed.mjs';
import { dovecotConf, postfixMainCf, postfixMasterCf, type InstancePaths, type InstancePorts } from './config';

const run = promisify(execFile);

const DIR_PREFIX = 'mail-servers-';
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export interface MailServersOptions {
  /** The one mail domain of the instance; default 'imap.test'. */
  domain?: string;
}

export interface MailServers {
  readonly domain: string;
  /** `port`: implicit TLS (imaps). `starttlsPort`: plain IMAP that offers STARTTLS. */
  readonly imap: { host: '127.0.0.1'; port: number; secure: true; starttlsPort: number };
  /** `port`: SMTP with STARTTLS (AUTH after STARTTLS only). `tlsPort`: implicit TLS (submissions). */
  readonly smtp: { host: '127.0.0.1'; port: number; secure: false; tlsPort: number };
  /** PEM of the CA that signed both servers' certificate (the dev certificate itself). */
  readonly caCertPath: string;
  /** The instance's temp dir (see the layout above). */
  readonly dir: string;
  /** Pids of the Dovecot and Postfix master processes. */
  readonly pids: { dovecot: number; postfix: number };
  /**
   * Adds a mailbox user, usable as soon as this resolves; resolves to the full address (lower
   * case). Re-adding an existing user sets its password (see setPassword).
   */
  addUser(localPart: string, password: string, options?: UserOptions): Promise<string>;
  /**
   * Changes the password of an existing user (IMAP and SMTP AUTH alike). Takes up to a second:
   * it resolves once Dovecot is sure to read the new password.
   */
  setPassword(email: string, password: string): Promise<void>;
  /** The last lines (default 40) of the Dovecot and the Postfix log, for failure messages. */
  logs(lines?: number): Promise<string>;
  /** Stops both servers and removes the temp dir; safe to call more than once. */
  close(): Promise<void>;
}

export interface UserOptions {
  /**
   * How the user's folders lie on disk. The default (Maildir++) keeps a whole folder path in one
   * directory name, so a nested path is at most 255 bytes; `fs` gives each level a directory of
   * its own, for the long nested paths IMAP allows (Dovecot: 255 bytes a level).
   */
  folderLayout?: 'maildir++' | 'fs';
}

interface SystemIds {
  mail: { uid: number; gid: number };
  postfix: { uid: number; gid: number };
  dovecotGid: number;
}

function systemIds(): SystemIds {
  const users = new Map<string, { uid: number; gid: number }>();
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid) users.set(name, { uid: Number(uid), gid: Number(gid) });
  }
  const groups = new Map<string, number>();
  for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid) groups.set(name, Number(gid));
  }
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`mail-servers: the system ${what} is missing (are dovecot-core and postfix installed?)`);
    return value;
  };
  return {
    mail: need(users.get('mail'), 'user "mail"'),
    postfix: need(users.get('postfix'), 'user "postfix"'),
    dovecotGid: need(groups.get('dovecot'), 'group "dovecot"'),
  };
}

function instancePaths(root: string): InstancePaths {
  return {
    root,
    dovecotConf: path.join(root, 'dovecot.conf'),
    dovecotBase: path.join(root, 'dovecot'),
    dovecotState: path.join(root, 'dovecot-state'),
    dovecotLog: path.join(root, 'dovecot.log'),
    users: path.join(root, 'users'),
    mail: path.join(root, 'mail'),
    authSocket: path.join(root, 'dovecot', 'auth-postfix'),
    lmtpSocket: path.join(root, 'dovecot', 'lmtp-postfix'),
    postfixConfig: path.join(root, 'postfix'),
    postfixQueue: path.join(root, 'postfix-queue'),
    postfixData: path.join(root, 'postfix-data'),
    postfixLog: path.join(root, 'postfix.log'),
    recipients: path.join(root, 'postfix', 'recipients'),
  };
}

/** Distinct free loopback ports: all bound to port 0 at once, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a process runs. A zombie does not: a master left by a dead test process belongs to
 * PID 1, and a container's init may reap it late (kill(pid, 0) succeeds on a zombie).
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; comm may contain spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return !fs.existsSync('/proc/self/stat'); // gone between kill() and the read, or no /proc
  }
}

/** A pid from a pid file, when that process is alive and is what the file belongs to. */
function livePid(pidFile: string, command: RegExp): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return undefined;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (!command.test(cmdline)) return undefined; // pid reused by something else
  } catch {
    // no /proc: trust the pid file
  }
  return pid;
}

const DOVECOT_MASTER = /dovecot/;
const POSTFIX_MASTER = /\bmaster\b/;

/** SIGTERM, and SIGKILL when the process is still there after `graceMs`. */
async function stopPid(pid: number | undefined, graceMs = STOP_TIMEOUT_MS): Promise<void> {
  if (!pid || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    while (alive(pid)) await sleep(50);
  }
}

function masterPids(p: InstancePaths) {
  return {
    dovecot: livePid(path.join(p.dovecotBase, 'master.pid'), DOVECOT_MASTER),
    postfix: livePid(path.join(p.postfixQueue, 'pid', 'master.pid'), POSTFIX_MASTER),
  };
}

/**
 * Processes of an instance found in /proc, whatever their parent: Dovecot's carry the instance id
 * in their titles ("dovecot-<id>/imap"; the master's command line holds the config path), Postfix's
 * have MAIL_CONFIG=<dir>/postfix in their environment. Catches what pid files miss: a master
 * that had not written its pid file yet when a start-up failed, children of a killed master.
 */
function instanceProcesses(root: string): number[] {
  const id = path.basename(root);
  const mailConfig = `MAIL_CONFIG=${path.join(root, 'postfix')}`;
  const found: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(id) || fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(mailConfig)) {
        if (alive(Number(entry))) found.push(Number(entry));
      }
    } catch {
      // exited meanwhile, or not readable
    }
  }
  return found;
}

/** Stops the servers of an instance dir, then removes it. */
async function destroyInstance(root: string): Promise<void> {
  // The masters first, gracefully: each stops its own children.
  const pids = masterPids(instancePaths(root));
  await Promise.all([stopPid(pids.postfix), stopPid(pids.dovecot)]);
  const rest = instanceProcesses(root);
  if (rest.length) await Promise.all(rest.map((pid) => stopPid(pid, 2000)));
  await fs.promises.rm(root, { recursive: true, force: true });
}

/** Instances whose test process is gone (killed with SIGKILL, a crashed runner): stopped, removed. */
async function reapOrphans(): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(os.tmpdir());
  } catch {
    return;
  }
  for (const name of entries.filter((e) => e.startsWith(DIR_PREFIX))) {
    const root = path.join(os.tmpdir(), name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(root, 'owner.pid'), 'utf8'));
    } catch {
      // Being set up right now by another process (owner.pid is its first file) or not ours.
      continue;
    }
    if (owner && !alive(owner)) await destroyInstance(root).catch(() => {});
  }
}

/** Instances of this process, stopped synchronously should it exit without close(). */
const live = new Set<InstancePaths>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) {
      const pids = masterPids(p);
      for (const pid of [pids.postfix, pids.dovecot]) {
        try {
          if (pid) process.kill(pid, 'SIGTERM');
        } catch {
          // gone already
        }
      }
    }
  });
}

/**
 * Starts a master in the foreground, as a child of this process (`dovecot -F`, `postfix start-fg`):
 * this process reaps it when it exits, and a master that dies during start-up is noticed at once.
 * Output goes to a file, never to pipes (a pipe held by a server would keep its reader waiting).
 * Unref'd: a forgotten close() does not keep the test process alive (the exit hook stops them).
 */
function spawnMaster(command: string, args: string[], outputFile: string) {
  const out = fs.openSync(outputFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`${command} could not be run: ${error.message}`));
    child.once('exit', (code, signal) => resolve(`${command} ${args.join(' ')} exited (${signal ?? `code ${code}`}): ${fs.readFileSync(outputFile, 'utf8').trim()}`));
  });
  return { child, exited };
}

async function tail(file: string, lines: number): Promise<string> {
  try {
    const text = await fs.promises.readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(${(error as Error).message})`;
  }
}

async function logTail(p: InstancePaths, lines = 40): Promise<string> {
  const parts = [];
  const startLog = path.join(p.root, 'start.log');
  for (const file of [p.dovecotLog, p.postfixLog, startLog]) {
    const text = await tail(file, lines);
    // start.log has lines only when dovecot or postfix complained themselves.
    if (file !== startLog || (fs.existsSync(startLog) && text)) parts.push(`--- ${file}\n${text}`);
  }
  return parts.join('\n');
}

/**
 * Connects and reads the greeting line; resolves to it, rejects on error or after 2 s. TLS is
 * verified against `ca` (the dev certificate).
 */
function readGreeting(port: number, secure: boolean, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = secure ? tls.connect({ host: '127.0.0.1', port, ca }) : net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(data.split('\r\n')[0]);
    };
    const timer = setTimeout(() => done(new Error('no greeting within 2 s')), 2000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
      if (data.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', () => done(new Error(`connection closed before a greeting (${JSON.stringify(data)})`)));
  });
}

/**
 * Listening TCP sockets on a loopback port, from /proc/net/tcp{,6}. More than one means that
 * two servers share the port: Postfix's master sets SO_REUSEPORT on its listeners, so a second
 * Postfix binding the same port does not fail; the kernel then spreads connections over both.
 */
function listenersOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) count++;
    }
  }
  return count;
}

async function waitForGreetings(p: InstancePaths, ports: InstancePorts, ca: Buffer, died: () => string | undefined): Promise<void> {
  const id = path.basename(p.root);
  const checks: Array<[string, number, boolean, RegExp]> = [
    ['IMAP (implicit TLS)', ports.imaps, true, new RegExp(`^\\* OK .*${id}`)],
    ['IMAP (STARTTLS)', ports.imap, false, new RegExp(`^\\* OK .*STARTTLS.*${id}`)],
    ['SMTP (STARTTLS)', ports.smtp, false, new RegExp(`^220 .*${id}`)],
    ['SMTP (implicit TLS)', ports.smtps, true, new RegExp(`^220 .*${id}`)],
  ];
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const [name, port, secure, expected] of checks) {
    let last = '';
    for (;;) {
      try {
        const greeting = await readGreeting(port, secure, ca);
        if (expected.test(greeting)) {
          if (process.env.MAIL_SERVERS_DEBUG) console.log(`mail-servers: ${name} answered after ${Date.now() - deadline + START_TIMEOUT_MS} ms`);
          break;
        }
        last = `unexpected greeting ${JSON.stringify(greeting)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      const death = died();
      if (death) throw new Error(`mail-servers: ${death}\n${await logTail(p)}`);
      if (Date.now() > deadline) {
        throw new Error(`mail-servers: ${name} on 127.0.0.1:${port} did not answer within ${START_TIMEOUT_MS / 1000} s (${last})\n${await logTail(p)}`);
      }
      await sleep(100);
    }
  }
  // A port shared with another instance that started at the same moment and picked the same
  // port: retried on new ports (the caller reacts to "Address already in use").
  for (const [name, port] of checks) {
    const count = listenersOn(port);
    if (count > 1) throw new Error(`mail-servers: Address already in use: ${count} listeners on 127.0.0.1:${port} (${name})`);
  }
  // The sockets Postfix needs: without them every delivery and every AUTH would fail later on.
  for (const socket of [p.lmtpSocket, p.authSocket]) {
    while (!fs.existsSync(socket)) {
      if (Date.now() > deadline) throw new Error(`mail-servers: Dovecot made no ${socket}\n${await logTail(p)}`);
      await sleep(100);
    }
  }
}

function checkLocalPart(localPart: string) {
  if (!/^[a-z0-9._+-]+$/i.test(localPart) || localPart.startsWith('.') || localPart.endsWith('.')) {
    throw new Error(`mail-servers: unsupported local part ${JSON.stringify(localPart)} (letters, digits, . _ + - only)`);
  }
}

/** Starts a Dovecot + Postfix pair for `domain`. Needs root and the Debian packages (installed when missing). */
export async function startMailServers(options: MailServersOptions = {}): Promise<MailServers> {
  const domain = (options.domain ?? 'imap.test').toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) throw new Error(`mail-servers: invalid domain ${JSON.stringify(domain)}`);
  if (process.platform !== 'linux') throw new Error('mail-servers: Linux only (Debian packages dovecot-imapd, dovecot-lmtpd, postfix)');
  // First: when packages are missing, its error says what to install (and that root is needed).
  ensureMailServersInstalled();
  if (process.getuid?.() !== 0) {
    throw new Error(`mail-servers: must run as root (Postfix's master and Dovecot start as root, then drop privileges); this process runs as uid ${process.getuid?.()}`);
  }
  ensureCert();
  const ids = systemIds();
  const ca = await fs.promises.readFile(CERT_PATH);
  await reapOrphans();

  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), DIR_PREFIX));
    const p = instancePaths(root);
    live.add(p);
    installExitHook();
    try {
      return await startInstance(p, domain, ids, ca);
    } catch (error) {
      lastError = error as Error;
      live.delete(p);
      await destroyInstance(root).catch(() => {});
      // Another process took one of the picked ports between pick and bind: pick again.
      if (!/Address already in use|address in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function startInstance(p: InstancePaths, domain: string, ids: SystemIds, ca: Buffer): Promise<MailServers> {
  const started = Date.now();
  const id = path.basename(p.root);
  await fs.promises.writeFile(path.join(p.root, 'owner.pid'), String(process.pid));
  // The postfix user reaches the sockets in dovecot/, the mail user its homes in mail/.
  await fs.promises.chmod(p.root, 0o711);

  const [imaps, imap, smtp, smtps] = await freePorts(4);
  const ports: InstancePorts = { imaps, imap, smtp, smtps };
  const who = { id, domain, certPath: CERT_PATH, keyPath: KEY_PATH, mailUid: ids.mail.uid, mailGid: ids.mail.gid };

  // Dovecot: config and users readable by the dovecot group (the auth process runs as `dovecot`).
  await fs.promises.writeFile(p.dovecotConf, dovecotConf(p, ports, who), { mode: 0o644 });
  await fs.promises.mkdir(p.users, { mode: 0o750 });
  await fs.promises.chown(p.users, 0, ids.dovecotGid);
  await fs.promises.mkdir(p.mail, { mode: 0o700 });
  await fs.promises.chown(p.mail, ids.mail.uid, ids.mail.gid);

  // Postfix: config files root-owned and not group/other-writable, or postfix refuses them.
  await fs.promises.mkdir(p.postfixConfig, { mode: 0o755 });
  await fs.promises.writeFile(path.join(p.postfixConfig, 'main.cf'), postfixMainCf(p, who), { mode: 0o644 });
  await fs.promises.writeFile(path.join(p.postfixConfig, 'master.cf'), postfixMasterCf(ports), { mode: 0o644 });
  // Every Postfix program "pauses to let main.cf cool down" while the file is younger than a
  // second or so, and re-reads it up to 5 times: 1.8 s per postconf/postmap/postfix call.
  const past = Date.now() / 1000 - 60;
  for (const file of ['main.cf', 'master.cf']) await fs.promises.utimes(path.join(p.postfixConfig, file), past, past);
  await fs.promises.mkdir(p.postfixQueue, { mode: 0o755 });
  await fs.promises.mkdir(p.postfixData, { mode: 0o700 });
  await fs.promises.chown(p.postfixData, ids.postfix.uid, ids.postfix.gid);
  await fs.promises.writeFile(p.postfixLog, '', { mode: 0o644 });

  const users = new Set<string>(); // addresses
  // Dovecot (passwd-file) and Postfix (hash map) notice a changed file by its mtime in whole
  // seconds (Dovecot: or its size). Two changes within one second would go unnoticed, so each
  // write gets an mtime one second past the previous one, even if that is ahead of the clock.
  const stamps = new Map<string, number>();
  const stamp = async (file: string) => {
    const next = Math.max(Math.floor(Date.now() / 1000), (stamps.get(file) ?? 0) + 1);
    stamps.set(file, next);
    await fs.promises.utimes(file, next, next);
  };
  /** Userdb extra fields of users with a folder layout of their own (kept when the password changes). */
  const extraFields = new Map<string, string>();
  /**
   * One passwd-file per user. Dovecot stats a passwd-file at most once per second (of its event
   * loop's clock), so a changed password may go unseen until the next second: after changing an
   * existing file this waits for it. A new user's file is read at its first lookup, at once.
   */
  const writeUser = async (email: string, password: string) => {
    const file = path.join(p.users, email);
    const existed = users.has(email);
    const temp = `${file}.tmp`;
    const line = `${email}:{PLAIN.B64}${Buffer.from(password, 'utf8').toString('base64')}::::::${extraFields.get(email) ?? ''}\n`;
    await fs.promises.writeFile(temp, line, { mode: 0o640 });
    await fs.promises.chown(temp, 0, ids.dovecotGid);
    await stamp(temp);
    stamps.set(file, stamps.get(temp)!);
    // Replaced, never rewritten in place: a lookup never reads half a file.
    await fs.promises.rename(temp, file);
    users.add(email);
    if (existed) await sleep(1010 - (Date.now() % 1000));
  };
  const writeRecipients = async () => {
    await fs.promises.writeFile(p.recipients, [...users].map((email) => `${email} OK\n`).join(''), { mode: 0o644 });
    await run('postmap', ['-c', p.postfixConfig, `hash:${p.recipients}`]);
    await stamp(`${p.recipients}.db`);
  };
  await writeRecipients();

  // Dovecot checks its configuration before it forks anything: a bad one fails here, fast.
  const startLog = path.join(p.root, 'start.log');
  const dovecot = spawnMaster('dovecot', ['-F', '-c', p.dovecotConf], startLog);
  const postfix = spawnMaster('postfix', ['-c', p.postfixConfig, 'start-fg'], startLog);
  let death: string | undefined;
  void dovecot.exited.then((why) => (death ??= why));
  void postfix.exited.then((why) => (death ??= why));
  await waitForGreetings(p, ports, ca, () => death);
  const pids = masterPids(p);
  if (!pids.dovecot || !pids.postfix) throw new Error(`mail-servers: a master process is missing (${JSON.stringify(pids)})\n${await logTail(p)}`);
  if (process.env.MAIL_SERVERS_DEBUG) console.log(`mail-servers ${id} up in ${Date.now() - started} ms`);

  // File updates one at a time: concurrent addUser calls must not interleave their rewrites.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };
  let closing: Promise<void> | undefined;

  return {
    domain,
    imap: { host: '127.0.0.1', port: ports.imaps, secure: true, starttlsPort: ports.imap },
    smtp: { host: '127.0.0.1', port: ports.smtp, secure: false, tlsPort: ports.smtps },
    caCertPath: CERT_PATH,
    dir: p.root,
    pids: { dovecot: pids.dovecot, postfix: pids.postfix },
    addUser: (localPart, password, options = {}) =>
      serial(async () => {
        checkLocalPart(localPart);
        const email = `${localPart}@${domain}`.toLowerCase();
        const known = users.has(email);
        // The passwd-file's extra fields (after the 7th colon, colons allowed): userdb_ ones go to the userdb.
        if (options.folderLayout === 'fs') extraFields.set(email, 'userdb_mail=maildir:~/Maildir:LAYOUT=fs');
        else if (options.folderLayout) extraFields.delete(email);
        await writeUser(email, password);
        if (!known) await writeRecipients();
        return email;
      }),
    setPassword: (email, password) =>
      serial(async () => {
        const key = email.toLowerCase();
        if (!users.has(key)) throw new Error(`mail-servers: no user ${email}`);
        await writeUser(key, password);
      }),
    logs: (lines = 40) => logTail(p, lines),
    close: () =>
      (closing ??= (async () => {
        await queue;
        await destroyInstance(p.root);
        live.delete(p);
      })()),
  };
}
