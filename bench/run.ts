/**
 * `npm run bench [-- <id>…]`: measures the performance figures of the issues and prints one line
 * per figure: its id, then key=value pairs, e.g. `P1 msgs_per_min=2712 ceiling=3000 ratio=0.90`.
 * Figures are measured, never asserted: a bench prints what it saw and exits 0 unless it broke.
 * Each figure lives in bench/figures/<id>.ts and registers itself in FIGURES below.
 *
 * Every figure runs in a fresh child process (this file again, with BENCH_CHILD set): Node reads
 * NODE_EXTRA_CA_CERTS (the Microsoft emulator's certificate) only at process start, and one
 * figure's heap, module state and per-mailbox limiters must not carry into the next.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FIGURES } from './figures';

const CERT = path.resolve(__dirname, '../dev/emulators/tls/cert.pem');

async function main() {
  const wanted = process.argv.slice(2).map((id) => id.toUpperCase());
  const unknown = wanted.filter((id) => !FIGURES.some((f) => f.id.toUpperCase() === id));
  if (unknown.length) {
    console.error(`Unknown figure(s): ${unknown.join(', ')}. Known: ${FIGURES.map((f) => f.id).join(', ') || 'none'}`);
    process.exit(2);
  }
  const selected = wanted.length ? FIGURES.filter((f) => wanted.includes(f.id.toUpperCase())) : FIGURES;
  if (!selected.length) {
    console.log('No figures are measured yet; they arrive with the sync, mail center and bulk send work.');
    return;
  }
  let failed = false;
  if (!process.env.BENCH_CHILD) {
    for (const figure of selected) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, figure.id], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_CHILD: '1', NODE_EXTRA_CA_CERTS: CERT },
      });
      if (child.status !== 0) failed = true;
      if (child.status === null) console.log(`${figure.id} error=${JSON.stringify(`killed by ${child.signal}`)}`);
    }
    process.exit(failed ? 1 : 0);
  }
  for (const figure of selected) {
    try {
      const values = await figure.run();
      console.log([figure.id, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join(' '));
    } catch (error) {
      failed = true;
      console.log(`${figure.id} error=${JSON.stringify((error as Error).message)}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
