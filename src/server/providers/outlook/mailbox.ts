/**
 * One Outlook mailbox on one set of tokens (a MailboxSession): its folders, its change feed,
 * messages and attachments, mail-center changes (modify.ts) and sending (send.ts), each request
 * through graph-client.ts inside the mailbox's limits.
 *
 * The change feed (DESIGN §5): Graph `messages/delta` per mail folder. Delta pages carry
 * whole messages, so a first import costs about one request per page and nothing more; later
 * rounds ask each folder's deltaLink for what changed. Ids are immutable (`Prefer: IdType`), so a
 * message moved between folders keeps its id, its notes and its labels.
 */
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { Box, ChangeBatch, ChangeTarget, MailboxSession, MessageChange, RemoteAttachment, RemoteFolder, RemoteMessage, SyncCursor } from '../types';
import { NotFoundError } from '../types';
import { graphPartError } from './errors';
import { GRAPH_LIMITS, GraphMailboxClient, PREFER } from './graph-client';
import { applyOutlookChange } from './modify';
import { OutlookOutgoing } from './send';
import { BOX_BY_WELL_KNOWN, fromGraphMessage, GraphMessage, MESSAGE_SELECT, SKIPPED_WELL_KNOWN } from './mapping';

/** An attachment as Graph lists it (`$select` of listAttachments). */
interface GraphAttachment {
  id: string;
  name?: string;
  contentType?: string;
  size?: number;
  contentId?: string;
  isInline?: boolean;
}

/** A mail folder as Graph lists it. */
interface GraphFolder {
  id: string;
  displayName?: string;
  totalItemCount?: number;
  childFolderCount: number;
}

interface FolderCursor extends RemoteFolder {
  /** nextLink while a listing is under way, then the deltaLink for the next round. */
  link?: string;
}

export interface OutlookCursor extends SyncCursor {
  folders?: FolderCursor[];
  /** Folder ids still to ask in this round (crash-safe: persisted with every page). */
  pending?: string[];
}

export class OutlookMailbox implements MailboxSession {
  /** Sending and drafts (see send.ts), inside the same mailbox limits. */
  readonly outgoing: OutlookOutgoing;
  private readonly client: Client;

  constructor(private readonly graph: GraphMailboxClient) {
    this.client = graph.client;
    this.outgoing = new OutlookOutgoing(this.client, (what, run, retryable) => graph.call(what, run, 1, retryable));
  }

  async listFolders(): Promise<RemoteFolder[]> {
    return (await this.folderList()).folders;
  }

  async nextChanges(cursor: SyncCursor | null, since: Date): Promise<ChangeBatch> {
    const outlookCursor = cursor as OutlookCursor | null;
    let state: OutlookCursor = outlookCursor?.folders ? outlookCursor : { phase: 'full' };
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
      data = await this.graph.call('delta', () => this.client.api(folder.link!).header('Prefer', PREFER(GRAPH_LIMITS.deltaPageSize)).get());
    } else {
      data = await this.graph.call('delta', () =>
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
    const answers = await this.graph.batch(
      ids.map((id) => ({ id, url: `/me/messages/${encodeURIComponent(id)}?$select=${select}` })),
      'message fetch',
    );
    const messages: RemoteMessage[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const answer = answers.get(id)!;
      if (answer.status === 200) messages.push(fromGraphMessage(answer.body as GraphMessage, boxOf));
      else if (answer.status === 404) missing.push(id);
      else throw graphPartError(answer, 'message fetch');
    }
    return { messages, missing };
  }

  /** Delta listings carry whole messages, so this is only a fallback: the state of whole messages. */
  async fetchStates(ids: string[]) {
    const { messages, missing } = await this.fetchMessages(ids);
    return { states: messages, missing };
  }

  /** Attachment metadata (delta pages leave it out; `hasAttachments` ignores inline images). */
  async listAttachments(id: string): Promise<RemoteAttachment[]> {
    const path = `/me/messages/${encodeURIComponent(id)}/attachments`;
    const data: { value?: GraphAttachment[] } = await this.notFoundAware(() =>
      this.graph.call('attachments', () => this.client.api(path).header('Prefer', PREFER()).select(['id', 'name', 'contentType', 'size', 'isInline', 'contentId']).get()),
    );
    return (data.value || []).map((a) => ({
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
      this.graph.call('attachment', () => this.client.api(path).header('Prefer', PREFER()).responseType(ResponseType.ARRAYBUFFER).get()),
    );
    return Buffer.from(data);
  }

  private async notFoundAware<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if ((error as { status?: number } | null)?.status === 404) throw new NotFoundError();
      throw error;
    }
  }

  /**
   * Every mail folder with its box: well-known ones by name (display names are localized). Only a
   * 404 means the mailbox has no such folder; a throttled or failed lookup is asked again, and in
   * the end fails the step, never turning Deleted Items or Archive into a custom folder.
   */
  private async folderList(): Promise<{ folders: RemoteFolder[]; total: number }> {
    const wellKnown = [...Object.keys(BOX_BY_WELL_KNOWN), ...SKIPPED_WELL_KNOWN];
    const answers = await this.graph.batch(
      wellKnown.map((name) => ({ id: name, url: `/me/mailFolders/${name}?$select=id` })),
      'folder lookup',
    );
    const boxById = new Map<string, Box>();
    const skipped = new Set<string>();
    for (const name of wellKnown) {
      const answer = answers.get(name)!;
      if (answer.status === 404) continue; // a mailbox without that folder
      const folder = answer.body as { id?: string } | null | undefined;
      if (answer.status !== 200 || !folder?.id) throw graphPartError(answer, `folder lookup (${name})`);
      if (SKIPPED_WELL_KNOWN.includes(name)) skipped.add(folder.id);
      else boxById.set(folder.id, BOX_BY_WELL_KNOWN[name]);
    }
    const folders: RemoteFolder[] = [];
    let total = 0;
    const visit = async (url: string) => {
      let link: string | undefined = url;
      while (link) {
        const current: string = link;
        const page: { value?: GraphFolder[]; '@odata.nextLink'?: string } = await this.graph.call('folders', () => this.client.api(current).get());
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
    return applyOutlookChange((requests) => this.graph.batch(requests, 'change'), targets, change);
  }

}

function boxLookup(folders: RemoteFolder[]) {
  const byId = new Map(folders.map((f) => [f.id, f.box]));
  return (folderId: string) => byId.get(folderId) ?? null;
}
