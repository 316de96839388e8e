/**
 * Changes the user makes in the mail center (S-CENTER-7): read/unread, star, archive, trash,
 * restore, delete forever. Each is applied at the provider first and then here, so the two
 * never disagree: when the provider fails, nothing changes and the user is told why.
 */
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { INVALID_GRANT_MESSAGE } from '../sync/account-state';
import { ACCOUNT_STATUS, COLLECTIONS } from '../constants';
import { type MessageRow, type Model, rawRows } from '../db-types';
import { UserError } from '../errors';
import type { MailboxSession, MessageChange, MovedMessage } from '../providers/types';
import { callProvider, providerFailure } from '../send/provider-call';
import { MessageStore } from '../sync/message-store';
import type { ChangeInput, ChangeResult } from '../../shared/mail-center-api';
import { MESSAGE_GONE } from './attachment-service';
import { notifyUser } from './notify';
import { truthy } from './thread-query';

/** Mails one request may change. */
export const MAX_CHANGE_IDS = 1000;

/** Which of the selected mails a change concerns; the others are already as asked. */
const CONCERNED: { [K in MessageChange['kind']]: (row: MessageRow, change: Extract<MessageChange, { kind: K }>) => boolean } = {
  read: (row, change) => truthy(row.read) !== change.read,
  starred: (row, change) => truthy(row.starred) !== change.starred,
  archive: (row) => row.box === 'inbox',
  trash: (row) => row.box !== 'trash',
  restore: (row) => ['trash', 'archive', 'spam'].includes(row.box!),
  delete: (row) => row.box === 'trash',
};

export class MailChanges {
  private readonly store: MessageStore;

  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
  ) {
    this.store = new MessageStore(app);
  }

  /** The mails an input names, all the user's own; with scope `thread`, their conversations. */
  async resolve(userId: number, input: ChangeInput): Promise<MessageRow[]> {
    const ids = Array.isArray(input?.ids) ? input.ids.map(Number) : [];
    if (!ids.length || ids.some((id) => !Number.isInteger(id) || id <= 0)) throw new UserError('Please check the mail first', 400, 'ids');
    if (ids.length > MAX_CHANGE_IDS) throw new UserError('Select at most {{max}} mails at a time', 400, 'ids', { max: MAX_CHANGE_IDS });
    if (input.scope != null && !['thread', 'message'].includes(input.scope)) throw new UserError('Invalid scope', 400, 'scope');
    const own = (await this.accounts.ownedModels(userId)).map((a) => Number(a.get('id')));
    const picked = rawRows<MessageRow>(await this.store.messages.findAll({ where: { id: [...new Set(ids)] }, raw: true }));
    if (picked.length !== new Set(ids).size || picked.some((r) => !own.includes(Number(r.accountId)))) throw new UserError(MESSAGE_GONE, 404);
    if (input.scope === 'message') return picked;
    // A conversation opened from Trash acts on its mails in Trash; otherwise on the others.
    const members = rawRows<MessageRow>(await this.store.messages.findAll({
      where: { accountId: [...new Set(picked.map((r) => r.accountId))], threadId: [...new Set(picked.map((r) => r.threadId))] },
      raw: true,
    }));
    const out = new Map<number, MessageRow>();
    for (const head of picked) {
      const inTrash = head.box === 'trash';
      out.set(Number(head.id), head);
      for (const r of members) {
        if (r.accountId === head.accountId && r.threadId === head.threadId && (r.box === 'trash') === inTrash) out.set(Number(r.id), r);
      }
    }
    return [...out.values()];
  }

  async apply(userId: number, input: ChangeInput, change: MessageChange): Promise<ChangeResult> {
    const concerned = CONCERNED[change.kind] as (row: MessageRow, change: MessageChange) => boolean;
    const rows = (await this.resolve(userId, input)).filter((r) => concerned(r, change));
    if (change.kind === 'delete' && !rows.length) throw new UserError('Only mail in Trash can be deleted permanently', 400, 'ids');
    const byAccount = new Map<number, MessageRow[]>();
    for (const r of rows) byAccount.set(Number(r.accountId), [...(byAccount.get(Number(r.accountId)) || []), r]);
    let changed = 0;
    for (const [accountId, list] of byAccount) changed += await this.applyToAccount(accountId, list, change);
    if (changed) notifyUser(this.app, userId, [...byAccount.keys()]);
    return { changed };
  }

  private async applyToAccount(accountId: number, rows: MessageRow[], change: MessageChange) {
    const account: Model = await this.app.db.getRepository(COLLECTIONS.accounts).findOne({ filterByTk: accountId });
    const email = account.get('email');
    if (account.get('status') === ACCOUNT_STATUS.reauthorize) throw new UserError(INVALID_GRANT_MESSAGE, 409, 'accountId', { email });
    const targets = rows.map((r) => ({ providerMessageId: r.providerMessageId, sent: truthy(r.sent), box: r.box ?? null }));
    const ids = targets.map((t) => t.providerMessageId);
    // Provider first, then here; a failure leaves both as they were and tells the user why.
    try {
      let session: MailboxSession | undefined;
      const { missing, moved } = await callProvider(this.accounts, account, (mailbox) => ((session = mailbox), mailbox.modify(targets, change)));
      const present = ids.filter((id) => !missing.includes(id));
      if (change.kind === 'delete') {
        await this.app.db.sequelize.transaction((transaction) => this.store.remove(accountId, ids, transaction));
      } else if (change.kind === 'read' || change.kind === 'starred') {
        const values = change.kind === 'read' ? { read: change.read } : { starred: change.starred };
        await this.store.messages.update(values, { where: { accountId, providerMessageId: present } });
        await this.app.db.sequelize.transaction((transaction) => this.store.remove(accountId, missing, transaction));
      } else {
        // Mails whose id changed with the move keep their rows under the new id, at once: a sync
        // pushed by the same move (IDLE on the Inbox) must find them re-keyed, not delete them.
        const rekeyed = moved?.length ? await this.rekey(accountId, moved, session!) : new Map<string, string>();
        // Then where the provider put each mail, read through the same path the sync uses.
        const fresh = await callProvider(this.accounts, account, (mailbox) => mailbox.fetchStates(present.map((id) => rekeyed.get(id) ?? id)));
        await this.app.db.sequelize.transaction(async (transaction) => {
          await this.store.applyStates(accountId, fresh.states, transaction);
          await this.store.remove(accountId, [...missing, ...fresh.missing], transaction);
        });
      }
    } catch (error) {
      throw providerFailure(error, email, 'other');
    }
    return rows.length;
  }

  /** Re-keys the moved mails' rows and tells the sync cursor, in one transaction; old id → new id of those re-keyed. */
  private rekey(accountId: number, moved: MovedMessage[], session: MailboxSession) {
    return this.app.db.sequelize.transaction(async (transaction) => {
      const applied = await this.store.rekey(accountId, moved, transaction);
      // Only rows found under the old id: one a racing sync deleted meanwhile comes back as new mail.
      if (applied.length && session.cursorAfterMoves) {
        await this.accounts.state.cursorAfterMoves(accountId, (cursor) => session.cursorAfterMoves!(cursor, applied), transaction);
      }
      return new Map(applied.map((m) => [m.from, m.to]));
    });
  }
}
