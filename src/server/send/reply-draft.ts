/**
 * What the editor opens with for Reply, Reply all and Forward (S-SEND-6…8): the sender identity,
 * recipients, subject, threading headers, the quoted original and the files that come along.
 * Nothing is sent or saved; the editor puts the user's text and signature (S-SIG-1) above the quote.
 */
import type { AccountService } from '../accounts/account-service';
import { UserError } from '../errors';
import type { AttachmentService } from '../messages/attachment-service';
import { normalizeContentId } from '../messages/attachment-service';
import { INTERACTIVE_RETRY, withRetryBudget } from '../providers/rate-limits';
import type { ReplyDraft } from '../../shared/send-api';
import { providerFailure } from './provider-call';
import {
  quoteOriginal,
  REPLY_MODES,
  type ReplyMode,
  replyIdentity,
  replyRecipients,
  replySubject,
  threadingHeaders,
} from './reply-rules';
import { originalOf, ownAddressesOf, StoredMail } from './stored-mail';

export class ReplyDraftService {
  constructor(
    private readonly accounts: AccountService,
    private readonly stored: StoredMail,
    private readonly attachments: AttachmentService,
  ) {}

  async prefill(userId: number, params: Record<string, unknown>): Promise<ReplyDraft> {
    const mode = (params.mode ?? 'reply') as ReplyMode;
    if (!REPLY_MODES.includes(mode)) throw new UserError('Invalid mode', 400, 'mode');
    const row = await this.stored.ownMessage(userId, params.filterByTk ?? params.messageId);
    const account = await this.accounts.owned(userId, row.accountId);
    const original = originalOf(row);
    const own = ownAddressesOf(account);
    const { to, cc } = replyRecipients(original, own, mode);
    const html = await quoteOriginal(original, mode, { timeZone: typeof params.timeZone === 'string' ? params.timeZone : undefined });
    // Outlook lists a mail's files on first open: a provider failure here is told, not hidden,
    // or a forward would quietly go without its files.
    const files = await withRetryBudget(INTERACTIVE_RETRY, () => this.attachments.list(userId, row.id)).catch((error) => {
      throw providerFailure(error, account.get('email'), 'other');
    });
    const quoted = new Set((html.match(/cid:([^"'\s)>]+)/gi) || []).map((m) => normalizeContentId(m)));
    return {
      accountId: Number(row.accountId),
      mode,
      replyToMessageId: Number(row.id),
      from: replyIdentity(original, own),
      to,
      cc,
      bcc: [],
      subject: replySubject(original.subject, mode),
      html,
      ...threadingHeaders(original),
      threadId: row.threadId || null,
      attachments: files.filter((f) => mode === 'forward' || (f.inline && quoted.has(normalizeContentId(f.contentId)))),
    };
  }
}
