/**
 * One IMAP/SMTP mailbox on one password login (a MailboxSession).
 *
 * DESIGN DECISIONS
 * - Identity: a message is `<uidValidity>:<uid>:<folder path>` (ids.ts; a path too long for the
 *   id columns is named by a token that a LIST resolves, one more command). IMAP has no id that
 *   survives a move. Our own moves on a server with UIDPLUS come back from modify as `moved`
 *   (old id → new id from COPYUID): the row is re-keyed and keeps its notes and labels, and
 *   cursorAfterMoves keeps the sync from deleting and fetching it again. Another client's move
 *   is a delete plus a new message at the sync level.
 * - Threads: from the headers (root of References, else In-Reply-To, else Message-ID), hashed
 *   to 16 hex digits; null only for a message without any of them.
 * - Where a message is: `folderIds` = [its folder], `box` from folders.ts; read = \Seen,
 *   starred = \Flagged, draft = \Draft or in Drafts; date = INTERNALDATE; size = RFC822.SIZE.
 *   Attachments are the parsed MIME's, addressed by their index in it: fetching one fetches and
 *   parses the message again (no BODYSTRUCTURE part mapping yet).
 * - Change feed: a full listing (listing.ts), then incremental rounds (changes.ts) from a cursor
 *   of per-folder UID marks (cursor.ts). `incrementalFor` runs a round over named folders only,
 *   for an IDLE trigger. IMAP commands measured on Dovecot, besides the 6 every connection
 *   costs (ID, AUTHENTICATE, ID, NAMESPACE, ENABLE, LOGOUT): nothing new = LIST (with STATUS);
 *   one new mail or one flag change = LIST, EXAMINE, UID FETCH; an expunge = LIST, EXAMINE;
 *   incrementalFor(['INBOX']) on a held connection with one new mail = EXAMINE, UID FETCH.
 * - Connections: without `holdIdleMs`, each public method opens its own connection, works, and
 *   logs out in `finally`: no connection outlives a call. `open()` keeps one connection for the
 *   calls that follow until `close()`. With `holdIdleMs` (the provider's sessions) the
 *   connection stays for the next call and is logged out that long after the last. While
 *   `keepWarm()` holds the session (an IDLE-watched account, session-pool.ts) it stays logged in
 *   and is renewed (a new login) at a fixed interval instead. Calls on a held connection run one
 *   at a time.
 * - Reads and changes are retried on temporary failures (withRetry: a new connection each time);
 *   sending is not (a failed send may have gone out).
 */
import type { ImapFlow } from 'imapflow';
import { parseMimeOffThread } from '../../mime/parse-thread';
import { isTemporary, withRetry } from '../rate-limits';
import type { ChangeBatch, ChangeScope, ChangeTarget, MailboxSession, MessageChange, MessageState, MovedMessage, RemoteAttachment, RemoteFolder, RemoteMessage, SyncCursor } from '../types';
import { NotFoundError } from '../types';
import { changesStep } from './changes';
import { closeImap, openImap, withImap, type ImapOpenOptions } from './connection';
import { cursorAfterMoves, readCursor } from './cursor';
import { mapImapError } from './errors';
import { folderIndexFor, listImapFolders, toRemoteFolder } from './folders';
import { decodeMessageId, folderIndex, groupByFolder, parseMessageId } from './ids';
import { examine, listingStep } from './listing';
import type { PasswordLogin } from './login';
import { fetchStates, fetchWhole, MAX_MESSAGE_BYTES, type FolderContext } from './messages';
import { applyImapChange } from './modify';
import { ImapOutgoing } from './send';
import { UidSet } from './uid-set';

/** Messages fetched whole per step of the change feed (one ChangeBatch). */
export const DEFAULT_FETCH_BATCH = 100;

export interface ImapMailboxOptions extends ImapOpenOptions {
  fetchBatch?: number;
  /**
   * Keep the connection after a call, for the next one, and log out this long after the last:
   * the steps of a sync run share one login (see imap-provider.ts). Without it, each call logs in
   * and out unless open() was called.
   */
  holdIdleMs?: number;
  /** Where problems that do not fail a call go (a sent mail that could not be filed in Sent). */
  warn?: (message: string) => void;
}

export class ImapMailbox implements MailboxSession {
  readonly outgoing: ImapOutgoing;
  private held: ImapFlow | null = null;
  /** Calls on the held connection, one after the other (their SELECTs must not interleave). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly address: string,
    private readonly login: PasswordLogin,
    private readonly options: ImapMailboxOptions = {},
  ) {
    this.outgoing = new ImapOutgoing(login, (work) => this.session(work), options.warn);
  }

  /** Options of a new connection: its countCall reads this.options at each command, so a counter set later counts too. */
  private get connecting(): ImapOpenOptions {
    return { ...this.options, countCall: (command) => this.options.countCall?.(command) };
  }

  /** Keeps one connection for the calls that follow, until close(). */
  async open() {
    if (!this.held?.usable) this.held = await openImap(this.login, this.connecting);
  }

  async close() {
    const client = this.held;
    this.held = null;
    if (client) await closeImap(client);
  }

  async listFolders(): Promise<RemoteFolder[]> {
    return this.retried(async (client) => (await listImapFolders(client)).map(toRemoteFolder));
  }

  /** A scope with folders narrows an incremental step to them, as incrementalFor. */
  nextChanges(cursor: SyncCursor | null, since: Date, scope?: ChangeScope): Promise<ChangeBatch> {
    return this.step(cursor, since, scope?.folders);
  }

  /**
   * An incremental step over `folders` only (paths; an IDLE trigger names INBOX): no LIST, no
   * STATUS; one EXAMINE (QRESYNC) per folder, and one FETCH when mail arrived. During a full
   * listing it is a normal step.
   */
  incrementalFor(cursor: SyncCursor, since: Date, folders: string[]): Promise<ChangeBatch> {
    return this.step(cursor, since, folders);
  }

  private step(cursor: SyncCursor | null, since: Date, only?: string[]) {
    const fetchBatch = Math.max(1, this.options.fetchBatch ?? DEFAULT_FETCH_BATCH);
    return this.retried((client) => {
      // Read per attempt: a step changes its cursor in place, and a retried step starts clean.
      const stored = readCursor(cursor);
      const ctx = { client, fetchBatch, since };
      return !stored || stored.phase === 'full' ? listingStep(ctx, stored) : changesStep(ctx, stored, only);
    });
  }

  async fetchMessages(ids: string[]): Promise<{ messages: RemoteMessage[]; missing: string[] }> {
    const { found, missing } = await this.byFolder(ids, (client, folder, uids) => fetchWhole(client, folder, uids));
    return { messages: found, missing };
  }

  async fetchStates(ids: string[]): Promise<{ states: MessageState[]; missing: string[] }> {
    const { found, missing } = await this.byFolder(ids, async (client, folder, uids) => (await fetchStates(client, folder, uids)).states);
    return { states: found, missing };
  }

  /** Groups ids by folder: one EXAMINE and one UID FETCH each; stale UIDVALIDITY or gone UIDs are missing. */
  private byFolder<T extends MessageState>(ids: string[], fetch: (client: ImapFlow, folder: FolderContext, uids: UidSet) => Promise<T[]>) {
    return this.retried(async (client) => {
      // One LIST gives each folder's box and resolves the folder tokens of long paths (ids.ts).
      const listed = ids.some((id) => parseMessageId(id)) ? await listImapFolders(client) : [];
      const { folders: groups, invalid } = groupByFolder(ids, folderIndex(listed.map((f) => f.path)));
      const found: T[] = [];
      const missing = [...invalid];
      const boxes = new Map(listed.map((f) => [f.path, f.box]));
      for (const [path, list] of groups) {
        const mailbox = boxes.has(path) ? await examine(client, path) : null;
        for (const group of list) {
          if (!mailbox || Number(mailbox.uidValidity) !== group.uidValidity) {
            missing.push(...group.uids.values());
            continue;
          }
          const folder = { path, box: boxes.get(path) ?? null, uidValidity: group.uidValidity };
          const got = await fetch(client, folder, UidSet.of(group.uids.keys()));
          const seen = new Set(got.map((m) => m.providerMessageId));
          found.push(...got);
          missing.push(...[...group.uids.values()].filter((id) => !seen.has(id)));
        }
      }
      return { found, missing };
    });
  }

  async listAttachments(providerMessageId: string): Promise<RemoteAttachment[]> {
    const parsed = await this.parsed(providerMessageId);
    return parsed.attachments.map(({ content, ...a }, index) => ({ ...a, providerAttachmentId: String(index) }));
  }

  async fetchAttachment(providerMessageId: string, providerAttachmentId: string): Promise<Buffer> {
    const parsed = await this.parsed(providerMessageId);
    const part = parsed.attachments[Number(providerAttachmentId)];
    if (!/^\d+$/.test(providerAttachmentId) || !part) throw new NotFoundError('This attachment no longer exists');
    return Buffer.from(part.content);
  }

  /** The message's MIME, fetched and parsed; NotFoundError when it is gone. */
  private async parsed(providerMessageId: string) {
    if (!parseMessageId(providerMessageId)) throw new NotFoundError();
    const raw = await this.retried(async (client) => {
      const ref = decodeMessageId(providerMessageId, await folderIndexFor(client, [providerMessageId]));
      if (!ref) return null;
      const mailbox = await examine(client, ref.folder);
      if (!mailbox || Number(mailbox.uidValidity) !== ref.uidValidity) return null;
      const message = await client.fetchOne(String(ref.uid), { uid: true, source: { maxLength: MAX_MESSAGE_BYTES } }, { uid: true });
      return message && message.uid === ref.uid ? message.source || null : null;
    });
    if (!raw) throw new NotFoundError();
    return parseMimeOffThread(raw);
  }

  modify(targets: ChangeTarget[], change: MessageChange): Promise<{ missing: string[]; moved?: MovedMessage[] }> {
    return this.retried((client) => applyImapChange(client, targets, change));
  }

  cursorAfterMoves(cursor: SyncCursor, moved: MovedMessage[]): SyncCursor | null {
    return cursorAfterMoves(cursor, moved);
  }

  /** A session call retried on temporary failures (network, server "try later"). */
  private retried<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    return withRetry(() => this.session(work), undefined, isTemporary);
  }

  /** Runs `work` on the held connection, or on a connection of its own that is closed afterwards. */
  private session<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const holding = Boolean(this.options.holdIdleMs);
    if (!this.held && !holding) return withImap(this.login, this.connecting, work);
    const run = this.queue.then(async () => {
      clearTimeout(this.idleClose);
      // Closed meanwhile (and not holding): a connection of its own after all. Broken: a fresh one.
      if (!this.held && !holding) return withImap(this.login, this.connecting, work);
      if (!this.held?.usable) this.held = await openImap(this.login, this.connecting);
      try {
        return await work(this.held!);
      } catch (error) {
        throw mapImapError(error, this.login.imap);
      } finally {
        if (holding) this.closeWhenIdle();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private idleClose?: NodeJS.Timeout;
  private warmth = 0;
  private renewal?: NodeJS.Timeout;

  /**
   * Keeps the session logged in until the returned release is called: logged in (and LISTed: imapflow
   * sends a LIST before selecting a folder it has not listed on the connection) now, and again
   * every `renewMs`. What an IDLE-watched account's pushed syncs run on without a login; the
   * renewal's login is what notices a password changed elsewhere. Needs `holdIdleMs`.
   */
  keepWarm(renewMs: number): () => void {
    if (!this.warmth++) {
      clearTimeout(this.idleClose);
      this.renewal = setInterval(() => void this.renew(), renewMs);
      this.renewal.unref();
      void this.renew();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.warmth) return;
      clearInterval(this.renewal);
      // Logged out after the calls already queued: nothing waits for pushes any more.
      this.queue = this.queue.then(() => this.close()).catch(() => undefined);
    };
  }

  /** A new login in place of the held one, in the queue of calls; failures are the next call's to meet. */
  private renew() {
    this.queue = this.queue.then(() => this.close()).catch(() => undefined);
    return this.listFolders().catch(() => undefined);
  }

  /** Logs out holdIdleMs after the last call, unless another one came; a warm session stays. */
  private closeWhenIdle() {
    clearTimeout(this.idleClose);
    if (this.warmth) return;
    this.idleClose = setTimeout(() => {
      this.queue = this.queue.then(() => this.close()).catch(() => undefined);
    }, this.options.holdIdleMs);
    this.idleClose.unref();
  }
}
