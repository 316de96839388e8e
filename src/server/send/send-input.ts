/**
 * What the editor sends (mailMessages:send / saveDraft), read and checked before anything reaches
 * a provider: the account is the user's and may send (S-SEND-9, S-ERR-3), From is its address or
 * a verified alias (S-SEND-2), every recipient is an address (S-SEND-3), the original of a reply
 * and the files are the user's own.
 */
import type { AccountService } from '../accounts/account-service';
import { INVALID_GRANT_MESSAGE } from '../sync/account-state';
import { ACCOUNT_STATUS } from '../constants';
import type { MessageRow, Model } from '../db-types';
import { UserError } from '../errors';
import type { AddressedMail, MailAddress } from '../mime/parse';
import { dedupeLists, parseRecipients } from './addresses';
import type { ComposeMode } from '../../shared/send-api';
import { REPLY_MODES } from './reply-rules';
import { identitiesOf, StoredMail } from './stored-mail';

export type { ComposeMode };

/** Recipients of one mail over To, Cc and Bcc (Gmail's limit for a consumer account). */
export const MAX_RECIPIENTS = 500;
/** The HTML body; larger content belongs in an attachment. */
export const MAX_HTML_BYTES = 5 * 1024 * 1024;
const FIELDS = ['to', 'cc', 'bcc'] as const;

/** A file of the compose: an upload (string id) or a stored attachment (numeric id); a contentId makes it an inline image. */
export interface FileRef<T> {
  id: T;
  contentId?: string;
}

export interface SendInput extends AddressedMail {
  account: Model;
  mode: ComposeMode;
  /** The mail replied to or forwarded (a raw mailMessages row); null for a new mail. */
  original: MessageRow | null;
  uploads: FileRef<string>[];
  stored: FileRef<number>[];
  /** The saved draft this compose continues (a raw mailMessages row). */
  draft: MessageRow | null;
}

export class SendInputReader {
  constructor(
    private readonly accounts: AccountService,
    private readonly stored: StoredMail,
  ) {}

  /** `forSend`: at least one recipient is needed (a draft may have none yet). */
  async read(userId: number, values: Record<string, unknown>, forSend: boolean): Promise<SendInput> {
    const account = await this.accounts.owned(userId, values.accountId);
    assertCanSend(account);
    const from = this.from(account, values.from);
    const lists = FIELDS.map((field) => {
      const { addresses, invalid } = parseRecipients(values[field]);
      if (invalid.length) throw new UserError('{{address}} is not a email format', 400, field, { address: invalid[0] });
      return addresses;
    });
    const [to, cc, bcc] = dedupeLists(lists);
    const count = to.length + cc.length + bcc.length;
    if (forSend && !count) throw new UserError('Please add at least one recipient', 400, 'to');
    if (count > MAX_RECIPIENTS) throw new UserError('A mail can have at most {{max}} recipients', 400, 'to', { max: MAX_RECIPIENTS });
    const html = typeof values.html === 'string' ? values.html : '';
    if (Buffer.byteLength(html) > MAX_HTML_BYTES) throw new UserError('The email body is too large; attach the content as a file instead', 400, 'html');
    const mode = modeOf(values);
    const original = mode === 'new' ? null : await this.stored.ownMessage(userId, values.replyToMessageId);
    const draft = values.draftId == null || values.draftId === '' ? null : await this.stored.ownDraft(userId, values.draftId);
    return {
      account,
      from,
      to,
      cc,
      bcc,
      // A header holds one line.
      subject: typeof values.subject === 'string' ? values.subject.replace(/[\r\n]+/g, ' ').trim() : '',
      html,
      mode,
      original,
      uploads: fileRefs(values.attachmentIds, (id) => (typeof id === 'string' && id ? id : null), 'attachmentIds'),
      stored: fileRefs(values.forwardAttachmentIds, (id) => (Number.isInteger(Number(id)) && Number(id) > 0 ? Number(id) : null), 'forwardAttachmentIds'),
      draft,
    };
  }

  /** The account's primary address, or one of its verified aliases (S-SEND-2), with its display name. */
  private from(account: Model, value: unknown): MailAddress {
    const identities = identitiesOf(account);
    if (value == null || value === '') return strip(identities[0]);
    const { addresses } = parseRecipients(value);
    const match = addresses.length === 1 ? identities.find((i) => i.address === addresses[0].address) : undefined;
    if (!match) throw new UserError('The sender must be the account address or one of its aliases', 400, 'from');
    return strip(match);
  }
}

/** Accounts that need the user's attention cannot send (S-SEND-9); the message says what to do. */
export function assertCanSend(account: Model) {
  const email = account.get('email');
  switch (account.get('status')) {
    case ACCOUNT_STATUS.reauthorize:
      throw new UserError(INVALID_GRANT_MESSAGE, 409, 'accountId', { email });
    case ACCOUNT_STATUS.error:
      throw new UserError('The account {{email}} has an error and cannot send. Check it under Settings.', 409, 'accountId', { email });
    case ACCOUNT_STATUS.disabled:
      throw new UserError('The account {{email}} is paused. Resume it to send.', 409, 'accountId', { email });
  }
}

function modeOf(values: Record<string, unknown>): ComposeMode {
  const mode = (values.mode ?? (values.replyToMessageId != null && values.replyToMessageId !== '' ? 'reply' : 'new')) as ComposeMode;
  if (mode !== 'new' && !REPLY_MODES.includes(mode)) throw new UserError('Invalid mode', 400, 'mode');
  if (mode !== 'new' && (values.replyToMessageId == null || values.replyToMessageId === '')) {
    throw new UserError('This email no longer exists', 404, 'replyToMessageId');
  }
  return mode;
}

/** `[id, …]` or `[{ id, contentId }, …]`. */
function fileRefs<T>(input: unknown, idOf: (value: unknown) => T | null, field: string): FileRef<T>[] {
  if (input == null || input === '') return [];
  if (!Array.isArray(input)) throw new UserError('Attachment not found', 404, field);
  return input.map((entry) => {
    const raw = entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : entry;
    const id = idOf(raw);
    if (id == null) throw new UserError('Attachment not found', 404, field);
    const cid = entry && typeof entry === 'object' ? (entry as { contentId?: unknown }).contentId : undefined;
    return typeof cid === 'string' && cid.trim() ? { id, contentId: cid.trim().replace(/^<|>$/g, '') } : { id };
  });
}

function strip({ address, name }: MailAddress): MailAddress {
  return name ? { address, name } : { address };
}
