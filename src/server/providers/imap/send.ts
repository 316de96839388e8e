/**
 * Sending and drafts on IMAP/SMTP (MailboxOutgoing). A mail goes out over SMTP; IMAP then files
 * the same MIME in Sent (APPEND, \Seen) unless the server already did (Gmail and some hosted
 * servers file submitted mail themselves: Sent is searched for the Message-ID first), and the
 * draft it came from is deleted. Once SMTP accepted the mail, nothing after it fails the send:
 * the mail is out, and a failed send would make the user send it twice.
 *
 * A draft is an APPEND to Drafts with \Draft \Seen. IMAP cannot change a message, so saving
 * again appends the new version and then deletes the previous one: the draft's id (and its
 * `draftRef`, the same composite id) changes with every save.
 */
import type { ImapFlow } from 'imapflow';
import type { DraftHandle, MailboxOutgoing, OutgoingMessage, SavedDraft, SentRef } from '../types';
import { folderIndexFor, folderOf, listImapFolders } from './folders';
import { decodeMessageId, encodeMessageId, threadIdOf } from './ids';
import type { PasswordLogin } from './login';
import { searchUids } from './listing';
import { fetchStates } from './messages';
import { ensureFolder, expunge } from './modify';
import { sendRaw } from './smtp';
import { UidSet } from './uid-set';

export type ImapSession = <T>(work: (client: ImapFlow) => Promise<T>) => Promise<T>;

/** The id handed back when the Sent copy could not be filed: the mail went out, the sync has no copy to match. */
export const UNFILED_PREFIX = 'unfiled:';

export class ImapOutgoing implements MailboxOutgoing {
  constructor(
    private readonly login: PasswordLogin,
    private readonly session: ImapSession,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  async send(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SentRef> {
    const raw = await message.mime();
    await sendRaw(this.login, message, raw);
    const threadId = threadOf(message);
    try {
      return await this.session(async (client) => {
        const folders = await listImapFolders(client);
        const sent = await ensureFolder(client, folders, 'sent');
        const filed = (await findByMessageId(client, sent, message.messageId)) ?? (await append(client, sent, raw, ['\\Seen'], message.messageId));
        if (draft) await this.dropDraft(client, draft).catch((error) => this.warn(`deleting the draft of a sent mail failed: ${(error as Error).message}`));
        return { providerMessageId: encodeMessageId({ folder: sent, uidValidity: filed.uidValidity, uid: filed.uid }), threadId };
      });
    } catch (error) {
      this.warn(`the mail ${message.messageId} was sent, but filing it in Sent failed: ${(error as Error).message}`);
      return { providerMessageId: `${UNFILED_PREFIX}${message.messageId}`, threadId };
    }
  }

  async saveDraft(message: OutgoingMessage, draft?: DraftHandle | null): Promise<SavedDraft> {
    const raw = await message.mime();
    return this.session(async (client) => {
      const drafts = await ensureFolder(client, await listImapFolders(client), 'drafts');
      const { uid, uidValidity } = await append(client, drafts, raw, ['\\Draft', '\\Seen'], message.messageId);
      const providerMessageId = encodeMessageId({ folder: drafts, uidValidity, uid });
      // The new version is in: only now the previous one goes. Should that fail, the save still
      // succeeded (the user's text is safe); the old version stays behind as a second draft.
      if (draft && handleId(draft) !== providerMessageId) {
        await this.dropDraft(client, draft).catch((error) => this.warn(`deleting the previous version of a draft failed: ${(error as Error).message}`));
      }
      return { providerMessageId, threadId: threadOf(message), draftRef: providerMessageId };
    });
  }

  async deleteDraft(draft: DraftHandle): Promise<void> {
    await this.session((client) => this.dropDraft(client, draft));
  }

  /** Searches Sent for the Message-ID; a draft left with it by an interrupted send is deleted. */
  async findSent(internetMessageId: string): Promise<SentRef | null> {
    return this.session(async (client) => {
      const folders = await listImapFolders(client);
      const sent = folderOf(folders, 'sent');
      const found = sent ? await findByMessageId(client, sent, internetMessageId) : null;
      if (!sent || !found) return null;
      // Its thread id, from its headers (the Sent folder is still selected).
      const { states } = await fetchStates(client, { path: sent, box: 'sent', uidValidity: found.uidValidity }, UidSet.of([found.uid]));
      const drafts = folderOf(folders, 'drafts');
      if (drafts) {
        const left = await findByMessageId(client, drafts, internetMessageId);
        if (left) await expunge(client, drafts, left.uidValidity, UidSet.of(left.all));
      }
      return {
        providerMessageId: encodeMessageId({ folder: sent, uidValidity: found.uidValidity, uid: found.uid }),
        threadId: states[0]?.threadId ?? threadIdOf({ messageId: internetMessageId }),
      };
    });
  }

  /** A draft gone already (or re-created folder) is not an error. */
  private async dropDraft(client: ImapFlow, draft: DraftHandle) {
    const ref = decodeMessageId(handleId(draft), await folderIndexFor(client, [handleId(draft)]));
    if (ref) await expunge(client, ref.folder, ref.uidValidity, UidSet.of([ref.uid]));
  }
}

const handleId = (draft: DraftHandle) => draft.draftRef || draft.providerMessageId;

const threadOf = (message: OutgoingMessage) => threadIdOf({ references: message.references, inReplyTo: message.inReplyTo, messageId: message.messageId });

/** The newest message of `path` with this Message-ID (and every UID with it), or null. */
async function findByMessageId(client: ImapFlow, path: string, messageId: string) {
  let mailbox;
  try {
    mailbox = await client.mailboxOpen(path, { readOnly: true });
  } catch (error) {
    if ((error as { mailboxMissing?: boolean }).mailboxMissing) return null;
    throw error;
  }
  if (!mailbox.exists) return null;
  // A refused search fails: read as "not in Sent", it would send the mail a second time.
  const uids = (await searchUids(client, { header: { 'Message-ID': messageId } })).toArray();
  if (!uids.length) return null;
  return { uid: Math.max(...uids), all: uids, uidValidity: Number(mailbox.uidValidity) };
}

/** APPENDs and answers the new message's UID: from APPENDUID (UIDPLUS), else by searching for its Message-ID. */
async function append(client: ImapFlow, path: string, raw: Buffer, flags: string[], messageId: string) {
  const result = await client.append(path, raw, flags);
  if (result && result.uid && result.uidValidity !== undefined) return { uid: result.uid, uidValidity: Number(result.uidValidity) };
  const found = await findByMessageId(client, path, messageId);
  if (!found) throw new Error(`The mail server did not keep the message appended to ${path}`);
  return { uid: found.uid, uidValidity: found.uidValidity };
}
