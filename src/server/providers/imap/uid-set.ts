/**
 * Sets of IMAP UIDs as sorted, disjoint ranges, written as IMAP sequence-sets ("1:500,502").
 * The sync cursor keeps which UIDs of each folder are stored here; a folder of 100,000 messages
 * imported in one go is a handful of ranges, not 100,000 numbers in the JSON.
 */

/** Inclusive [first, last] pairs, ascending, disjoint and not adjacent. */
type Ranges = [number, number][];

/** UIDs are non-zero 32-bit numbers (RFC 3501 §2.3.1.1). */
const MAX_UID = 0xffffffff;

export class UidSet {
  private constructor(private readonly ranges: Ranges) {}

  static empty() {
    return new UidSet([]);
  }

  static of(uids: Iterable<number>) {
    const sorted = [...uids].filter((u) => Number.isInteger(u) && u > 0 && u <= MAX_UID).sort((a, b) => a - b);
    const ranges: Ranges = [];
    for (const uid of sorted) {
      const last = ranges[ranges.length - 1];
      if (last && uid <= last[1] + 1) last[1] = Math.max(last[1], uid);
      else ranges.push([uid, uid]);
    }
    return new UidSet(ranges);
  }

  /** Reads a sequence-set of our own writing; anything else (`*`, garbage) is refused. */
  static parse(text: string | undefined | null): UidSet {
    if (!text) return UidSet.empty();
    const ranges: Ranges = [];
    for (const part of text.split(',')) {
      const match = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(part);
      if (!match) throw new Error(`not a UID set: ${text.slice(0, 80)}`);
      const a = Number(match[1]);
      const b = match[2] ? Number(match[2]) : a;
      if (!a || !b || a > MAX_UID || b > MAX_UID) throw new Error(`not a UID set: ${text.slice(0, 80)}`);
      ranges.push([Math.min(a, b), Math.max(a, b)]);
    }
    return UidSet.normalised(ranges);
  }

  private static normalised(input: Ranges) {
    const sorted = input.map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
    const ranges: Ranges = [];
    for (const [a, b] of sorted) {
      const last = ranges[ranges.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else ranges.push([a, b]);
    }
    return new UidSet(ranges);
  }

  get size() {
    return this.ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
  }

  get isEmpty() {
    return this.ranges.length === 0;
  }

  /** The highest UID, 0 when empty. */
  get max() {
    return this.ranges.length ? this.ranges[this.ranges.length - 1][1] : 0;
  }

  has(uid: number) {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.ranges[mid];
      if (uid < a) hi = mid - 1;
      else if (uid > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: UidSet) {
    return UidSet.normalised([...this.ranges, ...other.ranges]);
  }

  /** This set without the UIDs of `other`. */
  minus(other: UidSet) {
    const out: Ranges = [];
    let j = 0;
    for (const [start, end] of this.ranges) {
      let a = start;
      while (j < other.ranges.length && other.ranges[j][1] < a) j++;
      let k = j;
      while (a <= end) {
        const cut = other.ranges[k];
        if (!cut || cut[0] > end) {
          out.push([a, end]);
          break;
        }
        if (cut[0] > a) out.push([a, cut[0] - 1]);
        a = Math.max(a, cut[1] + 1);
        k++;
      }
    }
    return new UidSet(out);
  }

  /** Only the UIDs also in `other`. */
  intersect(other: UidSet) {
    return this.minus(this.minus(other));
  }

  /** UIDs below `limit`. */
  below(limit: number) {
    return limit <= 1 ? UidSet.empty() : this.intersect(new UidSet([[1, Math.min(limit - 1, MAX_UID)]]));
  }

  /** The `count` highest UIDs, highest first (a listing fetches the newest mail first). */
  highest(count: number): number[] {
    const out: number[] = [];
    for (let i = this.ranges.length - 1; i >= 0 && out.length < count; i--) {
      const [a, b] = this.ranges[i];
      for (let uid = b; uid >= a && out.length < count; uid--) out.push(uid);
    }
    return out;
  }

  /** Every UID, ascending; only for sets known to be small (a fetch batch). */
  toArray(): number[] {
    const out: number[] = [];
    for (const [a, b] of this.ranges) for (let uid = a; uid <= b; uid++) out.push(uid);
    return out;
  }

  /** The IMAP sequence-set; '' when empty (callers skip the command then). */
  toString() {
    return this.ranges.map(([a, b]) => (a === b ? String(a) : `${a}:${b}`)).join(',');
  }
}
