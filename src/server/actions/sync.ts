/**
 * "Sync now", "Resync" and the owner's sync log (src/shared/accounts-api.ts), and the admin's
 * list of every account's runs (src/shared/settings-api.ts).
 */
import type Application from '@nocobase/server';
import { ACCOUNT_ACTIONS, OWN_SYNC_LOG_ROWS, type SyncLogRow, type SyncQueued } from '../../shared/accounts-api';
import { ADMIN_SYNC_LOG_PAGE_SIZE, SETTINGS_ACTIONS, type AdminSyncLogRow, type SyncLogListMeta } from '../../shared/settings-api';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { parseStartDate } from '../oauth/oauth-service';
import { SYNC_BUSY_MESSAGE, SyncScheduler } from '../jobs/sync-scheduler';
import { action, userIdOf } from './respond';

/** "Sync now", "Resync" and the owner's sync log; each on the user's own accounts only. */
export function syncActions(app: Application, accounts: AccountService, scheduler: SyncScheduler) {
  return {
    /** One account (filterByTk) or all of the user's (S-SYNC-1). */
    [ACCOUNT_ACTIONS.syncNow]: action(async (ctx): Promise<SyncQueued> => {
      const id = ctx.action.params.filterByTk;
      const targets = id != null ? [await accounts.owned(userIdOf(ctx), id)] : await accounts.ownedModels(userIdOf(ctx));
      if (id != null && (await scheduler.isRunning(targets[0].get('id')))) throw new UserError(SYNC_BUSY_MESSAGE, 409);
      for (const account of targets) await scheduler.request(account.get('id'), 'manual');
      return { queued: targets.map((a) => a.get('id')) };
    }),
    /** Imports the window again, optionally from an earlier date; notes and labels stay (S-SYNC-7). */
    [ACCOUNT_ACTIONS.resync]: action(async (ctx): Promise<SyncQueued> => {
      const account = await accounts.owned(userIdOf(ctx), ctx.action.params.filterByTk);
      if (await scheduler.isRunning(account.get('id'))) throw new UserError(SYNC_BUSY_MESSAGE, 409);
      const requested = ctx.action.params.values?.syncStartDate;
      const syncStartDate = requested != null ? parseStartDate(requested) : account.get('syncStartDate');
      await accounts.state.requestResync(account.get('id'), syncStartDate);
      await scheduler.request(account.get('id'), 'resync');
      return { queued: [account.get('id')] };
    }),
    [ACCOUNT_ACTIONS.syncLogs]: action(async (ctx): Promise<SyncLogRow[]> => {
      const own = await accounts.ownedModels(userIdOf(ctx));
      const ids = own.map((a) => a.get('id'));
      const accountId = ctx.action.params.filter?.accountId ?? ctx.action.params.accountId;
      if (accountId != null && !ids.map(String).includes(String(accountId))) throw new UserError('Mail account not found', 404);
      const rows = await app.db.getRepository(COLLECTIONS.syncLogs).find({
        filter: { accountId: accountId != null ? Number(accountId) : { $in: ids } },
        sort: ['-startedAt', '-id'],
        limit: OWN_SYNC_LOG_ROWS,
      });
      return rows.map((r: Model) => r.toJSON());
    }),
  };
}

/** Settings → Sync logs (S-SYNC-10): every account's runs, for roles with the settings snippet. */
export function adminSyncLogActions(app: Application) {
  return {
    [SETTINGS_ACTIONS.syncLogs]: action(async (ctx) => {
      const pageSize = Math.min(Math.max(Number(ctx.action.params.pageSize) || ADMIN_SYNC_LOG_PAGE_SIZE, 1), OWN_SYNC_LOG_ROWS);
      const page = Math.max(Number(ctx.action.params.page) || 1, 1);
      const [rows, count] = await app.db.getRepository(COLLECTIONS.syncLogs).findAndCount({
        sort: ['-startedAt', '-id'],
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      const accountIds = [...new Set(rows.map((r) => r.get('accountId')))];
      const accounts = await app.db.getRepository(COLLECTIONS.accounts).find({ filter: { id: { $in: accountIds } }, fields: ['id', 'email'] });
      const emailOf = new Map<number, string>(accounts.map((a: Model) => [a.get('id'), a.get('email')]));
      // NocoBase answers { rows, count, … } as a page: `data` holds the rows, `meta` the rest.
      const list: AdminSyncLogRow[] = rows.map((r) => ({ ...r.toJSON<SyncLogRow>(), email: emailOf.get(r.get('accountId')) ?? null }));
      const meta: SyncLogListMeta = { count, page, pageSize, totalPage: Math.ceil(count / pageSize) };
      return { rows: list, ...meta };
    }),
  };
}
