/**
 * The only writer of an account's sync state: `status`, `statusMessage`, `syncStage`,
 * `syncCursor`, `syncMark`, `importProgress`, `importedAt`, `throttledUntil`, `lastSync*`. Every
 * change is a named transition, so the diagram below is what runs (the stage names are in
 * src/shared/accounts-api.ts):
 *
 *   created ─────────────▶ pending ──run starts──▶ (status syncing)
 *   startListing ────────▶ importing (first import, resync, expired cursor: list all, then sweep)
 *   stepCommitted ───────▶ importing while listing, else syncing; cursor and progress with it
 *                          (the step that ends a listing also stamps importedAt)
 *   runFinished ─────────▶ idle (status connected); lastSyncedAt unless the run was narrowed
 *   markThrottled(until) ▶ throttled; the scheduler skips it until `until`
 *   runFailed ───────────▶ lastSyncError; status error for a refused client secret
 *   markReauthorize ─────▶ status reauthorize (invalid grant); connected(…) restores it
 *   requestResync(since) ▶ importing with a restart cursor; the next run lists everything again
 *   cursorAfterMoves ────▶ the cursor, told of the user's moves whose rows were re-keyed
 *
 * Writes are plain UPDATEs by id (or by provider for the admin's credential changes), each in
 * the caller's transaction when it passes one.
 */
import type Application from '@nocobase/server';
import type { Transaction } from 'sequelize';
import { ACCOUNT_STATUS, AccountStatus, ImportProgress, SYNC_STAGE, SyncStage } from '../../shared/accounts-api';
import { COLLECTIONS } from '../constants';
import type { ProviderName, SyncCursor } from '../providers/types';

/** Message shown with status `reauthorize` (S-ERR-3); stored untranslated, the client fills {{email}}. */
export const INVALID_GRANT_MESSAGE = 'The email address {{email}} has an invalid grant. Please reauthorize your account.';

/** Accounts in these states are not synced until the user or admin acts. */
export const NOT_SYNCING = new Set<string>([ACCOUNT_STATUS.reauthorize, ACCOUNT_STATUS.error, ACCOUNT_STATUS.disabled]);

/** The cursor of a resync not begun yet: `restart` lists from scratch, `refetch` fetches known mail again (S-SYNC-7). */
const RESYNC_CURSOR: SyncCursor = { phase: 'full', refetch: true, restart: true };

interface AccountLike {
  get(field: string): unknown;
}

/** A long Retry-After is still in force (the scheduler and a non-manual run skip the account). */
export function isThrottled(account: AccountLike, now = Date.now()) {
  const until = account.get('throttledUntil');
  return Boolean(until) && new Date(until as Date | string).getTime() > now;
}

/** A listing is under way (first import, resync or reconcile): the scheduler gives it the long slot. */
export const isImporting = (account: AccountLike) => account.get('syncStage') === SYNC_STAGE.importing;

/** Progress of a full listing; the provider's estimate can be low, so never past 99% before the end. */
export function listingProgress(imported: number, estimate: number | undefined, previous: ImportProgress | null, done: boolean): ImportProgress {
  const total = Math.max(estimate ?? previous?.total ?? 0, imported);
  const percent = done ? 100 : total ? Math.min(99, Math.floor((imported / total) * 100)) : 0;
  return { imported, total, percent };
}

export class AccountState {
  constructor(private readonly app: Application) {}

  private get repository() {
    return this.app.db.getRepository(COLLECTIONS.accounts);
  }

  private write(accountId: number, values: Record<string, unknown>, transaction?: Transaction) {
    return this.repository.update({ filterByTk: accountId, values, transaction });
  }

  /** The state columns of a new account: connected, its first import not begun. */
  static created() {
    return { status: ACCOUNT_STATUS.connected, statusMessage: null, syncStage: SYNC_STAGE.pending };
  }

  /** Connected or reauthorized (S-CONN-4/5): the grant works again; `values` are written with it (tokens…). */
  connected(accountId: number, values: Record<string, unknown> = {}) {
    return this.write(accountId, { ...values, status: ACCOUNT_STATUS.connected, statusMessage: null });
  }

  /** A run begins: a manual run also ends a throttled pause early. */
  runStarted(accountId: number) {
    return this.write(accountId, { status: ACCOUNT_STATUS.syncing, lastSyncStartedAt: new Date(), throttledUntil: null });
  }

  /**
   * A new full listing: everything it sees gets the next mark, the final sweep removes the rest.
   * A resync's listing keeps `refetch` so an interrupted one continues as a resync.
   */
  async startListing(accountId: number, previousMark: number, refetch = false) {
    const syncMark = previousMark + 1;
    await this.write(accountId, {
      syncMark,
      syncCursor: refetch ? { phase: 'full', refetch: true } : null,
      syncStage: SYNC_STAGE.importing,
      importProgress: { imported: 0, percent: 0 },
    });
    return syncMark;
  }

  /**
   * One step of the feed is committed: the cursor after it, and the progress of a listing;
   * `listed`: the step ended a full listing (importedAt: the first import is behind the account).
   */
  stepCommitted(accountId: number, step: { cursor: SyncCursor; importing: boolean; progress?: ImportProgress; listed?: boolean }) {
    const stage: SyncStage = step.importing ? SYNC_STAGE.importing : SYNC_STAGE.syncing;
    return this.write(accountId, {
      syncCursor: step.cursor,
      syncStage: stage,
      ...(step.progress ? { importProgress: step.progress } : {}),
      ...(step.listed ? { importedAt: new Date() } : {}),
    });
  }

  /**
   * The run reached the end of the feed. `lastSyncedAt` is when the whole mailbox was last looked
   * at: a narrowed run (a push's, ChangeScope) leaves it, so the scheduler's full round stays due.
   */
  runFinished(accountId: number, narrowed = false) {
    return this.write(accountId, {
      status: ACCOUNT_STATUS.connected,
      syncStage: SYNC_STAGE.idle,
      ...(narrowed ? {} : { lastSyncedAt: new Date() }),
      lastSyncError: null,
      statusMessage: null,
    });
  }

  /** 429 with a long Retry-After: no run before `until` (a manual one excepted). */
  markThrottled(accountId: number, until: Date) {
    return this.write(accountId, { status: ACCOUNT_STATUS.connected, syncStage: SYNC_STAGE.throttled, throttledUntil: until });
  }

  /**
   * The run failed: its error is shown, and the status goes back to what it was before the run
   * (`syncing` → connected), unless the failure itself set reauthorize/error meanwhile.
   */
  runFailed(accountId: number, statusNow: AccountStatus, error: string) {
    const status = NOT_SYNCING.has(statusNow) ? statusNow : ACCOUNT_STATUS.connected;
    return this.write(accountId, { status, lastSyncError: error });
  }

  /** The grant is gone (S-ERR-3): nothing syncs or sends until the user reauthorizes. */
  markReauthorize(accountId: number, statusMessage = INVALID_GRANT_MESSAGE) {
    return this.write(accountId, { status: ACCOUNT_STATUS.reauthorize, statusMessage });
  }

  /** The app's client credentials were refused (S-CONF-9): the admin must act. */
  markError(accountId: number, message: string) {
    return this.write(accountId, { status: ACCOUNT_STATUS.error, statusMessage: message });
  }

  /**
   * The user moved mail and its rows were re-keyed (messages/mail-changes.ts): the provider's
   * `edit` tells the cursor, so the next run neither deletes nor fetches them again. A run under
   * way keeps its own copy of the cursor and may write it over this one: the next run then
   * fetches those mails once more, into the same rows (the upsert is keyed by provider id).
   */
  async cursorAfterMoves(accountId: number, edit: (cursor: SyncCursor) => SyncCursor | null, transaction?: Transaction) {
    const account = await this.repository.findOne({ filterByTk: accountId, fields: ['syncCursor'], transaction });
    const cursor: SyncCursor | null = account?.get('syncCursor') || null;
    const edited = cursor && edit(cursor);
    if (edited) await this.write(accountId, { syncCursor: edited }, transaction);
  }

  /** Resync (S-SYNC-7): the next run imports the window again from `since`; notes and labels stay. */
  requestResync(accountId: number, since: Date) {
    return this.write(accountId, { syncStartDate: since, syncCursor: RESYNC_CURSOR, syncStage: SYNC_STAGE.importing });
  }

  /**
   * The admin removed or changed the credentials of these providers (S-CONF-4): their accounts
   * (paused ones aside) wait for the admin (`error`) or their users (`reauthorize`).
   */
  markProviderAccounts(providers: ProviderName[], status: typeof ACCOUNT_STATUS.error | typeof ACCOUNT_STATUS.reauthorize, statusMessage: string, transaction?: Transaction) {
    return this.repository.update({
      filter: { provider: { $in: providers }, status: { $ne: ACCOUNT_STATUS.disabled } },
      values: { status, statusMessage },
      transaction,
    });
  }

  /** Undoes markProviderAccounts(…, error, `statusMessage`) when the admin turns the provider on again. */
  restoreProviderAccounts(providers: ProviderName[], statusMessage: string, transaction?: Transaction) {
    return this.repository.update({
      filter: { provider: { $in: providers }, status: ACCOUNT_STATUS.error, statusMessage },
      values: { status: ACCOUNT_STATUS.connected, statusMessage: null },
      transaction,
    });
  }
}
