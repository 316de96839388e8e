import type { ParsedMessage } from '../mime/parse';
import type { MailboxOutgoing } from './outgoing-types';

/**
 * The seam between the plugin and a mail provider (DESIGN §2). Everything Gmail- or
 * Outlook-specific lives behind it, in providers/<name>; sync, messages and send see only these
 * types.
 */
export type { ProviderName, ProviderCapabilities } from '../../shared/accounts-api';
import type { ProviderName } from '../../shared/accounts-api';

/** The boxes of S-SYNC-4; null for a message only in a custom label or user folder. */
/** `scheduled`: mail the user scheduled in the provider's own client (Gmail); read-only here (S-SCHED-2). */
export type Box = 'inbox' | 'sent' | 'drafts' | 'spam' | 'trash' | 'archive' | 'scheduled';

/** A provider folder (Outlook) or label (Gmail), for the sidebar and for mapping. */
export interface RemoteFolder {
  id: string;
  name: string;
  /** The box it is, for system folders/labels; null for the user's own. */
  box: Box | null;
  /** Made by the user (custom label / folder), shown under the account in the sidebar. */
  custom: boolean;
}

export interface RemoteAttachment {
  /** How to fetch the content later: Gmail part index, Graph attachment id. */
  providerAttachmentId: string;
  filename: string;
  mimeType: string;
  size: number;
  contentId?: string;
  inline: boolean;
}

/** Where a message is and how it is flagged: everything a change feed can alter. */
export interface MessageState {
  providerMessageId: string;
  threadId: string | null;
  /** Gmail label ids, or the Outlook folder id. */
  folderIds: string[];
  box: Box | null;
  read: boolean;
  starred: boolean;
  draft: boolean;
}

/** A message as the sync stores it (S-SYNC-5): the parsed fields, where it is, attachment metadata without content. */
export interface RemoteMessage extends MessageState, Omit<ParsedMessage, 'date' | 'attachments' | 'parseError'> {
  /** When the provider received it (what the mailbox sorts by). */
  date: Date;
  size: number | null;
  hasAttachments: boolean;
  /** Null when the provider lists attachments only on request (Outlook); fetched on first open. */
  attachments: RemoteAttachment[] | null;
}

/** Where the change feed stands; provider-specific JSON, persisted after every committed batch. */
export type SyncCursor = { phase: 'full' | 'incremental'; [key: string]: unknown };

/**
 * One step of the change feed. The engine writes all of it in one transaction together with
 * `cursor`, so a crash resumes after the last committed step and never skips one.
 */
export interface ChangeBatch {
  /** Complete messages to upsert (Outlook delta pages carry them). */
  messages: RemoteMessage[];
  /** Ids to fetch unless already stored (Gmail lists ids only). */
  fetch: string[];
  /** New state of messages; unknown ids are fetched. */
  states: MessageState[];
  /** Messages gone from the mailbox (deleted, or moved out of reach). */
  deleted: string[];
  /** During a full listing: ids seen, so the final sweep can remove what is gone. */
  seen: string[];
  cursor: SyncCursor;
  /** The full listing finished with this step: remove stored messages not seen in it. */
  sweep: boolean;
  /** No more steps in this run. */
  done: boolean;
  /** Estimated number of messages in the listing, for the progress of a first import. */
  estimatedTotal?: number;
  /**
   * Ids among `messages` the provider lists again under new ids (IMAP: a folder whose
   * UIDVALIDITY changed): mail stored before, not new mail (workflows are not told of it).
   */
  relisted?: string[];
}

/**
 * What a run looks at. By default the whole mailbox; `folders` (RemoteFolder ids) narrows an
 * incremental round to those folders, for a push that knows where the change is (IMAP IDLE on
 * the Inbox). A narrowed round can miss changes elsewhere, so the scheduler's full rounds go on.
 */
export interface ChangeScope {
  folders?: string[];
}

/** A change the user makes to mail in the mail center (S-CENTER-7), applied at the provider. */
export type MessageChange =
  | { kind: 'read'; read: boolean }
  | { kind: 'starred'; starred: boolean }
  | { kind: 'archive' }
  | { kind: 'trash' }
  /** Back from Trash, Archive or Spam: to the Inbox, or to Sent for the user's own mail. */
  | { kind: 'restore' }
  /** Permanently; only mail already in Trash. */
  | { kind: 'delete' };

/** A stored message a change applies to. */
export interface ChangeTarget {
  providerMessageId: string;
  /** The user sent it (restored to Sent, not to the Inbox). */
  sent: boolean;
  /** Where it is now. */
  box: string | null;
}

export type { Credentials, Mailbox, PasswordLogin, Tokens } from './credentials';
export { isPasswordLogin, oauthTokens } from './credentials';
import type { Mailbox, Tokens } from './credentials';

export interface MailboxProfile {
  email: string;
  displayName?: string;
}

export interface SendAsAlias {
  email: string;
  displayName?: string;
  isPrimary: boolean;
  replyTo?: string;
}

export interface ProviderClientConfig {
  clientId: string;
  clientSecret: string;
  tenant?: string;
  redirectUri: string;
}

export interface AuthUrlRequest {
  state: string;
  codeChallenge: string;
  loginHint?: string;
}

/**
 * Signing in and the grant: everything that needs the app's client credentials but no mailbox
 * session. Connect, reauthorize and token refresh use only this part.
 */
export interface ProviderAuth {
  authUrl(request: AuthUrlRequest): Promise<string>;
  /** Exchanges the authorization code (PKCE) and reads who the mailbox belongs to. */
  exchangeCode(code: string, codeVerifier: string): Promise<{ tokens: Tokens; profile: MailboxProfile }>;
  /** Throws ReauthorizeError on invalid_grant, ProviderClientError on a bad client secret. */
  refresh(tokens: Tokens): Promise<Tokens>;
  profile(tokens: Tokens): Promise<MailboxProfile>;
  /** Verified send-as addresses (capabilities.aliases); none for providers without aliases. */
  listAliases(tokens: Tokens): Promise<SendAsAlias[]>;
  /** Best effort; providers without a revocation endpoint do nothing. */
  revoke(tokens: Tokens): Promise<void>;
}

/** Reading a mailbox: its folders, its change feed, whole messages, states and attachments. */
export interface MailboxSync {
  /** Folders and labels of the mailbox. */
  listFolders(): Promise<RemoteFolder[]>;
  /**
   * The next step of the change feed: from a null cursor a full listing of mail dated on or after
   * `since`, then incremental changes. Throws CursorExpiredError when the stored cursor is too
   * old; the engine then lists everything again (a reconcile). `scope` may narrow an incremental
   * step (see ChangeScope); a provider that cannot narrow ignores it.
   */
  nextChanges(cursor: SyncCursor | null, since: Date, scope?: ChangeScope): Promise<ChangeBatch>;
  /** Fetches whole messages in provider batches; ids that no longer exist come back as missing. */
  fetchMessages(ids: string[]): Promise<{ messages: RemoteMessage[]; missing: string[] }>;
  /** Current state (labels/folder, flags) of stored messages, for a reconcile: cheaper than whole messages. */
  fetchStates(ids: string[]): Promise<{ states: MessageState[]; missing: string[] }>;
  /** Attachment metadata of one message, for providers that leave it out of the sync (Outlook). */
  listAttachments(providerMessageId: string): Promise<RemoteAttachment[]>;
  /** The bytes of one attachment; throws NotFoundError when the message or part is gone. */
  fetchAttachment(providerMessageId: string, providerAttachmentId: string): Promise<Buffer>;
}

/** A message a change moved, and the id it has now (a provider whose ids change with the folder: IMAP). */
export interface MovedMessage {
  from: string;
  to: string;
}

/** Changes the user makes in the mail center, applied at the provider. */
export interface MailboxChanges {
  /**
   * Applies a change at the provider. Messages the provider no longer has come back as missing;
   * the caller reads the new state with fetchStates (or forgets deleted ones). `moved`: messages
   * whose id changed with a move, when the provider can tell (IMAP with UIDPLUS); the caller
   * gives their stored rows the new ids. Providers whose ids survive a move leave it out.
   */
  modify(targets: ChangeTarget[], change: MessageChange): Promise<{ missing: string[]; moved?: MovedMessage[] }>;
  /**
   * The sync cursor, told that `moved` (re-keyed rows) are stored under their new ids, so the next
   * run neither deletes them under the old ones nor fetches them again; null to leave the cursor
   * as it is (then the next run fetches them once more, into the same rows). Only for providers
   * that report `moved`.
   */
  cursorAfterMoves?(cursor: SyncCursor, moved: MovedMessage[]): SyncCursor | null;
}

/**
 * One mailbox on one set of tokens, inside the provider's per-mailbox quota: what sync, the mail
 * center and send use. Built per call by MailProvider.mailbox (cheap: no network).
 */
export interface MailboxSession extends MailboxSync, MailboxChanges {
  readonly outgoing: MailboxOutgoing;
}

/**
 * The seam between the plugin and a mail provider (DESIGN §2): auth, plus a session per mailbox.
 * What a provider can do is data (ProviderCapabilities in providers/registry.ts), not methods.
 */
export interface MailProvider extends ProviderAuth {
  readonly name: ProviderName;
  mailbox(mailbox: Mailbox): MailboxSession;
  /** Provider calls made through this instance so far (for the sync log and the benches). */
  readonly calls: number;
}

export * from './provider-errors';
export type { DraftHandle, MailboxOutgoing, OutgoingAttachment, OutgoingMessage, OutgoingOriginal, SavedDraft, SentRef } from './outgoing-types';
