/**
 * The incremental feed. A round starts with one LIST that carries every folder's STATUS
 * (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ; LIST-STATUS, RFC 5819, or one STATUS per
 * folder without it). A folder whose STATUS equals its cursor marks is not touched: a round
 * with nothing new is that one command. A changed folder is selected and asked what changed:
 *
 * - QRESYNC: `EXAMINE folder (QRESYNC (uidvalidity modseq))` answers, inside the SELECT, the
 *   flags of every message changed since the cursor and the UIDs expunged (VANISHED); new mail
 *   (UIDs from the cursor's UIDNEXT on) is then one `UID FETCH` of whole messages. The changed
 *   flags need one more FETCH for their thread headers (MessageState carries the thread id).
 * - CONDSTORE only: `UID FETCH <known> (FLAGS …) (CHANGEDSINCE modseq)`; expunges are inferred
 *   from the message count and, when it does not add up, found by `UID SEARCH UID <known>`.
 * - Neither: flags of every stored UID of the changed folder are fetched and compared with the
 *   \Seen/\Flagged sets kept in the cursor. The trade-off: a folder is only looked at when its
 *   STATUS moved, and STATUS does not move for a \Flagged change alone, so such a change waits
 *   for the next change in that folder (or a reconcile). A \Seen change moves UNSEEN.
 *
 * A folder with a new UIDVALIDITY is listed again (listing.ts relist); new folders are listed,
 * gone folders' messages deleted. More than INLINE_FETCH_MAX new messages are queued in the
 * cursor and fetched over the following steps.
 */
import type { StatusObject } from 'imapflow';
import type { ChangeBatch } from '../types';
import { enqueue, forget, knownUids, type FolderMark, type ImapCursor } from './cursor';
import { changeStatus, listImapFolders } from './folders';
import { contextOf, drainPending, emptyStep, examine, hasCondstore, idsOf, planFolder, relist, rememberFetched, searchUids, type StepResult, type SyncContext } from './listing';
import { fetchFlags, fetchStates, fetchWhole, INLINE_FETCH_MAX } from './messages';
import { UidSet } from './uid-set';

/**
 * One incremental step. With `only`, the round skips the LIST and looks at just those folders
 * (an IDLE or NOTIFY trigger knows which folder changed): on a warm connection, one EXAMINE and,
 * when mail came, one FETCH. Unknown folders in `only` are ignored; they need a full round.
 */
export async function changesStep(ctx: SyncContext, cursor: ImapCursor, only?: string[]): Promise<ChangeBatch> {
  const step = emptyStep();
  // Fetches left from an earlier step come first; the round itself then runs in the next step.
  const round = !cursor.pending?.length;
  if (round) {
    if (only) {
      for (const path of only) if (cursor.folders[path]) await refreshFolder(ctx, cursor, path, undefined, step);
    } else {
      const folders = await listImapFolders(ctx.client, changeStatus(ctx.client));
      const listed = new Set(folders.map((f) => f.path));
      for (const [path, mark] of Object.entries(cursor.folders)) {
        if (listed.has(path)) continue;
        // Deleted or renamed: a renamed folder comes back below as a new one, under new ids.
        step.deleted.push(...idsOf(path, mark, knownUids(mark)));
        delete cursor.folders[path];
      }
      for (const folder of folders) {
        const mark = cursor.folders[folder.path];
        if (!mark) {
          const plan = await planFolder(ctx, folder);
          if (plan) {
            cursor.folders[folder.path] = plan.mark;
            enqueue(cursor, folder.path, plan.candidates);
          }
          continue;
        }
        // A folder that became (or stopped being) a system folder: every stored message changes box.
        const restate = mark.box !== folder.box;
        mark.box = folder.box;
        if (!restate && unchanged(mark, folder.status)) continue;
        await refreshFolder(ctx, cursor, folder.path, folder.status, step, restate);
      }
    }
  }
  await drainPending(ctx, cursor, step);
  const drained = !cursor.pending?.length;
  if (drained) delete cursor.pending;
  return { ...step, fetch: [], seen: [], cursor, sweep: false, done: drained && round };
}

/** STATUS equal to the marks: nothing arrived, left, or changed flags (as far as STATUS can tell). */
function unchanged(mark: FolderMark, status: StatusObject | undefined) {
  if (!status || status.uidValidity === undefined || mark.messages === undefined) return false;
  const same = <T>(a: T | undefined, b: T | undefined) => a === undefined || b === undefined || a === b;
  return (
    Number(status.uidValidity) === mark.uidValidity &&
    status.uidNext === mark.uidNext &&
    status.messages === mark.messages &&
    same(status.unseen, mark.unseen) &&
    same(status.highestModseq === undefined ? undefined : String(status.highestModseq), mark.highestModseq)
  );
}

async function refreshFolder(ctx: SyncContext, cursor: ImapCursor, path: string, status: StatusObject | undefined, step: StepResult, restate = false) {
  const { client } = ctx;
  const mark = cursor.folders[path];
  const known = knownUids(mark);
  const qresync = client.enabled.has('QRESYNC') && mark.highestModseq !== undefined;
  const changed = new Set<number>();
  const vanished: number[] = [];
  const onFlags = (event: { uid?: number }) => event.uid && changed.add(event.uid);
  const onExpunge = (event: { uid?: number; vanished: boolean }) => event.vanished && event.uid && vanished.push(event.uid);
  client.on('flags', onFlags);
  client.on('expunge', onExpunge);
  let mailbox;
  try {
    mailbox = await examine(client, path, qresync ? { uidValidity: mark.uidValidity, changedSince: BigInt(mark.highestModseq!) } : {});
  } finally {
    client.off('flags', onFlags);
    client.off('expunge', onExpunge);
  }
  if (!mailbox) {
    step.deleted.push(...idsOf(path, mark, known));
    delete cursor.folders[path];
    return;
  }
  if (Number(mailbox.uidValidity) !== mark.uidValidity) {
    await relist(ctx, cursor, path, mailbox, step);
    return;
  }
  const folder = contextOf(path, mark);
  const modseq = hasCondstore(client, mailbox) ? mailbox.highestModseq : undefined;
  let gone = UidSet.empty();
  /** UIDs whose state to fetch; with `changedSince`, the server answers only for those changed after it. */
  let restates: { uids: UidSet; changedSince?: bigint } = { uids: UidSet.empty() };
  if (qresync && (mailbox as { qresync?: boolean }).qresync) {
    gone = UidSet.of(vanished).intersect(known);
    restates = { uids: UidSet.of(changed).intersect(known).minus(gone) };
  } else if (modseq !== undefined && mark.highestModseq !== undefined) {
    if (modseq > BigInt(mark.highestModseq)) restates = { uids: known, changedSince: BigInt(mark.highestModseq) };
    // No expunge makes the count fall short of "before + new UIDs"; when it does, ask which went.
    if (!known.isEmpty && (mark.messages === undefined || mailbox.exists !== mark.messages + (mailbox.uidNext - mark.uidNext))) {
      const present = await searchUids(client, { uid: known.toString() });
      gone = known.minus(present);
    }
  } else {
    const flags = await fetchFlags(client, known);
    gone = known.minus(flags.present);
    const before = { seen: UidSet.parse(mark.seen), flagged: UidSet.parse(mark.flagged) };
    const flipped = mark.seen === undefined ? flags.present : symmetric(before.seen, flags.seen).union(symmetric(before.flagged, flags.flagged)).intersect(flags.present);
    restates = { uids: flipped };
    mark.seen = flags.seen.toString();
    mark.flagged = flags.flagged.toString();
  }
  if (restate) restates = { uids: known.minus(gone) };
  if (!restates.uids.isEmpty) step.states.push(...(await fetchStates(client, folder, restates.uids.minus(gone), restates.changedSince)).states);
  step.deleted.push(...idsOf(path, mark, gone));
  forget(mark, gone);
  if (mailbox.uidNext > mark.uidNext) {
    // Up to the UIDNEXT of this SELECT only: later arrivals are the next round's (no double count).
    // Known ones are the user's moves whose rows were re-keyed already (cursorAfterMoves).
    const arrived = UidSet.parse(`${mark.uidNext}:${mailbox.uidNext - 1}`).minus(known);
    if (arrived.size <= INLINE_FETCH_MAX) {
      const messages = await fetchWhole(client, folder, arrived, ctx.since);
      step.messages.push(...messages);
      rememberFetched(mark, messages);
    } else {
      enqueue(cursor, path, await searchUids(client, { uid: arrived.toString() }));
    }
  }
  mark.uidNext = mailbox.uidNext;
  mark.highestModseq = modseq !== undefined ? String(modseq) : undefined;
  mark.messages = mailbox.exists;
  mark.unseen = status?.unseen;
}

/** UIDs in one set and not the other: the messages whose flag flipped. */
function symmetric(a: UidSet, b: UidSet) {
  return a.minus(b).union(b.minus(a));
}
