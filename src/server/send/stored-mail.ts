/**
 * Stored rows as the send pipeline reads them: a mailMessages row as the original of a reply,
 * an account's own addresses, and the user's own rows by id (another user's are "not found").
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import { type AttachmentRow, type MessageRow, type Model, rawRow, rawRows } from '../db-types';
import { UserError } from '../errors';
import type { MailAddress } from '../mime/parse';
import type { OriginalMail, OwnAddresses } from './reply-rules';

/** JSON columns come back parsed on some dialects and as text on others (SQLite, raw queries). */
export function jsonValue<T>(value: unknown, fallback: T): T {
  if (value == null || value === '') return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';

export function originalOf(row: MessageRow): OriginalMail {
  const date = row.date ? new Date(row.date) : null;
  return {
    from: jsonValue<MailAddress | null>(row.from, null),
    to: jsonValue<MailAddress[]>(row.to, []),
    cc: jsonValue<MailAddress[]>(row.cc, []),
    replyTo: jsonValue<MailAddress[]>(row.replyTo, []),
    deliveredTo: row.deliveredTo || null,
    subject: row.subject || '',
    messageId: row.messageId || null,
    references: row.references || null,
    date: date && !Number.isNaN(date.getTime()) ? date : null,
    html: row.html || '',
    text: row.text || '',
    sent: truthy(row.sent) || row.box === 'sent',
  };
}

export interface SenderIdentity extends MailAddress {
  /** The account's primary address rather than an alias. */
  primary: boolean;
}

/** The account's primary address and its verified aliases, with their display names. */
export function identitiesOf(account: Model): SenderIdentity[] {
  const email = String(account.get('email')).toLowerCase();
  const name = account.get('displayName') || undefined;
  const aliases = jsonValue<{ email?: string; displayName?: string; isPrimary?: boolean }[]>(account.get('aliases'), []);
  const out: SenderIdentity[] = [{ address: email, ...(name ? { name } : {}), primary: true }];
  for (const alias of aliases) {
    const address = String(alias.email || '').toLowerCase();
    if (!address || alias.isPrimary || out.some((i) => i.address === address)) continue;
    out.push({ address, ...(alias.displayName ? { name: alias.displayName } : {}), primary: false });
  }
  return out;
}

export function ownAddressesOf(account: Model): OwnAddresses {
  const [primary, ...aliases] = identitiesOf(account);
  return { primary: primary.address, aliases: aliases.map((a) => a.address) };
}

export class StoredMail {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {}

  private get messages() {
    return this.app.db.getCollection(COLLECTIONS.messages).model;
  }

  /** One of the user's stored mails (raw row), or 404 "This email no longer exists". */
  async ownMessage(userId: number, id: unknown): Promise<MessageRow> {
    const key = Number(id);
    const row = Number.isInteger(key) && key > 0 ? rawRow<MessageRow>(await this.messages.findOne({ where: { id: key }, raw: true })) : null;
    const mine = row ? await this.accounts.owned(userId, row.accountId).then(() => true, () => false) : false;
    if (!mine) throw new UserError('This email no longer exists', 404);
    return row!;
  }

  /** One of the user's drafts, or 404. */
  async ownDraft(userId: number, id: unknown): Promise<MessageRow> {
    const row = await this.ownMessage(userId, id).catch(() => null);
    if (!row || !(truthy(row.draft) || row.box === 'drafts')) throw new UserError('Draft not found', 404, 'draftId');
    return row;
  }

  /** Attachment rows of the user's own mail, in the order asked; any other id is 404. */
  async ownAttachments(userId: number, ids: number[]): Promise<AttachmentRow[]> {
    if (!ids.length) return [];
    const own = new Set((await this.accounts.ownedModels(userId)).map((a) => Number(a.get('id'))));
    const rows = rawRows<AttachmentRow>(await this.app.db.getCollection(COLLECTIONS.attachments).model.findAll({ where: { id: [...new Set(ids)] }, raw: true }));
    const byId = new Map(rows.filter((r) => own.has(Number(r.accountId))).map((r) => [Number(r.id), r]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) throw new UserError('Attachment not found', 404, 'forwardAttachmentIds');
      return row;
    });
  }
}
