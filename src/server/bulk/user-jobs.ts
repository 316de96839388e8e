/**
 * A deleted user's bulk jobs (off-boarding, accounts/offboarding.ts): nothing more may go out in
 * their name, and nobody can read the jobs any more (every job read is scoped to its owner), so
 * the jobs and their recipient rows, which hold the source records' data, are deleted.
 */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { type IdRow, rawRows, type Transaction } from '../db-types';
import { RECIPIENT } from './bulk-state';

/** Jobs per DELETE of their recipients. */
const JOB_CHUNK = 500;

/**
 * Deletes the user's jobs and recipients inside the caller's transaction. A runner on another
 * node (or this one) takes a recipient with a conditional UPDATE of its row: that waits on the
 * row lock of this DELETE and then finds nothing to take, so no pending mail leaves after the
 * commit. A mail already handed to the provider before that is beyond recall.
 * Answers the number of recipients that were still waiting to be sent.
 */
export async function dropJobsOfUser(app: Application, userId: number, transaction: Transaction): Promise<number> {
  const jobs = app.db.getCollection(COLLECTIONS.massMessages).model;
  const recipients = app.db.getCollection(COLLECTIONS.massRecipients).model;
  const ids = rawRows<IdRow>(await jobs.findAll({ attributes: ['id'], where: { userId }, raw: true, transaction })).map((r) => Number(r.id));
  let waiting = 0;
  for (let i = 0; i < ids.length; i += JOB_CHUNK) {
    const chunk = ids.slice(i, i + JOB_CHUNK);
    waiting += await recipients.count({ where: { jobId: chunk, status: [RECIPIENT.pending, RECIPIENT.sending] }, transaction });
    await recipients.destroy({ where: { jobId: chunk }, transaction });
  }
  await jobs.destroy({ where: { userId }, transaction });
  return waiting;
}
