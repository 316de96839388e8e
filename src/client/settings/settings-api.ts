/** Settings → Email settings' calls (src/shared/settings-api.ts) through the client's one request helper. */
import { ADMIN_SYNC_LOG_PAGE_SIZE, SETTINGS_ACTIONS, type AdminSyncLogRow, type SettingsUpdate, type SettingsView, type SyncLogListMeta } from '../../shared/settings-api';
import { call, post, type Requester } from '../api';

/** The settings; a failure also shows the app's own error notification. */
export function loadSettings(api: Requester): Promise<SettingsView> {
  return call(api, { url: SETTINGS_ACTIONS.read, method: 'get', skipNotify: false });
}

/** Saves the changed fields; a 400 rejects with an ApiError whose `errors` name each bad field. */
export function saveSettings(api: Requester, update: SettingsUpdate): Promise<SettingsView> {
  return post(api, SETTINGS_ACTIONS.set, update);
}

export interface SyncLogPage {
  rows: AdminSyncLogRow[];
  count: number;
}

/** One page of every account's sync runs, newest first (S-SYNC-10). */
export async function loadSyncLogs(api: Requester, page: number, pageSize = ADMIN_SYNC_LOG_PAGE_SIZE): Promise<SyncLogPage> {
  const body = await call<{ data: AdminSyncLogRow[]; meta?: Partial<SyncLogListMeta> }>(
    api,
    { url: SETTINGS_ACTIONS.syncLogs, method: 'get', params: { page, pageSize } },
    true,
  );
  return { rows: body.data, count: body.meta?.count ?? 0 };
}
