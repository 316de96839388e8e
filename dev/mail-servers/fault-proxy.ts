/**
 * A TCP proxy on loopback in front of Dovecot's IMAP port that misbehaves on request: the IMAP
 * sync property test connects the account through it and arms faults between its runs.
 *
 *   const proxy = await startFaultProxy(servers.imap);    // forwards to the implicit-TLS port
 *   connect the account to { host: '127.0.0.1', port: proxy.port, security: 'tls' }
 *   proxy.arm({ kind: 'no', command: /^UID SEARCH$/, skip: 1 });  // the 2nd UID SEARCH gets a NO
 *   proxy.clear();                                         // faults off: a plain forwarder again
 *
 * DESIGN. TLS is terminated here with the dev certificate (dev/emulators/tls, which the tests
 * trust through NODE_EXTRA_CA_CERTS) and started again towards Dovecot's implicit-TLS port: the
 * app still speaks TLS (the 'tls' security setting, certificate checked), Dovecot still sees a
 * TLS client with the capabilities it gives one, and in between the proxy reads the plaintext
 * commands, which injecting a NO or BAD needs. Passing the STARTTLS port through byte for byte
 * would be simpler, but then only drops and delays could be made (the commands are encrypted).
 *
 * FAULTS, each matched against a command's name ("LIST", "EXAMINE", "UID FETCH"…), after `skip`
 * matching commands pass, `times` times (default 1):
 * - `drop`: the command goes to the server, then the connection is cut after `cutAfter` bytes of
 *   the answer (at least one byte short of it): the client sees a broken connection mid-command.
 * - `no` / `bad`: the command never reaches the server; the client gets a tagged NO or BAD (with
 *   `code`, a response code: NO [UNAVAILABLE] is "try again later").
 * - `delay`: the command waits `delayMs` before it is forwarded (so do the commands after it).
 * Only the client's commands are parsed (lines, and {n} / {n+} literals, so a literal's bytes are
 * never taken for a command); the server's answers are forwarded as they come. This relies on the
 * client sending a command only after the previous one was answered, as imapflow does: a NO is
 * then never written into the middle of another answer.
 */
import fs from 'node:fs';
import type net from 'node:net';
import tls from 'node:tls';
import { CERT_PATH, KEY_PATH, ensureCert } from '../emulators/tls/ensure-cert.mjs';

export type FaultKind = 'drop' | 'no' | 'bad' | 'delay';

export interface Fault {
  kind: FaultKind;
  /** Tested against the command name, upper case: "SELECT", "UID FETCH", "STATUS"… */
  command: RegExp;
  /** Matching commands let through before the fault fires. */
  skip?: number;
  times?: number;
  delayMs?: number;
  /** `drop`: bytes of the answer forwarded before the cut. */
  cutAfter?: number;
  /** `no` / `bad`: a response code for the answer, e.g. UNAVAILABLE ("try again later", RFC 5530). */
  code?: string;
}

export interface FaultProxy {
  readonly port: number;
  arm(fault: Fault): void;
  /** Disarms every fault; connections stay up. */
  clear(): void;
  /** Cuts every open connection now (a server restart, a NAT timeout that answers with a reset). */
  dropAll(): void;
  /** What fired, in order ("no UID SEARCH #3": the kind, the command and the connection number). */
  readonly fired: string[];
  /** Commands seen, by name: which commands a run sends, to arm faults that hit. */
  readonly seen: Map<string, number>;
  close(): Promise<void>;
}

interface Armed extends Fault {
  passed: number;
  left: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `tag SP name`, the name taking one more word after UID ("UID FETCH"). */
const COMMAND = /^([^\s+*]+) ((?:UID )?[A-Z]+)/i;
/** A line that ends in a literal: `{12}` (the client waits for "+") or `{12+}` (LITERAL+, it does not). */
const LITERAL = /\{(\d+)(\+)?\}\r\n$/;

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  ensureCert();
  const ca = fs.readFileSync(CERT_PATH);
  let armed: Armed[] = [];
  const fired: string[] = [];
  const seen = new Map<string, number>();
  const open = new Set<net.Socket>();
  let connections = 0;

  const server = tls.createServer({ cert: ca, key: fs.readFileSync(KEY_PATH) }, (client) => {
    const id = ++connections;
    const upstream = tls.connect({ host: target.host, port: target.port, ca, servername: 'localhost' });
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', kill);
      socket.on('close', () => {
        open.delete(socket);
        kill();
      });
    }
    /** Bytes of the next answer forwarded before a `drop` cuts the connection; null: none pending, -1: cut. */
    let cut: number | null = null;
    upstream.on('data', (data: Buffer) => {
      if (cut === null) return void client.write(data);
      if (cut < 0) return; // cut already: nothing more reaches the client
      const keep = Math.min(cut, data.length - 1);
      cut = -1;
      client.write(data.subarray(0, keep), kill);
    });

    // Everything towards the server (and injected answers) goes through one chain, in order:
    // a delayed command holds back the ones after it, as a slow link would.
    let chain: Promise<unknown> = Promise.resolve();
    const later = (step: () => unknown) => (chain = chain.then(step).catch(kill));
    let pending = Buffer.alloc(0);
    let literal = 0;
    /** What happens to the rest of the command being read: forwarded or swallowed. */
    let swallowing = false;
    let commandOpen = false;

    const decide = (line: string) => {
      const match = COMMAND.exec(line);
      if (!match) return;
      const [, tag, rawName] = match;
      const name = rawName.toUpperCase();
      seen.set(name, (seen.get(name) ?? 0) + 1);
      const fault = armed.find((f) => f.left > 0 && f.command.test(name) && f.passed++ >= (f.skip ?? 0));
      if (!fault) return;
      fault.left--;
      fired.push(`${fault.kind} ${name} #${id}`);
      if (fault.kind === 'delay') later(() => sleep(fault.delayMs ?? 200));
      else if (fault.kind === 'drop') later(() => (cut = Math.max(0, fault.cutAfter ?? 0)));
      else {
        swallowing = true;
        const status = fault.kind === 'no' ? 'NO' : 'BAD';
        const code = fault.code ? ` [${fault.code}]` : '';
        const text = fault.kind === 'no' ? 'Temporary failure' : 'Command refused';
        later(() => client.write(`${tag} ${status}${code} ${text} (injected by the test proxy)\r\n`));
      }
    };

    client.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length) {
        if (literal > 0) {
          const part = pending.subarray(0, literal);
          pending = pending.subarray(part.length);
          literal -= part.length;
          if (!swallowing) later(() => upstream.write(part));
          if (literal === 0) continue;
          return;
        }
        const end = pending.indexOf('\r\n');
        if (end < 0) return;
        const line = pending.subarray(0, end + 2);
        pending = pending.subarray(end + 2);
        if (!commandOpen) {
          swallowing = false;
          decide(line.toString('latin1'));
        }
        const lit = LITERAL.exec(line.toString('latin1'));
        // A refused command with a synchronizing literal ends here: the client sends the literal
        // only after a "+", and takes the tagged NO/BAD instead (RFC 3501 §7.5).
        commandOpen = Boolean(lit) && !(swallowing && !lit![2]);
        literal = commandOpen ? Number(lit![1]) : 0;
        if (!swallowing) later(() => upstream.write(line));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    arm: (fault) => void armed.push({ ...fault, passed: 0, left: fault.times ?? 1 }),
    clear: () => void (armed = []),
    dropAll: () => {
      for (const socket of open) socket.destroy();
    },
    fired,
    seen,
    close: async () => {
      armed = [];
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
