/**
 * Drafts from the editor (S-DRAFT-1): "Save draft" stores the draft at the provider (Gmail
 * drafts, Outlook Drafts) and as a local row in box `drafts`; saving again with the row's id
 * updates the same draft in both places. The row also keeps how the mail was composed (mode,
 * original, From), so the draft opens again as it was. Deleting removes it in both places.
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import type { MessageRow } from '../db-types';
import type { AttachmentService, AttachmentView } from '../messages/attachment-service';
import { notifyUser } from '../messages/notify';
import type { MailAddress } from '../mime/parse';
import type { ComposeMode, DraftView, SavedDraft } from '../../shared/send-api';
import type { SendInputReader } from './send-input';
import type { LocalCopy } from './local-copy';
import type { OutgoingBuilder } from './outgoing';
import { callProvider, providerFailure } from './provider-call';
import { draftHandleOf } from './send-service';
import { jsonValue, type StoredMail } from './stored-mail';

export interface DraftServices {
  accounts: AccountService;
  reader: SendInputReader;
  builder: OutgoingBuilder;
  local: LocalCopy;
  stored: StoredMail;
  attachments: AttachmentService;
}

export class DraftService {
  constructor(
    private readonly app: Application,
    private readonly s: DraftServices,
  ) {}

  async save(userId: number, values: Record<string, unknown>): Promise<SavedDraft> {
    const compose = await this.s.reader.read(userId, values, false);
    const files = await this.s.builder.files(userId, compose);
    const { account, draft } = compose;
    const accountId = Number(account.get('id'));
    const ownDraft = draft && Number(draft.accountId) === accountId ? draft : null;
    const outgoing = this.s.builder.message(compose, files);
    let saved;
    try {
      saved = await callProvider(this.s.accounts, account, (mailbox) => mailbox.outgoing.saveDraft(outgoing, ownDraft ? draftHandleOf(ownDraft) : null));
    } catch (error) {
      throw providerFailure(error, account.get('email'), 'save');
    }
    const id = await this.s.local.keep(account, saved, outgoing, 'draft', ownDraft ? Number(ownDraft.id) : null, {
      providerDraftId: saved.draftRef,
      compose: {
        mode: compose.mode,
        replyToMessageId: compose.original ? Number(compose.original.id) : null,
        from: compose.from.address,
      },
    });
    // Moved to another account (From changed): the old draft goes, as a second copy would confuse.
    if (draft && !ownDraft) await this.removeEverywhere(userId, draft).catch((error) => this.warn(error));
    notifyUser(this.app, userId, [accountId]);
    return { id, providerMessageId: saved.providerMessageId, threadId: saved.threadId, attachments: await this.filesOf(userId, id) };
  }

  async open(userId: number, draftId: unknown): Promise<DraftView> {
    const row = await this.s.stored.ownDraft(userId, draftId);
    const account = await this.s.accounts.owned(userId, row.accountId);
    // A draft made elsewhere (Gmail's web client) has no compose: a new mail from its From.
    const compose = jsonValue<{ mode?: ComposeMode; replyToMessageId?: number | null; from?: string } | null>(row.compose, null);
    const from = compose?.from || jsonValue<MailAddress | null>(row.from, null)?.address || String(account.get('email'));
    return {
      id: Number(row.id),
      accountId: Number(row.accountId),
      mode: compose?.mode || 'new',
      replyToMessageId: compose?.replyToMessageId ?? null,
      from,
      to: jsonValue<MailAddress[]>(row.to, []),
      cc: jsonValue<MailAddress[]>(row.cc, []),
      bcc: jsonValue<MailAddress[]>(row.bcc, []),
      subject: row.subject || '',
      html: row.html || '',
      attachments: await this.filesOf(userId, Number(row.id)),
    };
  }

  async remove(userId: number, draftId: unknown): Promise<{ deleted: number }> {
    const draft = await this.s.stored.ownDraft(userId, draftId);
    await this.removeEverywhere(userId, draft);
    notifyUser(this.app, userId, [Number(draft.accountId)]);
    return { deleted: 1 };
  }

  private async removeEverywhere(userId: number, draft: MessageRow) {
    const account = await this.s.accounts.owned(userId, draft.accountId);
    try {
      await callProvider(this.s.accounts, account, (mailbox) => mailbox.outgoing.deleteDraft(draftHandleOf(draft)));
    } catch (error) {
      throw providerFailure(error, account.get('email'), 'other');
    }
    await this.s.local.remove(Number(draft.accountId), [draft.providerMessageId]);
  }

  /** The draft's files; a provider that cannot list them now leaves the list empty rather than the save failed. */
  private filesOf(userId: number, id: number) {
    return this.s.attachments.list(userId, id).catch(() => [] as AttachmentView[]);
  }

  private warn(error: unknown) {
    this.app.log.warn(`email-manager: removing a moved draft failed: ${(error as Error).message}`, { module: 'email-manager' });
  }
}
