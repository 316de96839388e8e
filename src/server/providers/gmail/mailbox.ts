/**
 * One Gmail mailbox on one set of tokens (a MailboxSession): its labels, its change feed, whole
 * messages and attachments, mail-center changes (modify.ts) and sending (send.ts), all inside
 * the per-mailbox quota.
 *
 * The change feed (DESIGN §5): a full listing with `messages.list` (ids only, 500 a page),
 * then `history.list` from the history id taken *before* the listing started, so nothing that
 * changes during a long first import is missed. Messages are fetched as raw MIME through the
 * batch endpoint, 50 at a time, inside the per-mailbox quota.
 */
import type { GaxiosResponse } from 'gaxios';
import type { gmail_v1 } from 'googleapis';
import { settleBatch, type PartAnswer } from '../batch-parts';
import { isTemporary, perMailbox, SlidingWindow, withRetry } from '../rate-limits';
import { parseMimeOffThread } from '../../mime/parse-thread';
import type { ChangeBatch, ChangeTarget, Mailbox, MailboxSession, MessageChange, MessageState, RemoteFolder, SyncCursor } from '../types';
import { NotFoundError } from '../types';
import { GmailOutgoing } from './send';
import { BatchPartRequest, buildBatchBody } from './batch';
import { readBatchAnswer } from './batch-thread';
import { gmailPartError, headerOf, isTemporaryGmailPart, mapGoogleError, mapHistoryError } from './errors';
import { fromRawResource, stateOf, toFolder } from './mapping';
import { applyGmailChange } from './modify';

/** Gmail's per-user quota (units per minute) and what each call costs (Gmail API usage limits). */
export const GMAIL_QUOTA = {
  unitsPerMinute: () => Number(process.env.EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE) || 15_000,
  /** Stay this far under the limit: our clock and Google's do not tick together. */
  safety: 0.97,
  cost: {
    list: 5, get: 5, history: 2, labels: 1, profile: 1, batchModify: 50, trash: 5, untrash: 5, batchDelete: 50,
    send: 100, draftCreate: 10, draftUpdate: 15, draftDelete: 10, draftList: 5,
  },
};
/** Ids per listing page (Gmail's maximum). */
export const LIST_PAGE_SIZE = 500;
/** Requests per batch: Gmail accepts 100 but answers large batches with more 429s; 50 is its advice. */
export const FETCH_BATCH_SIZE = 50;
/** History records per page (maximum 500). */
export const HISTORY_PAGE_SIZE = 500;
/** Chats are not mail. */
const LIST_QUERY_EXTRA = '-in:chats';

export interface GmailCursor extends SyncCursor {
  historyId?: string;
  pageToken?: string;
}

const quotaOf = perMailbox(() => new SlidingWindow(Math.floor(GMAIL_QUOTA.unitsPerMinute() * GMAIL_QUOTA.safety), 61_000));

export interface GmailClients {
  api: gmail_v1.Gmail;
  /** Sends an authorised request (for the batch endpoint), refreshing the token when needed. */
  request<T>(options: { url: string; method: string; headers: Record<string, string>; data: string; responseType: 'arraybuffer' }): Promise<GaxiosResponse<T>>;
  batchUrl: string;
  countCall(): void;
}

export class GmailMailbox implements MailboxSession {
  private readonly quota: SlidingWindow;
  /** Sending and drafts (see send.ts), inside the same quota. */
  readonly outgoing: GmailOutgoing;

  constructor(
    private readonly clients: GmailClients,
    mailbox: Mailbox,
  ) {
    this.quota = quotaOf(mailbox.address.toLowerCase());
    this.outgoing = new GmailOutgoing(this.clients.api, (cost, what, run, retryable) => this.call(cost, what, run, retryable));
  }

  async listFolders(): Promise<RemoteFolder[]> {
    const { data } = await this.call('labels', 'labels', () => this.clients.api.users.labels.list({ userId: 'me' }));
    return (data.labels || []).map(toFolder).filter((f): f is RemoteFolder => Boolean(f));
  }

  async nextChanges(cursor: SyncCursor | null, since: Date): Promise<ChangeBatch> {
    const gmailCursor = cursor as GmailCursor | null;
    if (!gmailCursor || gmailCursor.phase === 'full') return this.nextListingPage(gmailCursor, since);
    return this.nextHistoryPage(gmailCursor);
  }

  private async nextListingPage(cursor: GmailCursor | null, since: Date): Promise<ChangeBatch> {
    const historyId = cursor?.historyId ?? (await this.currentHistoryId());
    const { data } = await this.call('list', 'listing', () =>
      this.clients.api.users.messages.list({
        userId: 'me',
        q: `after:${Math.floor(since.getTime() / 1000)} ${LIST_QUERY_EXTRA}`,
        includeSpamTrash: true,
        maxResults: LIST_PAGE_SIZE,
        pageToken: cursor?.pageToken,
      }),
    );
    // An empty page has no `messages` key at all.
    const ids = (data.messages || []).map((m) => m.id!).filter(Boolean);
    const last = !data.nextPageToken;
    return {
      ...empty(),
      fetch: ids,
      seen: ids,
      sweep: last,
      done: last,
      estimatedTotal: data.resultSizeEstimate ?? undefined,
      cursor: last ? { phase: 'incremental', historyId } : { phase: 'full', historyId, pageToken: data.nextPageToken! },
    };
  }

  private async nextHistoryPage(cursor: GmailCursor): Promise<ChangeBatch> {
    const { data } = await this.call('history', 'history', () =>
      this.clients.api.users.history.list({
        userId: 'me',
        startHistoryId: cursor.historyId,
        historyTypes: ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'],
        maxResults: HISTORY_PAGE_SIZE,
        pageToken: cursor.pageToken,
      }),
    );
    // Replay the records in order: the last thing that happened to a message wins.
    const added = new Set<string>();
    const deleted = new Set<string>();
    const states = new Map<string, MessageState>();
    for (const record of data.history || []) {
      for (const { message } of record.messagesAdded || []) {
        if (!message?.id) continue;
        deleted.delete(message.id);
        added.add(message.id);
      }
      for (const { message } of record.messagesDeleted || []) {
        if (!message?.id) continue;
        added.delete(message.id);
        states.delete(message.id);
        deleted.add(message.id);
      }
      for (const change of [...(record.labelsAdded || []), ...(record.labelsRemoved || [])]) {
        const message = change.message;
        // The record carries the message's labels after the change.
        if (message?.id && !deleted.has(message.id)) states.set(message.id, stateOf(message.id, message.threadId, message.labelIds));
      }
    }
    const last = !data.nextPageToken;
    const next: GmailCursor = last
      ? { phase: 'incremental', historyId: data.historyId || cursor.historyId }
      : { phase: 'incremental', historyId: cursor.historyId, pageToken: data.nextPageToken! };
    return { ...empty(), fetch: [...added], states: [...states.values()], deleted: [...deleted], cursor: next, done: last };
  }

  /** Whole messages, raw MIME, through the batch endpoint; throttled parts are sent again, 404 parts are missing. */
  async fetchMessages(ids: string[]) {
    const { found, missing } = await this.fetchInBatches(ids, 'raw', fromRawResource);
    return { messages: found, missing };
  }

  /** Labels of stored messages (format=minimal): what a reconcile needs to repair lost flag changes. */
  async fetchStates(ids: string[]) {
    const { found, missing } = await this.fetchInBatches(ids, 'minimal', async (r) => stateOf(r.id!, r.threadId, r.labelIds));
    return { states: found, missing };
  }

  /**
   * Batches of FETCH_BATCH_SIZE; in each, parts answered 429, 403 rate limit or 5xx (or left out)
   * are sent again after their own Retry-After, a bounded number of times (batch-parts.ts). Only
   * a 404 makes a message missing; any other refusal fails the step.
   */
  private async fetchInBatches<T, R = gmail_v1.Schema$Message>(ids: string[], format: 'raw' | 'minimal', read: (resource: R) => Promise<T>) {
    const found: T[] = [];
    const missing: string[] = [];
    const what = format === 'raw' ? 'message fetch' : 'label fetch';
    for (let i = 0; i < ids.length; i += FETCH_BATCH_SIZE) {
      const chunk = ids.slice(i, i + FETCH_BATCH_SIZE);
      const answers = await settleBatch({
        requests: chunk.map((id) => ({ id, path: `/gmail/v1/users/me/messages/${encodeURIComponent(id)}?format=${format}` })),
        send: (parts) => this.sendBatch(parts),
        temporary: isTemporaryGmailPart,
        onThrottle: (ms) => this.quota.pauseFor(ms),
        what: `Gmail ${what}`,
      });
      for (const id of chunk) {
        const answer = answers.get(id)!;
        if (answer.status === 200) found.push(await read(answer.body as R));
        else if (answer.status === 404) missing.push(id);
        else throw gmailPartError(answer, what);
      }
    }
    return { found, missing };
  }

  /** One batch request inside the quota (each part costs what its method costs); the transport is retried. */
  private sendBatch(parts: BatchPartRequest[]): Promise<Map<string, PartAnswer>> {
    return withRetry(async () => {
      await this.quota.take(GMAIL_QUOTA.cost.get * parts.length);
      const { boundary, body } = buildBatchBody(parts);
      this.clients.countCall();
      let response: GaxiosResponse<ArrayBuffer>;
      try {
        // Bytes, not text: a large answer is decoded in the worker thread (batch-thread.ts).
        response = await this.clients.request<ArrayBuffer>({
          url: this.clients.batchUrl,
          method: 'POST',
          headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
          data: body,
          responseType: 'arraybuffer',
        });
      } catch (error) {
        throw mapGoogleError(error, 'batch fetch');
      }
      const answers = await readBatchAnswer(headerOf(response.headers, 'content-type') || '', response.data);
      return new Map(answers.map((a) => [a.id, { status: a.status, headers: a.headers, body: a.body }]));
    }, (ms) => this.quota.pauseFor(ms));
  }

  /** Gmail's attachments come with the message at import: this reads them from its MIME again. */
  async listAttachments(providerMessageId: string) {
    const parsed = await this.parsedMessage(providerMessageId);
    return parsed.attachments.map(({ content, ...a }, index) => ({ ...a, providerAttachmentId: String(index) }));
  }

  async fetchAttachment(providerMessageId: string, providerAttachmentId: string) {
    const parsed = await this.parsedMessage(providerMessageId);
    const part = parsed.attachments[Number(providerAttachmentId)];
    if (!part) throw new NotFoundError('This attachment no longer exists');
    return Buffer.from(part.content);
  }

  /** A message's raw MIME, parsed; attachments are addressed by their index in it. */
  private async parsedMessage(id: string) {
    try {
      const { data } = await this.call('get', 'message', () => this.clients.api.users.messages.get({ userId: 'me', id, format: 'raw' }));
      return parseMimeOffThread(Buffer.from(data.raw || '', 'base64url'));
    } catch (error) {
      if ((error as { status?: number } | null)?.status === 404) throw new NotFoundError();
      throw error;
    }
  }

  private async currentHistoryId() {
    const { data } = await this.call('profile', 'profile', () => this.clients.api.users.getProfile({ userId: 'me' }));
    return data.historyId!;
  }

  /** Applies a mail-center change (see modify.ts). */
  modify(targets: ChangeTarget[], change: MessageChange) {
    return applyGmailChange(this.clients.api, (cost, what, run) => this.call(cost, what, run), targets, change);
  }

  /** One API call inside the quota, with retries; errors mapped to the plugin's kinds. */
  private call<T>(cost: keyof typeof GMAIL_QUOTA.cost, what: string, run: () => Promise<T>, retryable = isTemporary): Promise<T> {
    return withRetry(async () => {
      await this.quota.take(GMAIL_QUOTA.cost[cost]);
      this.clients.countCall();
      try {
        return await run();
      } catch (error) {
        throw what === 'history' ? mapHistoryError(error) : mapGoogleError(error, what);
      }
    }, (ms) => this.quota.pauseFor(ms), retryable);
  }
}

function empty(): Omit<ChangeBatch, 'cursor'> {
  return { messages: [], fetch: [], states: [], deleted: [], seen: [], sweep: false, done: false };
}
