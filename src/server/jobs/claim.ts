/**
 * Row claims: how one node of a cluster (or one process among several) gets a row to work on,
 * with the database as the only referee. A claim is one conditional UPDATE "… WHERE the row is
 * free or its claim is stale": the database applies concurrent UPDATEs of one row one after the
 * other, so of several nodes asking at once exactly one sees "1 row changed" and the others 0.
 * No lock table and no coordinator; a holder that dies mid-work leaves a claim that goes stale
 * and is taken over.
 *
 * The jobs that claim, and after how long a claim counts as stale (each well past one unit of
 * work, so a live holder is never overtaken):
 * - sync-scheduler.ts: an account's lease (owner + expiry), 120 s, renewed after every step;
 * - scheduled-send.ts: a due draft, scheduled → sending, 10 min;
 * - bulk-runner.ts: a recipient, pending → sending, 120 s; and a job's next send slot.
 */
import crypto from 'node:crypto';
import { Op } from '@nocobase/database';

/** A Sequelize where object (plain keys and operator symbols). */
export type Where = Record<string | symbol, unknown>;

/** The one call a claim needs from a model (`app.db.getCollection(…).model`). */
interface Table {
  update(values: Record<string, unknown>, options: { where: Where; silent: boolean }): Promise<unknown>;
}

export interface Claim {
  /** The row, and what it must still be whoever holds it (a scheduled mail must still be a draft). */
  row: Where;
  /** Nobody holds it: a `pending` recipient, a due `scheduled` draft, an account with no lease. */
  free: Where;
  /**
   * Its holder is presumed dead: its claim is older than the job's takeover time (see
   * `earlierThan`). Left out when the free state expires by itself: a bulk job's send slot is a
   * time, so a dead node's slot is simply due again later.
   */
  stale?: Where;
  /** What makes it this process's: its state or owner, the claim's time, the attempt counted. */
  hold: Record<string, unknown>;
}

/** This process, as the owner of the claims that name one (the sync lease). */
export function newHolderId() {
  return `${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
}

/** `column < time`: a claim made (or a lease ending) before `time`. */
export function earlierThan(column: string, time: Date): Where {
  return { [column]: { [Op.lt]: time } };
}

/** Takes the row if it is free or stale. Answers whether this process won it. */
export async function claim(table: Table, { row, free, stale, hold }: Claim): Promise<boolean> {
  const takeable = stale ? { [Op.or]: [free, stale] } : free;
  return updated(table, { [Op.and]: [row, takeable] }, hold);
}

/**
 * Keeps a claim alive (a lease renewed after each step). False when the row is no longer this
 * holder's: someone took it over because this one stalled too long, and its work must stop.
 */
export function heartbeat(table: Table, mine: Where, values: Record<string, unknown>): Promise<boolean> {
  return updated(table, mine, values);
}

/** Gives the row back, only while it is still this holder's: a late release never frees another's claim. */
export async function release(table: Table, mine: Where, values: Record<string, unknown>): Promise<void> {
  await updated(table, mine, values);
}

/** One conditional UPDATE of one row: whether it changed it. */
async function updated(table: Table, where: Where, values: Record<string, unknown>): Promise<boolean> {
  // silent: a claim is bookkeeping, not an edit, so updatedAt keeps meaning the row's last change.
  const [count] = (await table.update(values, { where, silent: true })) as [number];
  return count === 1;
}
