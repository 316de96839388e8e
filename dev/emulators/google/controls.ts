/**
 * What tests, benches and `npm start` do to a Gmail mailbox directly (as the user or the world
 * would, not through the API): seed and generate mail, add, delete, (un)read, star and label
 * messages, expire history — each writing history exactly as the real service would — and read
 * the whole mailbox back to compare with what the app stored.
 */
import { generateMessages, type GenerateOptions } from '../shared/generator';
import type { Usage } from '../shared/limits';
import { seedMessages, type Box, type SeedInput, type SeedMessage } from '../shared/seed';
import type { GmailMailbox, GmailMessage } from './mailbox';
import type { GoogleState } from './state';

export interface GmailAddInput {
  raw: Buffer | string;
  /** Label ids or user label names (created when missing). Default INBOX. */
  labelIds?: string[];
  /** Default false (UNREAD), except for SENT and DRAFT messages. */
  read?: boolean;
  starred?: boolean;
  /** internalDate; default the Date header, else now. */
  date?: Date;
  threadId?: string;
}

export interface GmailMessageState {
  id: string;
  threadId: string;
  labelIds: string[];
  read: boolean;
  starred: boolean;
  /** The Message-ID header (with angle brackets), if any. */
  messageId?: string;
  internalDate: number;
}

const BOX_LABELS: Record<Box, string[]> = {
  inbox: ['INBOX', 'CATEGORY_PERSONAL'],
  sent: ['SENT'],
  archive: ['CATEGORY_PERSONAL'],
  spam: ['SPAM'],
  trash: ['TRASH'],
  drafts: ['DRAFT'],
};

export interface GmailControls {
  /** Stores .eml bytes or files as they are; returns the new message ids in input order. */
  seed(email: string, input: SeedInput): string[];
  /** Generates `count` realistic messages (see shared/generator.ts) and stores them; returns their ids. */
  generateMailbox(email: string, options: GenerateOptions): Promise<string[]>;
  addMessage(email: string, input: GmailAddInput): string;
  deleteMessage(email: string, id: string): boolean;
  setRead(email: string, id: string, read: boolean): void;
  setStarred(email: string, id: string, starred: boolean): void;
  /** Sets the exact label list (ids or user label names); history records what was added and removed. */
  setLabels(email: string, id: string, labelIds: string[]): void;
  createLabel(email: string, name: string): string;
  /** Forgets the history: any earlier startHistoryId is answered 404 from now on. */
  expireHistory(email: string): void;
  /** Every message, newest first, with what a sync must reproduce. */
  mailboxOf(email: string): GmailMessageState[];
  usage(email: string): Usage;
  /** Clears the usage counters (of one user, or all). */
  resetUsage(email?: string): void;
  /** Empties the quota window (of one user, or all): the next request is not throttled. */
  resetQuota(email?: string): void;
}

export function gmailControls(state: GoogleState): GmailControls {
  const mailboxOf = (email: string): GmailMailbox => {
    const user = state.directory.user(email);
    if (!user?.mailbox) throw new Error(`No Gmail mailbox for ${email}`);
    return user.mailbox;
  };
  const messageOf = (email: string, id: string): GmailMessage => {
    const message = mailboxOf(email).messages.get(id);
    if (!message) throw new Error(`No message ${id} in ${email}`);
    return message;
  };
  const labelIds = (mailbox: GmailMailbox, names: string[]) => names.map((n) => (mailbox.label(n) ?? mailbox.createLabel(n)).id);
  const store = (mailbox: GmailMailbox, input: SeedMessage & { threadId?: string }) => {
    let labels = labelIds(mailbox, input.labelIds ?? (input.box ? BOX_LABELS[input.box] : ['INBOX']));
    const readByDefault = labels.includes('SENT') || labels.includes('DRAFT');
    if (input.read ?? readByDefault) labels = labels.filter((l) => l !== 'UNREAD');
    else if (!labels.includes('UNREAD')) labels.push('UNREAD');
    if (input.starred && !labels.includes('STARRED')) labels.push('STARRED');
    return mailbox.add(input.raw, { labelIds: labels, internalDate: input.date?.getTime(), threadId: input.threadId }).id;
  };
  return {
    seed: (email, input) => {
      const mailbox = mailboxOf(email);
      return seedMessages(input).map((m) => store(mailbox, m));
    },
    generateMailbox: async (email, options) => {
      const mailbox = mailboxOf(email);
      const user = state.directory.user(email)!;
      const messages = await generateMessages({ name: user.displayName, address: user.email }, { seed: state.options.seed, ...options });
      return messages.map((m) => store(mailbox, m));
    },
    addMessage: (email, input) => store(mailboxOf(email), { ...input, raw: Buffer.from(input.raw) }),
    deleteMessage: (email, id) => {
      const message = mailboxOf(email).messages.get(id);
      if (message) mailboxOf(email).delete(message);
      return Boolean(message);
    },
    setRead: (email, id, read) => (read ? mailboxOf(email).modify(messageOf(email, id), [], ['UNREAD']) : mailboxOf(email).modify(messageOf(email, id), ['UNREAD'], [])),
    setStarred: (email, id, starred) => (starred ? mailboxOf(email).modify(messageOf(email, id), ['STARRED'], []) : mailboxOf(email).modify(messageOf(email, id), [], ['STARRED'])),
    setLabels: (email, id, names) => {
      const mailbox = mailboxOf(email);
      const message = messageOf(email, id);
      const wanted = labelIds(mailbox, names);
      mailbox.modify(message, wanted, message.labelIds.filter((l) => !wanted.includes(l)));
    },
    createLabel: (email, name) => mailboxOf(email).createLabel(name).id,
    expireHistory: (email) => mailboxOf(email).expireHistory(),
    mailboxOf: (email) =>
      mailboxOf(email)
        .sorted()
        .map((m) => ({
          id: m.id,
          threadId: m.threadId,
          labelIds: [...m.labelIds],
          read: !m.labelIds.includes('UNREAD'),
          starred: m.labelIds.includes('STARRED'),
          messageId: m.info.messageId,
          internalDate: m.internalDate,
        })),
    usage: (email) => state.usage.snapshot(email),
    resetUsage: (email) => state.usage.reset(email),
    resetQuota: (email) => {
      if (email) state.quotas.get(email.toLowerCase())?.reset();
      else for (const window of state.quotas.values()) window.reset();
    },
  };
}
