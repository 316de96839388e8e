/**
 * Opening an IMAP connection for an account (imapflow), and the connection test the settings
 * page runs before an account is saved.
 *
 * imapflow logs every command by default (pino to stdout); its logger is turned off here, so no
 * login, folder name or mail content reaches a log. Its 'error' event always has a listener: an
 * EventEmitter 'error' without one would end the process, and the failed command rejects anyway.
 */
import { ImapFlow } from 'imapflow';
import { classifyImapError, classifySmtpError, mapImapError, type FailureKind } from './errors';
import type { PasswordLogin } from './login';
import { verifySmtp } from './smtp';

/** Milliseconds. The socket one is inactivity, not a total: a long FETCH that keeps streaming never trips it. */
export const IMAP_TIMEOUTS = { connect: 15_000, greeting: 15_000, socket: 120_000 };

export interface ImapOpenOptions {
  /** Called with every IMAP command sent (login included): the provider's call counter, the tests' round-trip count. */
  countCall?: (command: string) => void;
  /**
   * How changes are found: with QRESYNC and CONDSTORE when the server has them (`qresync`, the
   * default), CONDSTORE only, or neither (`none`: comparing UID and flag sets). The lesser modes
   * are for servers whose extensions misbehave, and let the tests exercise every path.
   */
  changeTracking?: 'qresync' | 'condstore' | 'none';
}

export async function openImap(login: PasswordLogin, options: ImapOpenOptions = {}): Promise<ImapFlow> {
  try {
    return await connect(login, options);
  } catch (error) {
    throw mapImapError(error, login.imap);
  }
}

/** A logged-in client; failures as imapflow raised them (the connection test reads which step failed). */
async function connect(login: PasswordLogin, options: ImapOpenOptions): Promise<ImapFlow> {
  const { imap } = login;
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.security === 'tls',
    // Required, not opportunistic: a server that does not offer STARTTLS fails the connection.
    doSTARTTLS: imap.security === 'starttls' ? true : undefined,
    auth: { user: login.username, pass: login.password },
    logger: false,
    emitLogs: false,
    // A session runs a few commands and logs out; IDLE between them would cost two round trips each.
    disableAutoIdle: true,
    // ENABLE QRESYNC when offered: expunges come as UIDs and `UID FETCH … (CHANGEDSINCE m VANISHED)` works.
    qresync: (options.changeTracking ?? 'qresync') === 'qresync',
    disableAutoEnable: options.changeTracking === 'none',
    connectionTimeout: IMAP_TIMEOUTS.connect,
    greetingTimeout: IMAP_TIMEOUTS.greeting,
    socketTimeout: IMAP_TIMEOUTS.socket,
  });
  client.on('error', () => undefined);
  if (options.countCall) countCommands(client, options.countCall);
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/**
 * Every command goes through imapflow's `exec` (internal, but stable across 1.x and 2.x): wrapping
 * it on this one instance counts round trips without a logger, which would see the mail itself.
 */
function countCommands(client: ImapFlow, onCommand: (command: string) => void) {
  const target = client as unknown as { exec: (command: string, ...rest: unknown[]) => Promise<unknown> };
  const exec = target.exec.bind(client);
  target.exec = (command, ...rest) => {
    onCommand(command);
    return exec(command, ...rest);
  };
}

/** Logs out (one round trip), or drops the socket when the connection is already broken. */
export async function closeImap(client: ImapFlow) {
  if (client.usable) await client.logout().catch(() => client.close());
  else client.close();
}

/** Opens a connection, runs `work`, and logs out whatever happens; failures come out mapped. */
export async function withImap<T>(login: PasswordLogin, options: ImapOpenOptions, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await openImap(login, options);
  try {
    return await work(client);
  } catch (error) {
    throw mapImapError(error, login.imap);
  } finally {
    await closeImap(client);
  }
}

/** Extensions the sync uses when present, reported by the connection test. */
export const REPORTED_CAPABILITIES = ['CONDSTORE', 'QRESYNC', 'IDLE', 'MOVE', 'SPECIAL-USE'] as const;

export interface ServerCheck {
  ok: boolean;
  /** Which step failed: DNS, TLS, connection, login, a missing capability, or the server's own refusal. */
  failure?: FailureKind;
  error?: string;
}

export interface ConnectionTestResult {
  imap: ServerCheck & { capabilities: Partial<Record<(typeof REPORTED_CAPABILITIES)[number], boolean>> };
  smtp: ServerCheck;
}

/** Checks both servers at once: IMAP login and capabilities, SMTP connection and AUTH. Never throws. */
export async function testConnection(login: PasswordLogin): Promise<ConnectionTestResult> {
  const [imap, smtp] = await Promise.all([checkImap(login), checkSmtp(login)]);
  return { imap, smtp };
}

async function checkImap(login: PasswordLogin): Promise<ConnectionTestResult['imap']> {
  let client: ImapFlow | null = null;
  try {
    client = await connect(login, {});
    const has = (name: string) => client!.capabilities.has(name);
    const capabilities = Object.fromEntries(REPORTED_CAPABILITIES.map((name) => [name, has(name)]));
    if (!has('IMAP4rev1') && !has('IMAP4rev2')) {
      return { ok: false, failure: 'capability', error: 'The server does not speak IMAP4rev1', capabilities };
    }
    return { ok: true, capabilities };
  } catch (error) {
    const { kind, message } = classifyImapError(error, login.imap);
    return { ok: false, failure: kind, error: message, capabilities: {} };
  } finally {
    if (client) await closeImap(client);
  }
}

async function checkSmtp(login: PasswordLogin): Promise<ServerCheck> {
  try {
    await verifySmtp(login);
    return { ok: true };
  } catch (error) {
    const { kind, message } = classifySmtpError(error, login.smtp);
    return { ok: false, failure: kind, error: message };
  }
}
