/**
 * What the "Send email from mailbox" node sends, through the editor's own send path
 * (send/send-service.ts): the same checks, the same idempotency claim, the same provider calls,
 * the sent copy stored in Sent. The node's config arrives with its variables resolved; here:
 * - the account (send-account.ts, consent checked);
 * - an optional template of the account's owner or the workflow's author (its variables are
 *   resolved too): its body when the node has none, its subject when the node has none;
 * - a reply (reply-rules.ts): threading headers and the provider's conversation, the reply
 *   recipients when the node names none, "Re: …" when it has no subject, the quote if asked;
 * - files: file records (read through the file manager) and attachments of stored mail.
 * Every failure is a UserError whose message the job shows.
 */
import type Application from '@nocobase/server';
import type { Readable } from 'node:stream';
import { WORKFLOW_MAX_ATTACHMENTS, type EmailSendConfig, type EmailSendResult } from '../../shared/workflow-api';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import type { AttachmentRow, Model } from '../db-types';
import { UserError } from '../errors';
import type { OutgoingAttachment } from '../providers/types';
import { quoteOriginal, replyIdentity, replyRecipients, replySubject } from '../send/reply-rules';
import type { SendService } from '../send/send-service';
import { originalOf, ownAddressesOf, type StoredMail } from '../send/stored-mail';
import { assertWorkflowAccess } from './consent';
import { type ScopeReader, SendAccounts } from './send-account';

export interface WorkflowSendInput {
  /** The node's config with its variables resolved. */
  config: EmailSendConfig;
  /** `$context` of the execution. */
  context: Record<string, unknown> | null;
  /** One per execution, node and loop iteration: a job run again sends once. */
  idempotencyKey: string;
  /** The executions that lead to this send, this one last (MessagesAddedEvent.stack). */
  stack: (number | string)[];
  /** Who made the workflow (their templates may be used). */
  authorId: number | null;
  /** Resolves the variables of a template's text. */
  parse: (text: string) => unknown;
  scope: ScopeReader;
}

interface FileManagerLike {
  getFileStream(file: Record<string, unknown>): Promise<{ stream: Readable; contentType?: string }>;
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));
const present = (value: unknown) => value != null && value !== '' && !(Array.isArray(value) && !value.length);

/** Recipient values flattened (a variable may give a list inside the list), empties dropped. */
function recipients(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.flat(Infinity).filter((item) => item != null && item !== '');
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export class WorkflowMailer {
  private readonly sendAccounts: SendAccounts;

  constructor(
    private readonly app: Application,
    private readonly deps: { accounts: AccountService; send: SendService; stored: StoredMail },
  ) {
    this.sendAccounts = new SendAccounts(app, deps.accounts);
  }

  async send(input: WorkflowSendInput): Promise<EmailSendResult> {
    const { config } = input;
    const account = await this.sendAccounts.resolve(config.account, input.context, input.scope);
    const ownerId = Number(account.get('userId'));
    const template = await this.template(config.templateId, [ownerId, input.authorId]);
    const subject = textOf(config.subject).trim() || (template ? textOf(input.parse(textOf(template.get('subject')))) : '');
    const html = textOf(config.html) || (template ? textOf(input.parse(textOf(template.get('html')))) : '');
    const values: Record<string, unknown> = {
      idempotencyKey: input.idempotencyKey,
      accountId: Number(account.get('id')),
      to: recipients(config.to),
      cc: recipients(config.cc),
      bcc: recipients(config.bcc),
      subject,
      html,
    };
    if (present(config.replyToMessageId)) await this.reply(values, config, account);
    const files = await this.files(config.attachments, ownerId);
    values.forwardAttachmentIds = files.stored;
    const sent = await this.deps.send.send(ownerId, values, { files: files.read, stack: input.stack });
    return { providerMessageId: sent.providerMessageId, messageId: sent.id, threadId: sent.threadId };
  }

  /** A template of one of these users, or null when none is asked for. */
  private async template(id: unknown, userIds: (number | null)[]): Promise<Model | null> {
    if (!present(id)) return null;
    const key = Number(id);
    const owners = userIds.filter((u): u is number => u != null);
    const templates = this.app.db.getRepository(COLLECTIONS.templates);
    const row = Number.isInteger(key) && key > 0 ? await templates.findOne({ filter: { id: key, userId: owners } }) : null;
    if (!row) throw new UserError('Template not found', 404, 'templateId');
    return row;
  }

  /** Makes `values` a reply to the stored mail the config names (an own mail of the owner, in an account that allows workflows). */
  private async reply(values: Record<string, unknown>, config: EmailSendConfig, account: Model) {
    const row = await this.deps.stored.ownMessage(Number(account.get('userId')), config.replyToMessageId);
    if (Number(row.accountId) !== Number(account.get('id'))) {
      const other = await this.deps.accounts.byId(Number(row.accountId));
      if (!other) throw new UserError('This email no longer exists', 404, 'replyToMessageId');
      assertWorkflowAccess(other);
    }
    const mode = config.replyMode === 'replyAll' ? 'replyAll' : 'reply';
    const original = originalOf(row);
    const own = ownAddressesOf(account);
    if (!present(values.to) && !present(values.cc) && !present(values.bcc)) Object.assign(values, replyRecipients(original, own, mode));
    if (!values.subject) values.subject = replySubject(original.subject, mode);
    if (config.quote === true) values.html = `${values.html}${await quoteOriginal(original, mode)}`;
    // The own address or alias that received the original (S-SEND-8), when it is this account's.
    if (Number(row.accountId) === Number(account.get('id'))) values.from = replyIdentity(original, own);
    Object.assign(values, { mode, replyToMessageId: Number(row.id) });
  }

  /**
   * File records (storageId + path: a record's attachment field) are read through the file
   * manager; attachments of stored mail ({ id } of `$context.message.attachments`) go by
   * reference and must be the owner's, in accounts that allow workflows.
   */
  private async files(value: unknown, ownerId: number): Promise<{ read: OutgoingAttachment[]; stored: number[] }> {
    const items = (Array.isArray(value) ? value.flat(Infinity) : [value])
      .map((item) => (item && typeof (item as Model).toJSON === 'function' ? (item as Model).toJSON() : item))
      .filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object');
    if (items.length > WORKFLOW_MAX_ATTACHMENTS) {
      throw new UserError('A workflow can send at most {{max}} files with one email', 400, 'attachments', { max: WORKFLOW_MAX_ATTACHMENTS });
    }
    const records = items.filter((f) => f.storageId != null && (typeof f.path === 'string' || typeof f.filename === 'string'));
    const stored = items.filter((f) => !records.includes(f)).map((f) => Number(f.id));
    if (stored.some((id) => !Number.isInteger(id) || id <= 0)) throw new UserError('Attachment not found', 404, 'attachments');
    await this.assertStoredAllowed(ownerId, stored);
    return { read: await Promise.all(records.map((file) => this.readFile(file))), stored };
  }

  private async assertStoredAllowed(ownerId: number, ids: number[]) {
    if (!ids.length) return;
    const rows = await this.deps.stored.ownAttachments(ownerId, ids);
    for (const accountId of new Set(rows.map((r: AttachmentRow) => Number(r.accountId)))) {
      const account = await this.deps.accounts.byId(accountId);
      if (!account) throw new UserError('Attachment not found', 404, 'attachments');
      assertWorkflowAccess(account);
    }
  }

  private async readFile(file: Record<string, unknown>): Promise<OutgoingAttachment> {
    const manager = this.app.pm.get('file-manager') as unknown as FileManagerLike | undefined;
    if (!manager?.getFileStream) throw new UserError('Sending files needs the File manager plugin', 400, 'attachments');
    const name = file.title && file.extname ? `${file.title}${file.extname}` : textOf(file.title || file.filename) || 'attachment';
    let content: Buffer;
    let contentType: string | undefined;
    try {
      const opened = await manager.getFileStream(file);
      content = await readStream(opened.stream);
      contentType = opened.contentType;
    } catch {
      throw new UserError('The file {{name}} could not be read', 400, 'attachments', { name });
    }
    return {
      filename: name.replace(/[\r\n]+/g, ' ').slice(0, 255),
      mimeType: textOf(contentType || file.mimetype) || 'application/octet-stream',
      size: content.length,
      inline: false,
      content: async () => content,
    };
  }
}
