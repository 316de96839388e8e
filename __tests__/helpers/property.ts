/**
 * What the sync property tests (sync-property, imap-sync-property) share: a seeded PRNG, so a
 * failing SEED replays the same universe, and the diff printed when the stores disagree.
 */

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: T[]) => list[Math.floor(next() * list.length)] };
}

export type Random = ReturnType<typeof random>;

/** The entries that differ, side by side, so a failure says what went wrong. */
export function differences(mine: { id: string }[], theirs: { id: string }[]) {
  const a = new Map(mine.map((m) => [m.id, JSON.stringify(m)]));
  const b = new Map(theirs.map((m) => [m.id, JSON.stringify(m)]));
  const out: string[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(id) !== b.get(id)) out.push(`stored ${a.get(id) ?? '-'}  provider ${b.get(id) ?? '-'}`);
  }
  return out;
}
