/**
 * One Gmail mailbox: messages (raw bytes as stored), labels, threads and the history log. Every
 * change goes through here and writes a history record with a new, larger history id, as Gmail
 * does; the ids grow with gaps (Gmail's are not contiguous), and only the newest
 * `historyRetention` records are kept, so an old startHistoryId is answered 404.
 */
import { headerInfo, summarize, type HeaderInfo, type MailSummary } from '../shared/message-summary';
import { randomHex, randomInt, seededRandom, type Random } from '../shared/random';

export interface GmailMessage {
  /** 16 hex characters, like Gmail's; the leading digits follow internalDate. */
  id: string;
  threadId: string;
  labelIds: string[];
  raw: Buffer;
  /** Epoch ms. */
  internalDate: number;
  /** History id of the last change to this message. */
  historyId: number;
  info: HeaderInfo;
  summary?: MailSummary;
}

export interface GmailLabel {
  id: string;
  name: string;
  type: 'system' | 'user';
  messageListVisibility?: string;
  labelListVisibility?: string;
  color?: { textColor: string; backgroundColor: string };
}

export interface HistoryRecord {
  id: number;
  /** The message after the change (labels at that moment). */
  message: { id: string; threadId: string; labelIds: string[] };
  added?: boolean;
  deleted?: boolean;
  labelsAdded?: string[];
  labelsRemoved?: string[];
}

/** Gmail's system labels in labels.list order; visibility where Gmail sets it. */
const SYSTEM_LABELS: GmailLabel[] = [
  { id: 'CHAT', name: 'CHAT', type: 'system', messageListVisibility: 'hide', labelListVisibility: 'labelHide' },
  { id: 'SENT', name: 'SENT', type: 'system' },
  { id: 'INBOX', name: 'INBOX', type: 'system' },
  { id: 'IMPORTANT', name: 'IMPORTANT', type: 'system', messageListVisibility: 'hide', labelListVisibility: 'labelHide' },
  { id: 'TRASH', name: 'TRASH', type: 'system', messageListVisibility: 'hide', labelListVisibility: 'labelHide' },
  { id: 'DRAFT', name: 'DRAFT', type: 'system' },
  { id: 'SCHEDULED', name: 'SCHEDULED', type: 'system' },
  { id: 'SPAM', name: 'SPAM', type: 'system', messageListVisibility: 'hide', labelListVisibility: 'labelHide' },
  { id: 'CATEGORY_FORUMS', name: 'CATEGORY_FORUMS', type: 'system' },
  { id: 'CATEGORY_UPDATES', name: 'CATEGORY_UPDATES', type: 'system' },
  { id: 'CATEGORY_PERSONAL', name: 'CATEGORY_PERSONAL', type: 'system' },
  { id: 'CATEGORY_PROMOTIONS', name: 'CATEGORY_PROMOTIONS', type: 'system' },
  { id: 'CATEGORY_SOCIAL', name: 'CATEGORY_SOCIAL', type: 'system' },
  { id: 'STARRED', name: 'STARRED', type: 'system' },
  { id: 'UNREAD', name: 'UNREAD', type: 'system' },
];

export interface GmailMailboxOptions {
  seed?: string | number;
  /** History records kept (default: all). Older start ids are answered 404. */
  historyRetention?: number;
}

export class GmailMailbox {
  /** The mailbox's current history id (getProfile, history.list). */
  historyId = 1000;
  /** startHistoryId below this is answered 404 (records before it are gone). */
  historyFloor = 0;
  readonly messages = new Map<string, GmailMessage>();
  readonly labels = new Map<string, GmailLabel>(SYSTEM_LABELS.map((l) => [l.id, { ...l }]));
  readonly history: HistoryRecord[] = [];
  /** Draft id → message id. */
  readonly drafts = new Map<string, string>();
  /** Attachment ids handed out → where they point (Gmail issues a new one on every fetch). */
  readonly attachmentIds = new Map<string, { messageId: string; partId: string }>();
  readonly random: Random;
  private readonly retention: number;
  private readonly threadByMessageId = new Map<string, string>();
  private sortedCache?: GmailMessage[];
  private nextLabel = 1;

  constructor(
    readonly email: string,
    options: GmailMailboxOptions = {},
  ) {
    this.random = seededRandom(`${options.seed ?? 'emulator'}:gmail:${email}`);
    this.retention = options.historyRetention ?? Infinity;
  }

  /** Stores a message; it joins the thread of a stored message it replies to, else starts one. */
  add(raw: Buffer, options: { labelIds: string[]; internalDate?: number; threadId?: string }): GmailMessage {
    const info = headerInfo(raw);
    const internalDate = options.internalDate ?? info.date?.getTime() ?? Date.now();
    let id: string;
    do id = `${Math.max(0, internalDate).toString(16).padStart(11, '0').slice(-11)}${randomHex(this.random, 5)}`;
    while (this.messages.has(id));
    const threadId = this.threadFor(info, options.threadId) ?? id;
    if (info.messageId && !this.threadByMessageId.has(info.messageId)) this.threadByMessageId.set(info.messageId, threadId);
    const message: GmailMessage = { id, threadId, labelIds: unique(options.labelIds), raw, internalDate, historyId: 0, info };
    this.messages.set(id, message);
    this.sortedCache = undefined;
    this.record(message, { added: true });
    return message;
  }

  private threadFor(info: HeaderInfo, explicit?: string) {
    if (explicit && [...this.messages.values()].some((m) => m.threadId === explicit)) return explicit;
    for (const ref of [...info.references].reverse()) {
      const thread = this.threadByMessageId.get(ref);
      if (thread && this.threadExists(thread)) return thread;
    }
    return undefined;
  }

  private threadExists(threadId: string) {
    if (this.messages.has(threadId)) return true;
    for (const m of this.messages.values()) if (m.threadId === threadId) return true;
    return false;
  }

  /** Adds and removes labels; one history record for what actually changed (none when nothing did). */
  modify(message: GmailMessage, add: string[], remove: string[]) {
    const added = unique(add).filter((l) => !message.labelIds.includes(l) && !remove.includes(l));
    const removed = unique(remove).filter((l) => message.labelIds.includes(l));
    if (!added.length && !removed.length) return;
    message.labelIds = [...message.labelIds.filter((l) => !removed.includes(l)), ...added];
    this.record(message, { ...(added.length ? { labelsAdded: added } : {}), ...(removed.length ? { labelsRemoved: removed } : {}) });
  }

  delete(message: GmailMessage) {
    this.messages.delete(message.id);
    for (const [draftId, messageId] of this.drafts) if (messageId === message.id) this.drafts.delete(draftId);
    this.sortedCache = undefined;
    this.record(message, { deleted: true });
  }

  /** Newest first by internalDate (ties: larger id first), as messages.list answers. */
  sorted(): GmailMessage[] {
    this.sortedCache ??= [...this.messages.values()].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
    return this.sortedCache;
  }

  summaryOf(message: GmailMessage): MailSummary {
    return (message.summary ??= summarize(message.raw));
  }

  /** A label by id, or by name (case-insensitive). */
  label(idOrName: string): GmailLabel | undefined {
    const direct = this.labels.get(idOrName) || this.labels.get(idOrName.toUpperCase());
    if (direct && (direct.type === 'user' || direct.id === idOrName.toUpperCase())) return direct;
    const lower = idOrName.toLowerCase();
    return [...this.labels.values()].find((l) => l.name.toLowerCase() === lower);
  }

  createLabel(name: string, props: Partial<GmailLabel> = {}): GmailLabel {
    const label: GmailLabel = {
      id: `Label_${this.nextLabel++}`,
      name,
      type: 'user',
      messageListVisibility: props.messageListVisibility || 'show',
      labelListVisibility: props.labelListVisibility || 'labelShow',
      ...(props.color ? { color: props.color } : {}),
    };
    this.labels.set(label.id, label);
    return label;
  }

  /** Removes a user label from every message (each writes labelRemoved) and then the label. */
  deleteLabel(label: GmailLabel) {
    for (const message of this.messages.values()) if (message.labelIds.includes(label.id)) this.modify(message, [], [label.id]);
    this.labels.delete(label.id);
  }

  /** Records after `start`, oldest first. */
  historySince(start: number): HistoryRecord[] {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].id <= start) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  /** Forgets all history: any earlier startHistoryId is now answered 404. */
  expireHistory() {
    this.history.length = 0;
    this.historyFloor = this.historyId;
  }

  newDraftId() {
    let id: string;
    do id = `r${randomInt(this.random, 1, 9) > 5 ? '-' : ''}${String(randomInt(this.random, 1e9, 9e9))}${String(randomInt(this.random, 1e8, 9e8))}`;
    while (this.drafts.has(id));
    return id;
  }

  private record(message: GmailMessage, change: Omit<HistoryRecord, 'id' | 'message'>) {
    // Gmail history ids are increasing but not contiguous.
    this.historyId += randomInt(this.random, 1, 4);
    message.historyId = this.historyId;
    this.history.push({ id: this.historyId, message: { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] }, ...change });
    while (this.history.length > this.retention) this.historyFloor = this.history.shift()!.id;
  }
}

function unique(ids: string[]) {
  return [...new Set(ids)];
}
