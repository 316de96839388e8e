/**
 * Statuses, timings and the Message-ID rule of bulk send, shared by the job service and the runner.
 */
import crypto from 'node:crypto';
import type { BulkRecipientStatus } from '../../shared/bulk-api';

export const RECIPIENT: { [K in BulkRecipientStatus]: K } = {
  pending: 'pending',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
  canceled: 'canceled',
};

/** Tries of one recipient whose provider did not answer (5xx, reset, long throttling) before it fails. */
export const BULK_MAX_ATTEMPTS = 3;

/**
 * A recipient left in `sending` longer than this belongs to a process that died (a send with its
 * retries takes seconds): it is taken over, and the provider is asked before sending again.
 * EMAIL_MANAGER_BULK_STALE_SECONDS shortens it for the kill test.
 */
export function staleClaimMs() {
  return (Number(process.env.EMAIL_MANAGER_BULK_STALE_SECONDS) || 120) * 1000;
}

/** A stored reason, in characters. */
export const MAX_REASON_LENGTH = 2000;

export function reasonText(error: unknown) {
  return String((error as Error)?.message || error).slice(0, MAX_REASON_LENGTH);
}

/** A random token per job: the Message-IDs of two jobs (or two installs) never meet. */
export function newJobToken() {
  return crypto.randomBytes(9).toString('hex');
}

/**
 * One recipient's Message-ID, the same for every attempt: how the provider is asked whether an
 * interrupted attempt went out. On the sender's domain, as RFC 5322 suggests.
 */
export function recipientMessageId(jobId: number, token: string, position: number, fromAddress: string) {
  const domain = fromAddress.split('@')[1]?.toLowerCase() || 'localhost';
  return `<bulk.${jobId}.${position}.${token}@${domain}>`;
}

/** JSON columns come back as text from raw queries on some dialects. `T`: what the column holds. */
export function jsonOf<T = unknown>(value: unknown): T | null {
  if (typeof value !== 'string') return (value ?? null) as T | null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}
