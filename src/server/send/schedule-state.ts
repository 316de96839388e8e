/**
 * Shared facts about scheduled mail (S-SCHED-1/2): its states, the idempotency key of each
 * scheduled send, and the check of a requested send time.
 */
import { UserError } from '../errors';
import { earliestSendAt, latestSendAt, SCHEDULE_CLOCK_GRACE_MS, ScheduleStatus } from '../../shared/compose-api';

export const SCHEDULE_STATUS = {
  scheduled: 'scheduled',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
  canceled: 'canceled',
} as const satisfies Record<ScheduleStatus, ScheduleStatus>;

/** An instant with its offset: a time without one would be read in the server's zone, not the user's. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The requested send time, between now + 1 minute (less a small grace) and one year ahead; else 400. */
export function sendAtOf(value: unknown, now: Date): Date {
  const text = typeof value === 'string' ? value.trim() : '';
  const at = ISO_WITH_ZONE.test(text) ? new Date(text) : null;
  if (!at || Number.isNaN(at.getTime())) throw new UserError('Choose when to send the email', 400, 'sendAt');
  if (at.getTime() < earliestSendAt(now).getTime() - SCHEDULE_CLOCK_GRACE_MS || at > latestSendAt(now)) {
    throw new UserError('The send time must be between 1 minute and 1 year from now', 400, 'sendAt');
  }
  return at;
}

/**
 * The idempotency key (send-requests.ts) of one scheduled send: the draft row and its send time.
 * A node that sent the mail and died before recording it leaves the key marked sent, so whoever
 * takes the mail over finds it sent and does not send again. Rescheduling makes a new key.
 */
export function scheduleKeyOf(rowId: number, scheduledAt: Date): string {
  return `scheduled:${rowId}:${scheduledAt.getTime()}`;
}
