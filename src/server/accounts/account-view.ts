import type { AccountView } from '../../shared/accounts-api';
import { isProviderName, PROVIDERS } from '../providers/registry';

export type { AccountView } from '../../shared/accounts-api';

const FIELDS = [
  'id',
  'provider',
  'email',
  'displayName',
  'status',
  'statusMessage',
  'syncStartDate',
  'lastSyncedAt',
  'importProgress',
  'syncStage',
  'throttledUntil',
  'lastSyncError',
  'folders',
  'aliases',
  'server',
  'workflowAccess',
  'createdAt',
] as const;

/** An explicit allow-list, so a column added later is not exposed by accident. */
export function toAccountView(model: { get(field: string): unknown }): AccountView {
  const view: Record<string, unknown> = {};
  for (const field of FIELDS) view[field] = model.get(field) ?? null;
  view.aliases = view.aliases || [];
  view.folders = view.folders || [];
  // Raw boolean columns may read 0/1 on some dialects.
  view.workflowAccess = view.workflowAccess === true || view.workflowAccess === 1 || view.workflowAccess === '1';
  const provider = view.provider;
  view.capabilities = isProviderName(provider) ? PROVIDERS[provider].capabilities : null;
  return view as unknown as AccountView;
}
