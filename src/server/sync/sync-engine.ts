/**
 * Syncs one account (DESIGN §5): walks the provider's change feed step by step, writes each step
 * and then the new cursor, and records the run in mailSyncLogs. The account's stage and status
 * change only through account-state.ts (its header has the diagram): invalid_grant ▶
 * `reauthorize`, a refused client secret ▶ `error`, a long Retry-After ▶ `throttled`.
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { ACCOUNT_STATUS, COLLECTIONS, MESSAGES_ADDED_EVENT, type MessagesAddedEvent } from '../constants';
import type { Model } from '../db-types';
import { ThrottledError } from '../providers/rate-limits';
import { ChangeBatch, ChangeScope, CursorExpiredError, MailProvider, ProviderClientError, ReauthorizeError, RemoteMessage, SyncCursor } from '../providers/types';
import { MessageStore } from './message-store';
import { AccountState, isThrottled, listingProgress, NOT_SYNCING } from './account-state';
import { SyncRun, SyncRunKind } from './sync-log';

/**
 * Messages fetched and written per transaction. Small, so that what one chunk allocates (raw MIME,
 * decoded parts, SQL) dies young instead of swelling the heap (bench P5); the next chunk is fetched
 * while this one is written, so the provider round trips still overlap the database.
 */
export const FETCH_CHUNK = 10;
/** How often a mailbox's folder and label list is read again. */
export const FOLDERS_REFRESH_MS = 60 * 60 * 1000;
/** Steps of one run at most (a guard against a feed that never ends); more continue next run. */
export const MAX_STEPS_PER_RUN = 100_000;

/**
 * Full restarts (cursor expired: 410 SyncStateNotFound, Gmail history 404) one run may make. The
 * first is the normal answer to an old cursor; a provider that rejects even a fresh sync state
 * would otherwise loop (seen: about 400 restarts and 5,900 requests in 3 minutes). Past this the
 * run fails and the next scheduled run tries again.
 */
export const MAX_CURSOR_RESTARTS_PER_RUN = 3;
/** Pause before the 2nd, 3rd… restart of a run, doubling: 1 s, 2 s. */
export const CURSOR_RESTART_BACKOFF_MS = 1_000;

/** How one step is written: the listing's mark and window, whether known mail is fetched again, and what new rows count as. */
interface StepWrite {
  syncMark: number;
  since: Date;
  refetch: boolean;
  phase: MessagesAddedEvent['phase'];
}

export interface SyncResult {
  outcome: 'ok' | 'failed' | 'skipped' | 'throttled' | 'reauthorize';
  added: number;
  updated: number;
  deleted: number;
  error?: string;
}

export class SyncEngine {
  readonly store: MessageStore;

  private readonly state: AccountState;

  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {
    this.store = new MessageStore(app);
    this.state = accounts.state;
  }

  private get repository() {
    return this.app.db.getRepository(COLLECTIONS.accounts);
  }

  /**
   * Syncs until the feed is done or `deadline` (epoch ms) passes; the next run continues from the
   * cursor. A `scope` narrows the run to what a push named (ChangeScope): it leaves the folder
   * list and `lastSyncedAt` to the full runs, so the scheduler's next full round stays due.
   */
  async run(
    accountId: number,
    kind: SyncRunKind,
    deadline = Number.POSITIVE_INFINITY,
    heartbeat?: () => Promise<void>,
    scope?: ChangeScope,
  ): Promise<SyncResult> {
    let account = await this.repository.findOne({ filterByTk: accountId });
    const throttled = account && isThrottled(account) && kind !== 'manual';
    if (!account || NOT_SYNCING.has(account.get('status')) || throttled) return { outcome: 'skipped', added: 0, updated: 0, deleted: 0 };
    const log = await SyncRun.start(this.app, account, kind);
    const provider = await this.accounts.provider(account.get('provider'));
    await this.state.runStarted(accountId);
    try {
      await this.walk(account, provider, log, deadline, heartbeat, scope);
      if (!scope) await this.refreshFolders(account, provider);
      await this.state.runFinished(accountId, Boolean(scope));
      return log.finish('ok', provider.calls);
    } catch (error) {
      account = await this.repository.findOne({ filterByTk: accountId });
      return this.failed(account, provider, log, error as Error);
    }
  }

  /**
   * The account's own folders (Outlook) and labels (Gmail) for the mail center's sidebar: read
   * after the first import and then at most every FOLDERS_REFRESH_MS, so an incremental run stays
   * at its two or three provider calls. A failure here never fails the run.
   */
  private async refreshFolders(account: Model, provider: MailProvider) {
    const last = account.get('foldersSyncedAt');
    if (last && Date.now() - new Date(last).getTime() < FOLDERS_REFRESH_MS) return;
    try {
      const folders = await this.accounts.withMailbox(account, (mailbox) => mailbox.listFolders(), provider);
      await this.repository.update({ filterByTk: account.get('id'), values: { folders, foldersSyncedAt: new Date() } });
    } catch (error) {
      this.app.log.warn(`email-manager: reading the folders of account ${account.get('id')} failed: ${(error as Error).message}`, {
        module: 'email-manager',
      });
    }
  }

  private async walk(account: Model, provider: MailProvider, log: SyncRun, deadline: number, heartbeat?: () => Promise<void>, scope?: ChangeScope) {
    const accountId: number = account.get('id');
    const since = new Date(account.get('syncStartDate') || 0);
    let cursor: SyncCursor | null = account.get('syncCursor') || null;
    let syncMark: number = account.get('syncMark') || 0;
    // Resync (S-SYNC-7) fetches every message again, not only the unknown ones; `restart` marks a
    // resync not begun yet, so one interrupted half-way continues instead of starting over.
    const refetch = Boolean(cursor?.refetch);
    if (!cursor || cursor.restart) {
      cursor = null;
      syncMark = await this.state.startListing(accountId, syncMark, refetch);
    }
    let imported = account.get('importProgress')?.imported || 0;
    let restarts = 0;
    // Mail a listing stores is imported, not received, until the account's first import is
    // behind it, and during a Resync (the workflow trigger tells the two apart).
    let firstImportDone = Boolean(account.get('importedAt'));

    for (let step = 0; step < MAX_STEPS_PER_RUN; step++) {
      let batch: ChangeBatch;
      try {
        batch = await this.accounts.withMailbox(account, (mailbox) => mailbox.nextChanges(cursor, since, scope), provider);
      } catch (error) {
        if (!(error instanceof CursorExpiredError)) throw error;
        if (++restarts > MAX_CURSOR_RESTARTS_PER_RUN) {
          throw new Error(
            `The provider keeps rejecting a fresh sync state (${error.message}; ${MAX_CURSOR_RESTARTS_PER_RUN} restarts in this run). ` +
              'Nothing was removed; the next scheduled sync tries again.',
          );
        }
        if (restarts > 1) await new Promise((resolve) => setTimeout(resolve, CURSOR_RESTART_BACKOFF_MS * 2 ** (restarts - 2)));
        // Too old to follow: list everything again; stored notes and labels stay (matched by id).
        cursor = null;
        syncMark = await this.state.startListing(accountId, syncMark);
        imported = 0;
        continue;
      }
      const listing = batch.cursor.phase === 'full' || batch.sweep;
      const phase = listing && (refetch || !firstImportDone) ? 'import' : 'new';
      const counts = await this.apply(account, provider, batch, { syncMark, since, refetch, phase }, heartbeat);
      log.add(counts);
      imported += listing ? counts.added + counts.updated : 0;
      cursor = batch.cursor;
      await this.state.stepCommitted(accountId, {
        // A resync's listing keeps `refetch` until it is done, so a crash continues it as one.
        cursor: refetch && cursor.phase === 'full' ? { ...cursor, refetch: true } : cursor,
        importing: listing && !batch.done,
        progress: listing ? listingProgress(imported, batch.estimatedTotal, account.get('importProgress'), batch.done) : undefined,
        listed: listing && batch.done,
      });
      if (listing && batch.done) firstImportDone = true;
      if (batch.done || Date.now() > deadline) return;
      await heartbeat?.();
    }
  }

  /**
   * Writes one step. Fetches happen outside the transaction; each chunk commits on its own, and
   * the mail it inserted (not the mail it updated) is announced once committed.
   */
  private async apply(account: Model, provider: MailProvider, batch: ChangeBatch, step: StepWrite, heartbeat?: () => Promise<void>) {
    const { syncMark, since, refetch } = step;
    const accountId: number = account.get('id');
    const counts = { added: 0, updated: 0, deleted: 0 };
    const stateIds = batch.states.map((s) => s.providerMessageId);
    const known = await this.store.knownIds(accountId, [...batch.fetch, ...stateIds, ...batch.messages.map((m) => m.providerMessageId)]);
    // Unknown messages whose state changed are fetched whole, like new ones.
    const toFetch = [...new Set([...batch.fetch.filter((id) => refetch || !known.has(id)), ...stateIds.filter((id) => !known.has(id))])];
    const fetchChunk = (start: number) =>
      this.accounts.withMailbox(account, (mailbox) => mailbox.fetchMessages(toFetch.slice(start, start + FETCH_CHUNK)), provider);
    let next = toFetch.length ? fetchChunk(0) : null;
    for (let i = 0; next; i += FETCH_CHUNK) {
      const { messages } = await next;
      next = i + FETCH_CHUNK < toFetch.length ? fetchChunk(i + FETCH_CHUNK) : null;
      // A failed prefetch surfaces when awaited; until then it must not count as unhandled.
      next?.catch(() => undefined);
      await this.app.db.sequelize.transaction((transaction) => this.store.upsert(accountId, messages, syncMark, transaction));
      for (const m of messages) counts[known.has(m.providerMessageId) ? 'updated' : 'added']++;
      this.announce(accountId, messages, known, step.phase, batch.relisted);
      await heartbeat?.();
    }
    // A reconcile re-lists stored messages: their labels and flags may have changed unseen.
    const whole = new Set([...batch.messages.map((m) => m.providerMessageId), ...toFetch]);
    const recheck = batch.seen.filter((id) => known.has(id) && !whole.has(id));
    const refreshed = recheck.length
      ? await this.accounts.withMailbox(account, (mailbox) => mailbox.fetchStates(recheck), provider)
      : { states: [], missing: [] };
    await this.app.db.sequelize.transaction(async (transaction) => {
      await this.store.upsert(accountId, batch.messages, syncMark, transaction);
      await this.store.applyStates(accountId, refreshed.states, transaction);
      counts.updated += refreshed.states.length;
      for (const m of batch.messages) counts[known.has(m.providerMessageId) ? 'updated' : 'added']++;
      const knownStates = batch.states.filter((s) => known.has(s.providerMessageId));
      await this.store.applyStates(accountId, knownStates, transaction);
      counts.updated += knownStates.length;
      counts.deleted += await this.store.remove(accountId, batch.deleted, transaction);
      await this.store.markSeen(accountId, batch.seen.filter((id) => known.has(id)), syncMark, transaction);
      if (batch.sweep) counts.deleted += await this.store.sweep(accountId, syncMark, since, transaction);
    });
    this.announce(accountId, batch.messages, known, step.phase, batch.relisted);
    return counts;
  }

  /**
   * MESSAGES_ADDED_EVENT for the committed messages that were not stored before this step; mail
   * the provider lists again under new ids counts as imported.
   */
  private announce(accountId: number, messages: RemoteMessage[], known: Set<string>, phase: MessagesAddedEvent['phase'], relisted: string[] = []) {
    const again = new Set(relisted);
    const added = messages.map((m) => m.providerMessageId).filter((id) => !known.has(id));
    const groups: [MessagesAddedEvent['phase'], string[]][] = [
      [phase, added.filter((id) => !again.has(id))],
      ['import', added.filter((id) => again.has(id))],
    ];
    for (const [kind, providerMessageIds] of groups) {
      if (providerMessageIds.length) this.app.emit(MESSAGES_ADDED_EVENT, { accountId, providerMessageIds, phase: kind } satisfies MessagesAddedEvent);
    }
  }

  private async failed(account: Model, provider: MailProvider, log: SyncRun, error: Error): Promise<SyncResult> {
    const id = account.get('id');
    if (error instanceof ThrottledError) {
      await this.state.markThrottled(id, error.until);
      return log.finish('throttled', provider.calls, error.message);
    }
    if (error instanceof ReauthorizeError) {
      // withCredentials already set the account to `reauthorize` with the S-ERR-3 message.
      return log.finish('reauthorize', provider.calls, error.message);
    }
    // A refused client secret leaves the account in `error`; anything else only shows the error.
    await this.state.runFailed(id, error instanceof ProviderClientError ? ACCOUNT_STATUS.error : account.get('status'), error.message);
    this.app.log.warn(`email-manager: sync of account ${id} failed: ${error.message}`, { module: 'email-manager' });
    return log.finish('failed', provider.calls, error.message);
  }
}
