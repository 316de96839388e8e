/**
 * One Exchange mailbox as Graph shows it: folders, messages (raw MIME as stored plus the flags
 * Graph keeps beside it) and the change log delta queries read. Every change gets a sequence
 * number; a message leaving a folder (move, delete) leaves a tombstone in that folder, which a
 * delta round reports as `@removed`. A message has two ids, as in Exchange: the REST id
 * (`AAMk…`, `AQMk…` for Outlook.com), which changes when the message moves, and the immutable id
 * (requested with `Prefer: IdType="ImmutableId"`), which never does.
 */
import crypto from 'node:crypto';
import { headerInfo, summarize, type HeaderInfo, type MailSummary } from '../shared/message-summary';
import { randomToken, seededRandom, type Random } from '../shared/random';
import { userTenant } from './tenants';

export interface MailFolder {
  id: string;
  displayName: string;
  /** Graph's well-known folder name (inbox, drafts, sentitems…), usable in place of the id; '' for user folders. */
  wellKnownName: string;
  parentFolderId: string;
  isHidden?: boolean;
}

export interface OutlookMessage {
  immutableId: string;
  /** Changes with every move. */
  restId: string;
  folderId: string;
  raw: Buffer;
  info: HeaderInfo;
  summary?: MailSummary;
  receivedDateTime: number;
  createdDateTime: number;
  lastModifiedDateTime: number;
  isRead: boolean;
  flagged: boolean;
  isDraft: boolean;
  categories: string[];
  conversationId: string;
  changeKey: string;
  /** Sequence number of the last change (delta). */
  seq: number;
}

export interface Tombstone {
  seq: number;
  folderId: string;
  restId: string;
  immutableId: string;
  /** 'deleted': gone for good; 'changed': moved to another folder. */
  reason: 'deleted' | 'changed';
}

/** What a delta round remembers (keyed by its $skiptoken / $deltatoken). */
export interface DeltaState {
  folderId: string;
  select: string[];
  /** receivedDateTime lower bound of the first call's $filter (ms), kept for later rounds. */
  since?: number;
  /** Changes up to this sequence number are covered by the round. */
  syncSeq: number;
  /** Remaining items of the round being paged (skip tokens only). */
  items?: { immutableId?: string; tombstone?: Tombstone }[];
  offset?: number;
  pageSize?: number;
}

const WELL_KNOWN: [string, string, string?][] = [
  ['inbox', 'Inbox'],
  ['drafts', 'Drafts'],
  ['sentitems', 'Sent Items'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['archive', 'Archive'],
  ['outbox', 'Outbox'],
  ['conversationhistory', 'Conversation History'],
  ['syncissues', 'Sync Issues'],
  ['conflicts', 'Conflicts', 'syncissues'],
  ['localfailures', 'Local Failures', 'syncissues'],
  ['serverfailures', 'Server Failures', 'syncissues'],
  ['recoverableitemsdeletions', 'Deletions', 'hidden'],
];

/** An Exchange-style id ("AAMk…", "AQMk…" for Outlook.com accounts), stable for the same user and seed. */
export function exchangeId(email: string, seed: string) {
  const digest = crypto.createHash('sha256').update(`${email}:${seed}`).digest('base64url');
  return `${userTenant(email).consumer ? 'AQMkADAwATM0MDAAMS0' : 'AAMkAG'}${digest}AAA=`;
}

export class OutlookMailbox {
  readonly rootId: string;
  readonly folders: MailFolder[] = [];
  /** By immutable id. */
  readonly messages = new Map<string, OutlookMessage>();
  readonly tombstones: Tombstone[] = [];
  readonly deltaTokens = new Map<string, DeltaState>();
  readonly random: Random;
  seq = 0;
  /**
   * Every delta request answers 410 SyncStateNotFound, a fresh listing too: a mailbox whose sync
   * state Exchange cannot keep (`rejectSyncState`). The client must not restart for ever.
   */
  rejectsSyncState = false;
  private readonly byRestId = new Map<string, string>();
  private readonly conversationOf = new Map<string, string>();
  private readonly restPrefix: string;

  constructor(
    readonly email: string,
    options: { seed?: string | number } = {},
  ) {
    this.random = seededRandom(`${options.seed ?? 'emulator'}:outlook:${email}`);
    this.restPrefix = userTenant(email).consumer ? 'AQMkADAwATM0MDAAMS0' : 'AAMkAG';
    this.rootId = exchangeId(email, 'msgfolderroot');
    for (const [wellKnownName, displayName, parent] of WELL_KNOWN) {
      const parentFolderId = parent && parent !== 'hidden' ? exchangeId(email, parent) : this.rootId;
      this.folders.push({ id: exchangeId(email, wellKnownName), displayName, wellKnownName, parentFolderId, ...(parent === 'hidden' ? { isHidden: true } : {}) });
    }
  }

  /** A folder by id or well-known name (case-insensitive); 'msgfolderroot' is the root. */
  folder(idOrName: string): MailFolder | undefined {
    const key = idOrName.toLowerCase();
    if (key === 'msgfolderroot' || idOrName === this.rootId) return { id: this.rootId, displayName: 'Top of Information Store', wellKnownName: 'msgfolderroot', parentFolderId: '' };
    return this.folders.find((f) => f.id === idOrName || (f.wellKnownName && f.wellKnownName === key));
  }

  createFolder(displayName: string, parentFolderId = this.rootId): MailFolder {
    const folder: MailFolder = { id: `${this.restPrefix}${randomToken(this.random, 100)}AAA=`, displayName, wellKnownName: '', parentFolderId };
    this.folders.push(folder);
    return folder;
  }

  add(raw: Buffer, options: { folderId: string; isRead?: boolean; flagged?: boolean; isDraft?: boolean; received?: number; conversationId?: string }): OutlookMessage {
    const info = headerInfo(raw);
    const now = Date.now();
    const received = options.received ?? info.date?.getTime() ?? now;
    const conversationId = options.conversationId ?? this.conversationFor(info);
    const message: OutlookMessage = {
      immutableId: `AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A${randomToken(this.random, 60)}AAA=`,
      restId: '',
      folderId: options.folderId,
      raw,
      info,
      receivedDateTime: received,
      createdDateTime: Math.min(received, now),
      lastModifiedDateTime: now,
      isRead: options.isRead ?? false,
      flagged: options.flagged ?? false,
      isDraft: options.isDraft ?? false,
      categories: [],
      conversationId,
      changeKey: '',
      seq: 0,
    };
    if (info.messageId && !this.conversationOf.has(info.messageId)) this.conversationOf.set(info.messageId, conversationId);
    this.messages.set(message.immutableId, message);
    this.assignRestId(message);
    this.touch(message);
    return message;
  }

  /** Same conversation as a stored message it refers to, else a new one. */
  private conversationFor(info: HeaderInfo) {
    for (const ref of [...info.references].reverse()) {
      const found = this.conversationOf.get(ref);
      if (found) return found;
    }
    return `AAQkAG${crypto.createHash('sha256').update(`${this.email}:${info.messageId || randomToken(this.random, 16)}`).digest('base64url').slice(0, 44)}=`;
  }

  /** By REST id (current only: an id from before a move is gone) or immutable id. */
  find(id: string): OutlookMessage | undefined {
    return this.messages.get(id) ?? this.messages.get(this.byRestId.get(id) || '');
  }

  update(message: OutlookMessage, change: { isRead?: boolean; flagged?: boolean; categories?: string[]; raw?: Buffer; isDraft?: boolean }) {
    if (change.isRead !== undefined) message.isRead = change.isRead;
    if (change.flagged !== undefined) message.flagged = change.flagged;
    if (change.categories !== undefined) message.categories = [...change.categories];
    if (change.isDraft !== undefined) message.isDraft = change.isDraft;
    if (change.raw) {
      message.raw = change.raw;
      message.info = headerInfo(change.raw);
      message.summary = undefined;
    }
    this.touch(message);
  }

  move(message: OutlookMessage, folderId: string) {
    if (message.folderId === folderId) return;
    this.tombstone(message, 'changed');
    message.folderId = folderId;
    this.assignRestId(message);
    this.touch(message);
  }

  delete(message: OutlookMessage) {
    this.tombstone(message, 'deleted');
    this.messages.delete(message.immutableId);
    this.byRestId.delete(message.restId);
  }

  messagesIn(folderId: string): OutlookMessage[] {
    return [...this.messages.values()].filter((m) => m.folderId === folderId).sort((a, b) => b.receivedDateTime - a.receivedDateTime);
  }

  summaryOf(message: OutlookMessage): MailSummary {
    return (message.summary ??= summarize(message.raw));
  }

  /** Every delta and skip token stops working (410 SyncStateNotFound). */
  expireDeltaTokens() {
    this.deltaTokens.clear();
  }

  newToken() {
    return `${randomToken(this.random, 8)}${randomToken(this.random, 120)}`;
  }

  private assignRestId(message: OutlookMessage) {
    this.byRestId.delete(message.restId);
    message.restId = `${this.restPrefix}${randomToken(this.random, 110)}AAA=`;
    this.byRestId.set(message.restId, message.immutableId);
  }

  private tombstone(message: OutlookMessage, reason: Tombstone['reason']) {
    this.seq += 1;
    this.tombstones.push({ seq: this.seq, folderId: message.folderId, restId: message.restId, immutableId: message.immutableId, reason });
  }

  private touch(message: OutlookMessage) {
    this.seq += 1;
    message.seq = this.seq;
    message.lastModifiedDateTime = Date.now();
    message.changeKey = `CQAAABYAAAA${randomToken(this.random, 24)}`;
  }
}
