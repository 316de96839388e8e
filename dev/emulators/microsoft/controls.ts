/**
 * What tests, benches and `npm start` do to an Outlook mailbox directly (as the user or the
 * world would, not through Graph): seed and generate mail, add, delete, (un)read, flag and move
 * messages, create folders, expire delta tokens — each recorded for delta queries exactly as the
 * real service would — and read the whole mailbox back to compare with what the app stored.
 */
import { generateMessages, type GenerateOptions } from '../shared/generator';
import type { Usage } from '../shared/limits';
import { inFlightOf } from './api';
import { seedMessages, type Box, type SeedInput, type SeedMessage } from '../shared/seed';
import type { MailFolder, OutlookMailbox, OutlookMessage } from './mailbox';
import type { MicrosoftState } from './state';

export interface OutlookAddInput {
  raw: Buffer | string;
  /** Well-known name, display name or id; default 'inbox'. */
  folder?: string;
  read?: boolean;
  /** Flagged. */
  starred?: boolean;
  /** receivedDateTime; default the Date header, else now. */
  date?: Date;
}

export interface OutlookMessageState {
  /** The REST id (changes when the message moves). */
  id: string;
  immutableId: string;
  conversationId: string;
  /** Well-known name of the folder, or its display name for user folders. */
  folder: string;
  folderId: string;
  read: boolean;
  starred: boolean;
  isDraft: boolean;
  messageId?: string;
  receivedDateTime: number;
}

const BOX_FOLDERS: Record<Box, string> = { inbox: 'inbox', sent: 'sentitems', archive: 'archive', spam: 'junkemail', trash: 'deleteditems', drafts: 'drafts' };

export interface OutlookControls {
  /** Stores .eml bytes or files as they are; returns the new REST ids in input order. */
  seed(email: string, input: SeedInput): string[];
  generateMailbox(email: string, options: GenerateOptions): Promise<string[]>;
  /** Returns the REST id. */
  addMessage(email: string, input: OutlookAddInput): string;
  /** By REST or immutable id. */
  deleteMessage(email: string, id: string): boolean;
  setRead(email: string, id: string, read: boolean): void;
  setStarred(email: string, id: string, starred: boolean): void;
  /** Returns the message's new REST id. */
  moveMessage(email: string, id: string, folder: string): string;
  /** A user folder (under `parent`, default the top level); returns its id. */
  createFolder(email: string, displayName: string, parent?: string): string;
  /** Every delta and skip token of the mailbox answers 410 SyncStateNotFound from now on. */
  expireDeltaTokens(email: string): void;
  /** While on, every delta request of the mailbox, a fresh listing too, answers 410 SyncStateNotFound. */
  rejectSyncState(email: string, reject?: boolean): void;
  /**
   * Other clients of the mailbox (Outlook, phones, other apps) keep `requests` of its concurrent
   * requests in flight until the returned function is called: the plugin's requests and batch
   * parts above the limit then get 429 MailboxConcurrency. Needs limits on (quotaScale > 0).
   */
  occupyConcurrency(email: string, requests: number): () => void;
  mailboxOf(email: string): OutlookMessageState[];
  usage(email: string): Usage;
  resetUsage(email?: string): void;
  /** Empties the 10-minute request window (of one mailbox, or all). */
  resetQuota(email?: string): void;
}

export function outlookControls(state: MicrosoftState): OutlookControls {
  const mailboxOf = (email: string): OutlookMailbox => {
    const user = state.directory.user(email);
    if (!user?.mailbox) throw new Error(`No Outlook mailbox for ${email}`);
    return user.mailbox;
  };
  const messageOf = (email: string, id: string): OutlookMessage => {
    const message = mailboxOf(email).find(id);
    if (!message) throw new Error(`No message ${id} in ${email}`);
    return message;
  };
  const folderOf = (mailbox: OutlookMailbox, name: string): MailFolder => {
    const folder = mailbox.folder(name) ?? mailbox.folders.find((f) => f.displayName.toLowerCase() === name.toLowerCase()) ?? mailbox.createFolder(name);
    return folder;
  };
  const store = (mailbox: OutlookMailbox, input: SeedMessage) => {
    const folder = folderOf(mailbox, input.folder ?? (input.box ? BOX_FOLDERS[input.box] : 'inbox'));
    const outgoing = folder.wellKnownName === 'sentitems' || folder.wellKnownName === 'drafts';
    return mailbox.add(input.raw, {
      folderId: folder.id,
      isRead: input.read ?? outgoing,
      flagged: input.starred,
      isDraft: folder.wellKnownName === 'drafts',
      received: input.date?.getTime(),
    }).restId;
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
      const message = mailboxOf(email).find(id);
      if (message) mailboxOf(email).delete(message);
      return Boolean(message);
    },
    setRead: (email, id, read) => mailboxOf(email).update(messageOf(email, id), { isRead: read }),
    setStarred: (email, id, starred) => mailboxOf(email).update(messageOf(email, id), { flagged: starred }),
    moveMessage: (email, id, folder) => {
      const mailbox = mailboxOf(email);
      const message = messageOf(email, id);
      mailbox.move(message, folderOf(mailbox, folder).id);
      return message.restId;
    },
    createFolder: (email, displayName, parent) => {
      const mailbox = mailboxOf(email);
      return mailbox.createFolder(displayName, parent ? folderOf(mailbox, parent).id : mailbox.rootId).id;
    },
    expireDeltaTokens: (email) => mailboxOf(email).expireDeltaTokens(),
    rejectSyncState: (email, reject = true) => {
      mailboxOf(email).rejectsSyncState = reject;
    },
    occupyConcurrency: (email, requests) => {
      mailboxOf(email);
      const flight = inFlightOf(state, email);
      let held = 0;
      while (held < requests && flight.enter(false)) held += 1;
      return () => {
        for (; held > 0; held -= 1) flight.leave();
      };
    },
    mailboxOf: (email) => {
      const mailbox = mailboxOf(email);
      return [...mailbox.messages.values()]
        .sort((a, b) => b.receivedDateTime - a.receivedDateTime)
        .map((m) => {
          const folder = mailbox.folder(m.folderId);
          return {
            id: m.restId,
            immutableId: m.immutableId,
            conversationId: m.conversationId,
            folder: folder?.wellKnownName || folder?.displayName || m.folderId,
            folderId: m.folderId,
            read: m.isRead,
            starred: m.flagged,
            isDraft: m.isDraft,
            messageId: m.info.messageId,
            receivedDateTime: m.receivedDateTime,
          };
        });
    },
    usage: (email) => state.usage.snapshot(email),
    resetUsage: (email) => state.usage.reset(email),
    resetQuota: (email) => {
      if (email) state.windows.get(email.toLowerCase())?.reset();
      else for (const window of state.windows.values()) window.reset();
    },
  };
}
