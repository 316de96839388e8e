/** What the API returns for an account: never its tokens. */
export interface AccountView {
  id: number;
  provider: string;
  email: string;
  displayName: string | null;
  status: string;
  statusMessage: string | null;
  syncStartDate: string | null;
  lastSyncedAt: string | null;
  importProgress: unknown;
  syncStage: string | null;
  throttledUntil: string | null;
  lastSyncError: string | null;
  folders: unknown[];
  aliases: unknown[];
  createdAt: string;
}

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
  'createdAt',
] as const;

/** An explicit allow-list, so a column added later is not exposed by accident. */
export function toAccountView(model: any): AccountView {
  const view: any = {};
  for (const field of FIELDS) view[field] = model.get(field) ?? null;
  view.aliases = view.aliases || [];
  view.folders = view.folders || [];
  return view as AccountView;
}
