/**
 * `npm run bench [-- <id>…]`: measures the performance figures of the issues and prints one line
 * per figure: its id, then key=value pairs, e.g. `P1 msgs_per_min=2712 ceiling=3000 ratio=0.90`.
 * Figures are measured, never asserted: a bench prints what it saw and exits 0 unless it broke.
 * Each figure lives in bench/figures/<id>.ts and registers itself in FIGURES below.
 */
import { FIGURES } from './figures';

async function main() {
  const wanted = process.argv.slice(2).map((id) => id.toUpperCase());
  const unknown = wanted.filter((id) => !FIGURES.some((f) => f.id === id));
  if (unknown.length) {
    console.error(`Unknown figure(s): ${unknown.join(', ')}. Known: ${FIGURES.map((f) => f.id).join(', ') || 'none'}`);
    process.exit(2);
  }
  const selected = wanted.length ? FIGURES.filter((f) => wanted.includes(f.id)) : FIGURES;
  if (!selected.length) {
    console.log('No figures are measured yet; they arrive with the sync, mail center and bulk send work.');
    return;
  }
  let failed = false;
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
