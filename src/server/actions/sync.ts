import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import { UserError } from '../errors';
import { parseStartDate } from '../oauth/oauth-service';
import { SYNC_BUSY_MESSAGE, SyncScheduler } from '../sync/scheduler';
import { respond } from './respond';

type Next = () => Promise<void>;
const userIdOf = (ctx: any): number => ctx.state.currentUser?.id;

/** Rows of the sync log an owner sees (S-SYNC-10). */
export const OWN_SYNC_LOG_ROWS = 100;

/** "Sync now", "Resync" and the owner's sync log; each on the user's own accounts only. */
export function syncActions(app: any, accounts: AccountService, scheduler: SyncScheduler) {
  const action = (body: (ctx: any) => Promise<unknown>) => async (ctx: any, next: Next) => {
    await respond(ctx, () => body(ctx));
    await next();
  };
  return {
    /** One account (filterByTk) or all of the user's (S-SYNC-1). */
    'mailAccounts:syncNow': action(async (ctx) => {
      const id = ctx.action.params.filterByTk;
      const targets = id != null ? [await accounts.owned(userIdOf(ctx), id)] : await accounts.ownedModels(userIdOf(ctx));
      if (id != null && (await scheduler.isRunning(targets[0].get('id')))) throw new UserError(SYNC_BUSY_MESSAGE, 409);
      for (const account of targets) await scheduler.request(account.get('id'), 'manual');
      return { queued: targets.map((a: any) => a.get('id')) };
    }),
    /** Imports the window again, optionally from an earlier date; notes and labels stay (S-SYNC-7). */
    'mailAccounts:resync': action(async (ctx) => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      if (await scheduler.isRunning(account.get('id'))) throw new UserError(SYNC_BUSY_MESSAGE, 409);
      const requested = ctx.action.params.values?.syncStartDate;
      const syncStartDate = requested != null ? parseStartDate(requested) : account.get('syncStartDate');
      await app.db.getRepository(COLLECTIONS.accounts).update({
        filterByTk: account.get('id'),
        values: { syncStartDate, syncCursor: { phase: 'full', refetch: true }, syncStage: 'importing' },
      });
      await scheduler.request(account.get('id'), 'resync');
      return { queued: [account.get('id')] };
    }),
    'mailSyncLogs:listOwn': action(async (ctx) => {
      const own = await accounts.ownedModels(userIdOf(ctx));
      const ids = own.map((a: any) => a.get('id'));
      const accountId = ctx.action.params.filter?.accountId ?? ctx.action.params.accountId;
      if (accountId != null && !ids.map(String).includes(String(accountId))) throw new UserError('Mail account not found', 404);
      const rows = await app.db.getRepository(COLLECTIONS.syncLogs).find({
        filter: { accountId: accountId != null ? Number(accountId) : { $in: ids } },
        sort: ['-startedAt', '-id'],
        limit: OWN_SYNC_LOG_ROWS,
      });
      return rows.map((r: any) => r.toJSON());
    }),
  };
}
