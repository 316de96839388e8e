/**
 * Personal signatures (S-SIG-1, S-ACL-8). A signature is general (accountId null) or bound to one
 * of the user's accounts. Each scope has at most one default: the editor inserts the account's
 * default, or else the general default (defaultFor), and the user can switch or pick none.
 */
import type { Filter } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { MAX_SIGNATURES_PER_USER, SIGNATURE_HTML_MAX_BYTES, SignatureView } from '../../shared/compose-api';
import { booleanOf, htmlOf, nameOf, ownedRow, removeOwnedRow } from './text-input';

export class SignatureService {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {}

  private get repo() {
    return this.app.db.getRepository(COLLECTIONS.signatures);
  }

  /** All the user's signatures; with an account, that account's and the general ones. */
  async list(userId: number, accountId?: unknown): Promise<SignatureView[]> {
    const account = accountId != null && accountId !== '' ? await this.ownAccount(userId, accountId) : null;
    const filter: Filter = account == null ? { userId } : { userId, $or: [{ accountId: null }, { accountId: account }] };
    const rows = await this.repo.find({ filter, sort: ['name', 'id'] });
    return rows.map(toSignatureView);
  }

  /** The signature a new mail from the account starts with: the account's default, else the general default. */
  async defaultFor(userId: number, accountId: unknown): Promise<SignatureView | null> {
    const account = await this.ownAccount(userId, accountId);
    // Newest first: should two defaults ever coexist in a scope, the one set last wins.
    const rows = await this.repo.find({ filter: { userId, isDefault: true, $or: [{ accountId: null }, { accountId: account }] }, sort: ['-updatedAt', '-id'] });
    const row = rows.find((r: Model) => r.get('accountId') != null) || rows[0];
    return row ? toSignatureView(row) : null;
  }

  async save(userId: number, input: Record<string, unknown>): Promise<SignatureView> {
    const existing = input.id != null && input.id !== '' ? await this.owned(userId, input.id) : null;
    // An update changes what it names and keeps the rest.
    const name = existing && input.name === undefined ? existing.get('name') : nameOf(input.name);
    const html =
      existing && input.html === undefined
        ? existing.get('html') || ''
        : htmlOf(input.html, SIGNATURE_HTML_MAX_BYTES, (max) => new UserError('The signature is too large (at most {{max}} KB)', 400, 'html', { max }));
    const accountId = 'accountId' in input ? await this.scopeOf(userId, input.accountId) : existing ? (existing.get('accountId') ?? null) : null;
    const isDefault = input.isDefault != null ? booleanOf(input.isDefault, 'isDefault') : Boolean(existing?.get('isDefault'));
    if (!existing && (await this.repo.count({ filter: { userId } })) >= MAX_SIGNATURES_PER_USER) {
      throw new UserError('You can keep at most {{max}} signatures', 400, 'name', { max: MAX_SIGNATURES_PER_USER });
    }
    const values = { userId, name, html, accountId, isDefault };
    const id = await this.app.db.sequelize.transaction(async (transaction) => {
      // One default per scope: the previous one steps down in the same transaction.
      if (isDefault) {
        const others = { userId, accountId, isDefault: true, ...(existing ? { id: { $ne: existing.get('id') } } : {}) };
        await this.repo.update({ filter: others, values: { isDefault: false }, transaction });
      }
      if (existing) {
        await this.repo.update({ filterByTk: existing.get('id'), values, transaction });
        return existing.get('id');
      }
      return (await this.repo.create({ values, transaction })).get('id');
    });
    return toSignatureView(await this.repo.findOne({ filterByTk: id }));
  }

  remove(userId: number, id: unknown) {
    return removeOwnedRow(this.repo, userId, id, 'Signature not found');
  }

  private owned(userId: number, id: unknown) {
    return ownedRow(this.repo, userId, id, 'Signature not found');
  }

  /** null (general) or one of the user's accounts. */
  private async scopeOf(userId: number, value: unknown): Promise<number | null> {
    return value == null || value === '' ? null : this.ownAccount(userId, value);
  }

  private async ownAccount(userId: number, value: unknown): Promise<number> {
    const account = await this.accounts.owned(userId, value).catch(() => null);
    if (!account) throw new UserError('Mail account not found', 404, 'accountId');
    return Number(account.get('id'));
  }
}

export function toSignatureView(row: Model): SignatureView {
  const accountId = row.get('accountId');
  return {
    id: Number(row.get('id')),
    name: row.get('name'),
    html: row.get('html') || '',
    isDefault: Boolean(row.get('isDefault')),
    accountId: accountId == null ? null : Number(accountId),
  };
}
