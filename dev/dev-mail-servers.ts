/**
 * The demo IMAP/SMTP mailbox of `npm start`: when Debian's Dovecot and Postfix are installed (and
 * we run as root, which starting them takes), a throw-away pair (dev/mail-servers) with two
 * mailboxes: the demo user's, filled with generated mail and the MIME corpus, and a friend's to
 * write to and from. The app's Email settings then allow IMAP accounts on 127.0.0.1, so "Connect
 * other mailbox" works with the printed login. Without the servers nothing is installed behind the
 * user's back: `describe()` says how to get them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { generateMessages } from './emulators';
import { startMailServers, type MailServers } from './mail-servers';

const DEMO = { user: 'demo', password: 'demo-password', name: 'Demo User' };
const FRIEND = { user: 'friend', password: 'friend-password', name: 'Friendly Sender' };
/** Generated mail over the past two months (inside the default sync window), in the folders of its box. */
const DEMO_MAIL = 80;
const FOLDER_OF_BOX: Record<string, string> = { inbox: 'INBOX', sent: 'Sent', archive: 'Archive', spam: 'Junk', trash: 'Trash', drafts: 'Drafts' };
const CORPUS = path.resolve(__dirname, '../../shared/fixtures/mime');
const BINARIES = ['/usr/sbin/dovecot', '/usr/sbin/postfix'];
const HOW_TO = 'install dovecot-imapd, dovecot-lmtpd and postfix (apt-get install -y …, as root) and run npm start again';

export interface DemoMailServers {
  /** mailSettings values that let members connect the demo mailbox (IMAP on, 127.0.0.1 allowed). */
  readonly settings: Record<string, unknown> | null;
  describe(): string;
  close(): Promise<void>;
}

/** Why there is no demo mailbox here, or null when the servers can run. */
export function demoUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the demo IMAP servers run on Linux only';
  if (BINARIES.some((file) => !fs.existsSync(file))) return `no Dovecot/Postfix here: ${HOW_TO}`;
  if (process.getuid?.() !== 0) return 'starting Dovecot and Postfix takes root; run npm start as root for a demo IMAP mailbox';
  return null;
}

export async function startDemoMailServers(log: (line: string) => void): Promise<DemoMailServers> {
  const reason = demoUnavailable();
  if (reason) return unavailable(reason);
  let servers: MailServers | undefined;
  try {
    servers = await startMailServers({ domain: 'imap.test' });
    const demo = await servers.addUser(DEMO.user, DEMO.password);
    await servers.addUser(FRIEND.user, FRIEND.password);
    await fill(servers, demo, log);
  } catch (error) {
    await servers?.close().catch(() => undefined);
    return unavailable(`the local Dovecot/Postfix did not start (${(error as Error).message.split('\n')[0]})`);
  }
  const running = servers;
  return {
    settings: { imapEnabled: true, imapAllowedHosts: [running.imap.host] },
    describe: () =>
      [
        `    IMAP/SMTP: Dovecot + Postfix on ${running.imap.host} (demo; "Connect other mailbox", then "Other (enter the servers)")`,
        `               ${DEMO.user}@${running.domain} / ${DEMO.password}`,
        `               IMAP ${running.imap.port} (TLS), SMTP ${running.smtp.port} (STARTTLS); write to ${FRIEND.user}@${running.domain}`,
      ].join('\n'),
    close: () => running.close(),
  };
}

function unavailable(reason: string): DemoMailServers {
  return { settings: null, describe: () => `    IMAP/SMTP: no demo mailbox (${reason})`, close: async () => undefined };
}

/** APPENDs the demo mail: generated Inbox and Sent mail, then the MIME corpus when it is next to this checkout. */
async function fill(servers: MailServers, address: string, log: (line: string) => void) {
  const client = new ImapFlow({
    host: servers.imap.host,
    port: servers.imap.port,
    secure: true,
    auth: { user: address, pass: DEMO.password },
    tls: { ca: fs.readFileSync(servers.caCertPath) },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const me = { name: DEMO.name, address };
    const start = new Date(Date.now() - 60 * 24 * 3600 * 1000);
    const generated = await generateMessages(me, { count: DEMO_MAIL, start, seed: 11 });
    for (const m of generated) {
      const flags = [...(m.read ? ['\\Seen'] : []), ...(m.starred ? ['\\Flagged'] : [])];
      await client.append(FOLDER_OF_BOX[m.box ?? 'inbox'] ?? 'INBOX', m.raw, flags, m.date);
    }
    let corpus = 0;
    if (fs.existsSync(CORPUS)) {
      const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.eml'));
      // Dated inside the default sync window, newest first, so the first import shows them.
      for (const [i, file] of files.entries()) await client.append('INBOX', fs.readFileSync(path.join(CORPUS, file)), ['\\Seen'], new Date(Date.now() - (i + 1) * 3600_000 * 5));
      corpus = files.length;
    }
    log(`demo IMAP mailbox: ${generated.length} generated and ${corpus} corpus mails`);
  } finally {
    await client.logout().catch(() => client.close());
  }
}
