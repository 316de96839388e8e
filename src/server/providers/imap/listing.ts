/**
 * The full listing (a null cursor) and the fetching of queued UIDs, which the incremental feed
 * shares for new folders, re-created folders and large arrivals.
 *
 * The first step LISTs the folders with their STATUS, and in each non-empty one runs `UID SEARCH
 * UID 1:<uidNext-1> SINCE <since>`: what the listing will bring, queued in the cursor as
 * sequence-sets (the sum is the progress estimate). The folder's UIDVALIDITY, UIDNEXT and
 * HIGHESTMODSEQ taken then are where the incremental feed starts, so mail arriving or changing
 * during a long first import is picked up by it, never lost. Each step then fetches up to
 * `fetchBatch` queued messages whole, newest (highest UID) first, Inbox first; the last step
 * sweeps and switches the cursor to incremental.
 */
import type { ImapFlow, MailboxObject, SearchObject } from 'imapflow';
import type { ChangeBatch, MessageState, RemoteMessage } from '../types';
import { enqueue, knownUids, remember, type FolderMark, type ImapCursor } from './cursor';
import { MailServerError } from './errors';
import { changeStatus, listImapFolders, type ImapFolder } from './folders';
import { encodeMessageId, parseMessageId } from './ids';
import { fetchWhole, type FolderContext } from './messages';
import { UidSet } from './uid-set';

export interface SyncContext {
  client: ImapFlow;
  /** Messages fetched whole per step at most. */
  fetchBatch: number;
  since: Date;
}

export type StepResult = Pick<ChangeBatch, 'messages' | 'states' | 'deleted' | 'relisted'>;

export const emptyStep = (): StepResult => ({ messages: [], states: [] as MessageState[], deleted: [] });

/** Whether the session tracks flags by mod-sequence; without, the cursor keeps \Seen and \Flagged sets. */
export const hasCondstore = (client: ImapFlow, mailbox?: MailboxObject | false) =>
  client.enabled.has('CONDSTORE') && !(mailbox && mailbox.noModseq);

export const contextOf = (path: string, mark: FolderMark): FolderContext => ({ path, box: mark.box, uidValidity: mark.uidValidity });

export const idsOf = (path: string, mark: FolderMark, uids: UidSet) =>
  uids.toArray().map((uid) => encodeMessageId({ folder: path, uidValidity: mark.uidValidity, uid }));

export const uidsOf = (messages: RemoteMessage[]) => UidSet.of(messages.map((m) => parseMessageId(m.providerMessageId)!.uid));

/** Fetched messages are stored ones from now on (and, without CONDSTORE, their flags are noted). */
export function rememberFetched(mark: FolderMark, messages: RemoteMessage[]) {
  remember(mark, uidsOf(messages));
  if (mark.seen !== undefined) mark.seen = UidSet.parse(mark.seen).union(uidsOf(messages.filter((m) => m.read))).toString();
  if (mark.flagged !== undefined) mark.flagged = UidSet.parse(mark.flagged).union(uidsOf(messages.filter((m) => m.starred))).toString();
}

/** Refusals of a SELECT that mean the folder is out of reach for good (RFC 5530), not "try later". */
const FOLDER_GONE_CODES = new Set(['NONEXISTENT', 'NOPERM']);

/**
 * A read-only SELECT; null when the folder no longer exists or may not be read ([NOPERM]): its
 * stored mail is then gone, rather than every sync failing on it. Other refusals
 * ([UNAVAILABLE]…) and broken connections throw.
 */
export async function examine(client: ImapFlow, path: string, options: { uidValidity?: number; changedSince?: bigint } = {}) {
  try {
    return await client.mailboxOpen(path, { readOnly: true, ...options });
  } catch (error) {
    const e = error as { mailboxMissing?: boolean; serverResponseCode?: string };
    if (e.mailboxMissing || FOLDER_GONE_CODES.has((e.serverResponseCode || '').toUpperCase())) return null;
    throw error;
  }
}

/**
 * `UID SEARCH` in the selected folder. imapflow answers a refused SEARCH (NO/BAD) with `false`,
 * not an error: read as "no messages", a refusal made a listing skip a whole folder for good
 * (its UIDNEXT was taken, so its mail was never fetched) and an arrival check drop new mail. A
 * refusal fails the step instead, and the next run asks again from the same cursor.
 */
export async function searchUids(client: ImapFlow, query: SearchObject): Promise<UidSet> {
  const found = await client.search(query, { uid: true });
  if (!Array.isArray(found)) throw new MailServerError(`The mail server refused to search ${client.mailbox ? client.mailbox.path : 'a folder'}`, 400);
  return UidSet.of(found);
}

/** A folder's starting marks and what of it the listing fetches; `opened`: the folder is selected already. */
export async function planFolder(ctx: SyncContext, folder: Pick<ImapFolder, 'path' | 'box' | 'status'>, opened?: MailboxObject) {
  const { client } = ctx;
  const status = folder.status;
  const trackFlags = !hasCondstore(client);
  const flagSets = trackFlags ? { seen: '', flagged: '' } : {};
  if (!opened && status?.messages === 0 && status.uidValidity !== undefined && status.uidNext) {
    // Empty: STATUS says all there is; no SELECT.
    const highestModseq = !trackFlags && status.highestModseq ? String(status.highestModseq) : undefined;
    const mark: FolderMark = { uidValidity: Number(status.uidValidity), uidNext: status.uidNext, highestModseq, messages: 0, unseen: 0, box: folder.box, uids: '', ...flagSets };
    return { mark, candidates: UidSet.empty() };
  }
  const mailbox = opened || (await examine(client, folder.path));
  if (!mailbox) return null;
  const condstore = hasCondstore(client, mailbox) && mailbox.highestModseq !== undefined;
  const mark: FolderMark = {
    uidValidity: Number(mailbox.uidValidity),
    uidNext: mailbox.uidNext,
    highestModseq: condstore ? String(mailbox.highestModseq) : undefined,
    messages: mailbox.exists,
    unseen: status?.unseen,
    box: folder.box,
    uids: '',
    ...(condstore ? {} : { seen: '', flagged: '' }),
  };
  let candidates = UidSet.empty();
  if (mailbox.exists > 0 && mailbox.uidNext > 1) {
    candidates = await searchUids(client, { uid: `1:${mailbox.uidNext - 1}`, since: ctx.since });
  }
  return { mark, candidates };
}

/**
 * Fetches queued UIDs, up to `fetchBatch` per step: the highest first, folder by folder. A folder
 * gone meanwhile drops its stored messages; one re-created (new UIDVALIDITY) drops them too and
 * is listed again, so its old ids die and its messages come back under new ones, never twice.
 */
export async function drainPending(ctx: SyncContext, cursor: ImapCursor, step: StepResult) {
  let budget = ctx.fetchBatch - step.messages.length;
  while (cursor.pending?.length && budget > 0) {
    const entry = cursor.pending[0];
    const mark = cursor.folders[entry.folder];
    const mailbox = mark ? await examine(ctx.client, entry.folder) : null;
    if (!mark || !mailbox) {
      if (mark) step.deleted.push(...idsOf(entry.folder, mark, knownUids(mark)));
      delete cursor.folders[entry.folder];
      cursor.pending.shift();
      continue;
    }
    if (Number(mailbox.uidValidity) !== mark.uidValidity) {
      await relist(ctx, cursor, entry.folder, mailbox, step);
      continue;
    }
    const queued = UidSet.parse(entry.uids);
    const take = UidSet.of(queued.highest(budget));
    const messages = await fetchWhole(ctx.client, contextOf(entry.folder, mark), take, ctx.since);
    step.messages.push(...messages);
    if (entry.relisted) (step.relisted ??= []).push(...messages.map((m) => m.providerMessageId));
    rememberFetched(mark, messages);
    entry.uids = queued.minus(take).toString();
    if (!entry.uids) cursor.pending.shift();
    budget -= take.size;
  }
}

/** A folder whose UIDVALIDITY changed: everything stored of it is deleted, and it is listed again (as relisted mail). */
export async function relist(ctx: SyncContext, cursor: ImapCursor, path: string, mailbox: MailboxObject, step: StepResult) {
  const old = cursor.folders[path];
  step.deleted.push(...idsOf(path, old, knownUids(old)));
  cursor.pending = (cursor.pending || []).filter((p) => p.folder !== path);
  const plan = await planFolder(ctx, { path, box: old.box }, mailbox);
  if (!plan) {
    delete cursor.folders[path];
    return;
  }
  cursor.folders[path] = plan.mark;
  enqueue(cursor, path, plan.candidates, true);
}

/** One step of the full listing. */
export async function listingStep(ctx: SyncContext, stored: ImapCursor | null): Promise<ChangeBatch> {
  const step = emptyStep();
  let cursor = stored;
  if (!cursor) {
    cursor = { phase: 'full', v: 1, folders: {}, pending: [], estimatedTotal: 0 };
    for (const folder of await listImapFolders(ctx.client, changeStatus(ctx.client))) {
      const plan = await planFolder(ctx, folder);
      if (!plan) continue;
      cursor.folders[folder.path] = plan.mark;
      enqueue(cursor, folder.path, plan.candidates);
      cursor.estimatedTotal! += plan.candidates.size;
    }
  }
  await drainPending(ctx, cursor, step);
  const done = !cursor.pending?.length;
  const estimatedTotal = cursor.estimatedTotal;
  if (done) {
    cursor.phase = 'incremental';
    delete cursor.pending;
    delete cursor.estimatedTotal;
  }
  return {
    ...step,
    fetch: [],
    seen: step.messages.map((m) => m.providerMessageId),
    cursor,
    sweep: done,
    done,
    estimatedTotal,
  };
}
