/**
 * The IMAP sessions kept warm in this process: one per login of an account the IDLE watcher
 * watches (jobs/imap-idle.ts), shared by every ImapProvider instance. The app builds a provider
 * per sync run and per mail-center call, and each provider has sessions of its own, logged in per
 * run; a watched account's runs and calls use the warm session here instead, so the sync an IDLE
 * push triggers starts on a logged-in connection (on Dovecot: EXAMINE + UID FETCH for a new mail,
 * not the 8 commands of a login, LIST, EXAMINE and FETCH).
 *
 * - The cap: a warm session logs in again every WARM_RENEW_MS (the default sync interval). A
 *   login is what notices a password changed or revoked elsewhere, so that is noticed as soon as
 *   when every run logged in; servers may log out a client idle for 30 minutes (RFC 3501 §5.4),
 *   and a connection the network dropped silently costs at most one failed, retried call.
 * - At most one warm session per watched account: the watcher's own cap (EMAIL_MANAGER_IMAP_IDLE_MAX)
 *   bounds them, two connections each (IDLE and sync).
 * - The key is a hash of the address, login and servers: a password entered again is another
 *   session, and no plain password is a map key.
 * - Commands are counted for the provider instance that asked for the session last (a run's
 *   `calls`); a mail-center call during a run may count into the run's figure.
 */
import { createHash } from 'node:crypto';
import type { PasswordLogin } from '../types';
import { ImapMailbox } from './mailbox';

/** A sync run's steps share the connection; it is logged out this long after the last call. */
export const HOLD_IDLE_MS = 2_000;
/** A warm session's connection is replaced by a new login this often. */
export const WARM_RENEW_MS = 5 * 60_000;

interface Warm {
  session: ImapMailbox;
  count?: (command: string) => void;
  holders: number;
}

const warm = new Map<string, Warm>();

export const loginKey = (address: string, login: PasswordLogin) =>
  createHash('sha256').update(JSON.stringify([address, login.username, login.password, login.imap, login.smtp])).digest('hex');

/** A session of the provider's own: one login per run, kept HOLD_IDLE_MS after its last call. */
export const ownSession = (address: string, login: PasswordLogin, count: (command: string) => void) =>
  new ImapMailbox(address, login, { countCall: count, holdIdleMs: HOLD_IDLE_MS });

/** The warm session of a login, if a watcher keeps one; its commands are counted by `count` from now on. */
export function warmSession(key: string, count: (command: string) => void): ImapMailbox | undefined {
  const entry = warm.get(key);
  if (entry) entry.count = count;
  return entry?.session;
}

/** Keeps the login's session warm until the returned release is called (by every holder). */
export function keepWarm(address: string, login: PasswordLogin): () => void {
  const key = loginKey(address, login);
  let entry = warm.get(key);
  if (!entry) {
    const fresh: Warm = { session: ownSession(address, login, (command) => fresh.count?.(command)), holders: 0 };
    warm.set(key, (entry = fresh));
  }
  entry.holders++;
  const held = entry;
  const release = held.session.keepWarm(WARM_RENEW_MS);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
    // Calls that have the session still finish on it; it logs out HOLD_IDLE_MS after the last.
    if (!--held.holders && warm.get(key) === held) warm.delete(key);
  };
}

/** Sessions kept warm in this process (tests). */
export const warmSessions = () => warm.size;
