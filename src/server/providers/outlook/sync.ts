/**
 * The Outlook change feed (DESIGN §5): Graph `messages/delta` per mail folder. Delta pages carry
 * whole messages, so a first import costs about one request per page and nothing more; later
 * rounds ask each folder's deltaLink for what changed. Ids are immutable (`Prefer: IdType`), so a
 * message moved between folders keeps its id, its notes and its labels.
 */
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { lowerCaseHeaders, settleBatch, type PartAnswer } from '../batch-parts';
import { Concurrency, isTemporary, perMailbox, SlidingWindow, withRetry } from '../limits';
import type { Box, ChangeBatch, ChangeTarget, Mailbox, MessageChange, RemoteAttachment, RemoteFolder, RemoteMessage, SyncCursor } from '../types';
import { NotFoundError } from '../types';
import { graphPartError, isTemporaryGraphPart, mapGraphError } from './errors';
import { applyOutlookChange, BatchRequest } from './modify';
import { OutlookOutgoing } from './send';
import { BOX_BY_WELL_KNOWN, fromGraphMessage, GraphMessage, MESSAGE_SELECT, SKIPPED_WELL_KNOWN } from './mapping';

/** Graph's mailbox limits (Outlook service limits) and our request sizes. */
export const GRAPH_LIMITS = {
  requestsPer10Minutes: () => Number(process.env.EMAIL_MANAGER_GRAPH_REQUESTS_PER_10_MINUTES) || 10_000,
  concurrentPerMailbox: 4,
  /** Messages per delta page we ask for; Graph may send fewer. */
  deltaPageSize: 500,
  /**
   * Parts per `$batch`. Graph takes 20, but it runs the parts at once and counts each against the
   * mailbox's 4 concurrent requests: parts 5 to 20 of a full batch come back 429. So a batch
   * carries at most 4 parts and holds as many of our concurrency slots as it has parts.
   */
  batchSize: 4,
  foldersPageSize: 250,
};

interface FolderCursor extends RemoteFolder {
  /** nextLink while a listing is under way, then the deltaLink for the next round. */
  link?: string;
}

export interface OutlookCursor extends SyncCursor {
  folders?: FolderCursor[];
  /** Folder ids still to ask in this round (crash-safe: persisted with every page). */
  pending?: string[];
}

const windowOf = perMailbox(() => new SlidingWindow(Math.floor(GRAPH_LIMITS.requestsPer10Minutes() * 0.97), 601_000));
const concurrencyOf = perMailbox(() => new Concurrency(GRAPH_LIMITS.concurrentPerMailbox));
const PREFER = (pageSize?: number) => [pageSize ? `odata.maxpagesize=${pageSize}` : '', 'IdType="ImmutableId"'].filter(Boolean).join(', ');

export class OutlookSync {
  private readonly window: SlidingWindow;
  private readonly concurrency: Concurrency;

  constructor(
    private readonly client: Client,
    mailbox: Mailbox,
    private readonly countCall: () => void,
  ) {
    const key = mailbox.address.toLowerCase();
    this.window = windowOf(key);
    this.concurrency = concurrencyOf(key);
  }

  async nextChanges(cursor: OutlookCursor | null, since: Date): Promise<ChangeBatch> {
    let state: OutlookCursor = cursor?.folders ? cursor : { phase: 'full' };
    let estimatedTotal: number | undefined;
    if (!state.folders || !state.pending?.length) {
      // A new round: find the folders (new ones start with a full listing of their own).
      const { folders, total } = await this.folderList();
      const known = new Map((state.folders || []).map((f) => [f.id, f]));
      const merged = folders.map((f) => ({ ...f, link: state.phase === 'full' ? undefined : known.get(f.id)?.link }));
      state = { ...state, folders: merged, pending: merged.map((f) => f.id) };
      estimatedTotal = total;
    }
    const folder = state.folders!.find((f) => f.id === state.pending![0])!;
    const page = await this.deltaPage(folder, since);
    const folders = state.folders!.map((f) => (f.id === folder.id ? { ...f, link: page.link } : f));
    const pending = page.finished ? state.pending!.slice(1) : state.pending!;
    const done = pending.length === 0;
    const boxOf = boxLookup(folders);
    const messages: RemoteMessage[] = page.changed.map((m) => fromGraphMessage(m, boxOf));
    const full = state.phase === 'full';
    return {
      messages,
      fetch: [],
      states: [],
      // "changed" removals are moves out of this folder: the message shows up in its new folder.
      deleted: page.removed.filter((m) => m['@removed']?.reason !== 'changed').map((m) => m.id),
      seen: full ? messages.map((m) => m.providerMessageId) : [],
      sweep: full && done,
      done,
      estimatedTotal,
      cursor: { phase: full && !done ? 'full' : 'incremental', folders, pending },
    };
  }

  private async deltaPage(folder: FolderCursor, since: Date) {
    let data: { value?: GraphMessage[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
    if (folder.link) {
      data = await this.call('delta', () => this.client.api(folder.link!).header('Prefer', PREFER(GRAPH_LIMITS.deltaPageSize)).get());
    } else {
      data = await this.call('delta', () =>
        this.client
          .api(`/me/mailFolders/${encodeURIComponent(folder.id)}/messages/delta`)
          .header('Prefer', PREFER(GRAPH_LIMITS.deltaPageSize))
          .select(MESSAGE_SELECT)
          .filter(`receivedDateTime ge ${since.toISOString()}`)
          .get(),
      );
    }
    const value = data.value || [];
    const nextLink = data['@odata.nextLink'];
    return {
      changed: value.filter((m) => !m['@removed']),
      removed: value.filter((m) => m['@removed']),
      link: nextLink || data['@odata.deltaLink'] || folder.link,
      finished: !nextLink,
    };
  }

  /** Messages by id (rarely needed: delta pages carry whole messages). */
  async fetchMessages(ids: string[]) {
    const { folders } = await this.folderList();
    const boxOf = boxLookup(folders);
    const select = MESSAGE_SELECT.join(',');
    const answers = await this.batch(
      ids.map((id) => ({ id, url: `/me/messages/${encodeURIComponent(id)}?$select=${select}` })),
      'message fetch',
    );
    const messages: RemoteMessage[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const answer = answers.get(id)!;
      if (answer.status === 200) messages.push(fromGraphMessage(answer.body, boxOf));
      else if (answer.status === 404) missing.push(id);
      else throw graphPartError(answer, 'message fetch');
    }
    return { messages, missing };
  }

  /** Attachment metadata (delta pages leave it out; `hasAttachments` ignores inline images). */
  async listAttachments(id: string): Promise<RemoteAttachment[]> {
    const path = `/me/messages/${encodeURIComponent(id)}/attachments`;
    const data: any = await this.notFoundAware(() =>
      this.call('attachments', () => this.client.api(path).header('Prefer', PREFER()).select(['id', 'name', 'contentType', 'size', 'isInline', 'contentId']).get()),
    );
    return (data.value || []).map((a: any) => ({
      providerAttachmentId: a.id,
      filename: a.name || 'attachment',
      mimeType: a.contentType || 'application/octet-stream',
      size: a.size || 0,
      contentId: a.contentId ? String(a.contentId).replace(/^<|>$/g, '') : undefined,
      inline: Boolean(a.isInline),
    }));
  }

  async fetchAttachment(id: string, attachmentId: string): Promise<Buffer> {
    const path = `/me/messages/${encodeURIComponent(id)}/attachments/${encodeURIComponent(attachmentId)}/$value`;
    const data: ArrayBuffer = await this.notFoundAware(() =>
      this.call('attachment', () => this.client.api(path).header('Prefer', PREFER()).responseType(ResponseType.ARRAYBUFFER).get()),
    );
    return Buffer.from(data);
  }

  private async notFoundAware<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if ((error as any)?.status === 404) throw new NotFoundError();
      throw error;
    }
  }

  /**
   * Every mail folder with its box: well-known ones by name (display names are localized). Only a
   * 404 means the mailbox has no such folder; a throttled or failed lookup is asked again, and in
   * the end fails the step, never turning Deleted Items or Archive into a custom folder.
   */
  async folderList(): Promise<{ folders: RemoteFolder[]; total: number }> {
    const wellKnown = [...Object.keys(BOX_BY_WELL_KNOWN), ...SKIPPED_WELL_KNOWN];
    const answers = await this.batch(
      wellKnown.map((name) => ({ id: name, url: `/me/mailFolders/${name}?$select=id` })),
      'folder lookup',
    );
    const boxById = new Map<string, Box>();
    const skipped = new Set<string>();
    for (const name of wellKnown) {
      const answer = answers.get(name)!;
      if (answer.status === 404) continue; // a mailbox without that folder
      if (answer.status !== 200 || !answer.body?.id) throw graphPartError(answer, `folder lookup (${name})`);
      if (SKIPPED_WELL_KNOWN.includes(name)) skipped.add(answer.body.id);
      else boxById.set(answer.body.id, BOX_BY_WELL_KNOWN[name]);
    }
    const folders: RemoteFolder[] = [];
    let total = 0;
    const visit = async (url: string) => {
      let link: string | undefined = url;
      while (link) {
        const current: string = link;
        const page: any = await this.call('folders', () => this.client.api(current).get());
        for (const f of page.value || []) {
          if (skipped.has(f.id)) continue;
          const box = boxById.get(f.id) ?? null;
          folders.push({ id: f.id, name: f.displayName || f.id, box, custom: !box });
          total += f.totalItemCount || 0;
          if (f.childFolderCount > 0) await visit(`/me/mailFolders/${encodeURIComponent(f.id)}/childFolders?$top=${GRAPH_LIMITS.foldersPageSize}`);
        }
        link = page['@odata.nextLink'];
      }
    };
    await visit(`/me/mailFolders?$top=${GRAPH_LIMITS.foldersPageSize}`);
    return { folders, total };
  }

  /** Applies a mail-center change (see modify.ts). */
  modify(targets: ChangeTarget[], change: MessageChange) {
    return applyOutlookChange((requests) => this.batch(requests, 'change'), targets, change);
  }

  /**
   * Graph JSON batching, every part settled: parts answered 429/5xx (or left out) are sent again
   * after their own Retry-After, within the mailbox limits, a bounded number of times
   * (batch-parts.ts). Each returned answer is a success or a real verdict (404…).
   */
  private batch(requests: BatchRequest[], what: string): Promise<Map<string, PartAnswer>> {
    return settleBatch({
      requests,
      send: (pending) => this.sendBatches(pending),
      temporary: isTemporaryGraphPart,
      onThrottle: (ms) => this.window.pauseFor(ms),
      what: `Microsoft Graph ${what}`,
    });
  }

  /** One `$batch` call per GRAPH_LIMITS.batchSize parts, answered in any order. */
  private async sendBatches(requests: BatchRequest[]) {
    const out = new Map<string, PartAnswer>();
    for (let i = 0; i < requests.length; i += GRAPH_LIMITS.batchSize) {
      const chunk = requests.slice(i, i + GRAPH_LIMITS.batchSize);
      const body = {
        requests: chunk.map((r) => ({
          id: r.id,
          method: r.method || 'GET',
          url: r.url,
          headers: { Prefer: PREFER(), ...(r.body ? { 'Content-Type': 'application/json' } : {}) },
          ...(r.body ? { body: r.body } : {}),
        })),
      };
      const data: any = await this.call('batch', () => this.client.api('/$batch').post(body), chunk.length, isTemporary, chunk.length);
      for (const response of data.responses || []) {
        out.set(String(response.id), { status: Number(response.status) || 0, headers: lowerCaseHeaders(response.headers), body: response.body });
      }
    }
    return out;
  }

  /** Sending and drafts (see send.ts), inside the same mailbox limits. */
  outgoing() {
    return new OutlookOutgoing(this.client, (what, run, retryable) => this.call(what, run, 1, retryable));
  }

  /**
   * One request inside the mailbox's limits, with retries; errors mapped to the plugin's kinds.
   * `weight`: requests it counts for in the 10-minute window; `slots`: concurrent requests it is.
   */
  private call<T>(what: string, run: () => Promise<T>, weight = 1, retryable = isTemporary, slots = 1): Promise<T> {
    return withRetry(async () => {
      await this.window.take(weight);
      return this.concurrency.run(async () => {
        this.countCall();
        try {
          return await run();
        } catch (error) {
          throw mapGraphError(error, what);
        }
      }, slots);
    }, (ms) => this.window.pauseFor(ms), retryable);
  }
}

function boxLookup(folders: RemoteFolder[]) {
  const byId = new Map(folders.map((f) => [f.id, f.box]));
  return (folderId: string) => byId.get(folderId) ?? null;
}
