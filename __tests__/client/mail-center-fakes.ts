import { vi } from 'vitest';
import type { AccountsApi, AccountView } from '../../src/client/accounts/types';
import type { MailApi } from '../../src/client/mail-center/mail-api';
import type { MailCounts, ThreadRow, ThreadView } from '../../src/shared/mail-center-api';

/** Test data for the mail-center component tests (not a test file itself). */
export const row = (over: Partial<ThreadRow> = {}): ThreadRow => ({
  id: 1,
  accountId: 1,
  threadId: 't1',
  subject: 'Quarterly report',
  snippet: 'Please find the numbers attached',
  correspondents: [{ name: 'Ann Lee', address: 'ann@x.example' }],
  date: '2026-01-05T09:30:00.000Z',
  messageCount: 1,
  unread: false,
  starred: false,
  hasAttachments: false,
  box: 'inbox',
  draft: false,
  scheduledAt: null,
  scheduleStatus: null,
  labels: [],
  todo: false,
  hasNote: false,
  ...over,
});

/** What the server says each provider can do (providers/registry.ts). */
const CAPABILITIES = {
  gmail: { grouping: 'labels', aliases: true, providerScheduledBox: true, signIn: 'oauth' },
  outlook: { grouping: 'folders', aliases: false, providerScheduledBox: false, signIn: 'oauth' },
  imap: { grouping: 'folders', aliases: false, providerScheduledBox: false, signIn: 'password' },
} as const;

export const account = (over: Partial<AccountView> = {}): AccountView => ({
  id: 1,
  provider: 'gmail',
  capabilities: CAPABILITIES[over.provider ?? 'gmail'],
  email: 'me@gmail.example',
  folders: [],
  displayName: 'Me',
  status: 'connected',
  statusMessage: null,
  syncStartDate: null,
  lastSyncedAt: null,
  importProgress: null,
  syncStage: 'idle',
  throttledUntil: null,
  lastSyncError: null,
  aliases: [],
  server: null,
  workflowAccess: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

export const counts = (over: Partial<MailCounts> = {}): MailCounts => ({ unread: 0, boxes: {}, accounts: {}, labels: {}, todo: 0, ...over });

export const threadView = (id: number, over: Partial<ThreadView> = {}): ThreadView => ({
  accountId: 1,
  threadId: `t${id}`,
  subject: `Subject ${id}`,
  messages: [
    {
      id,
      accountId: 1,
      threadId: `t${id}`,
      messageId: null,
      from: [{ name: 'Ann Lee', address: 'ann@x.example' }],
      to: [{ address: 'me@gmail.example' }],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: `Subject ${id}`,
      snippet: 'snippet',
      text: `Body of ${id}`,
      html: null,
      date: '2026-01-05T09:30:00.000Z',
      read: false,
      starred: false,
      draft: false,
      sent: false,
      box: 'inbox',
      folderIds: [],
      hasAttachments: false,
      attachments: [],
      labels: [],
    },
  ],
  labels: [],
  noteMessageId: id,
  note: null,
  editable: true,
  ...over,
});

export function fakeMailApi(rows: ThreadRow[], over: Partial<MailApi> = {}): MailApi {
  const ok = async () => ({ changed: 1 });
  return {
    threads: vi.fn(async (q) => ({ rows, meta: { page: q.page || 1, pageSize: q.pageSize || 20, hasMore: false } })),
    threadCount: vi.fn(async (q) => ({ count: rows.length, page: q.page || 1, pageSize: q.pageSize || 20, totalPage: 1 })),
    thread: vi.fn(async (id: number) => threadView(id)),
    counts: vi.fn(async () => counts()),
    unreadCount: vi.fn(async () => 0),
    setRead: vi.fn(ok),
    setStarred: vi.fn(ok),
    archive: vi.fn(ok),
    trash: vi.fn(ok),
    restore: vi.fn(ok),
    destroyForever: vi.fn(ok),
    setLabels: vi.fn(ok),
    labels: vi.fn(async () => []),
    saveLabel: vi.fn(async (v) => ({ id: 99, ...v })),
    removeLabel: vi.fn(async () => undefined),
    saveNote: vi.fn(async (v) => ({ messageId: v.messageId, note: v.note ?? null, todo: Boolean(v.todo), authorId: 1, authorName: 'Me', updatedAt: '2026-01-05T10:00:00Z' })),
    attachments: vi.fn(async () => []),
    download: vi.fn(async () => new Blob(['x'])),
    inlineImage: vi.fn(async () => new Blob(['x'], { type: 'image/png' })),
    ...over,
  };
}

export function fakeAccountsApi(accounts: AccountView[] = [account()]): AccountsApi {
  return {
    list: vi.fn(async () => accounts),
    providers: vi.fn(async () => ({ gmail: true, outlook: true, imap: false })),
    authorize: vi.fn(async () => ({ url: 'https://accounts.example' })),
    complete: vi.fn(),
    syncAliases: vi.fn(async () => []),
    remove: vi.fn(async () => undefined),
    syncNow: vi.fn(async () => undefined),
    resync: vi.fn(async () => undefined),
    syncLogs: vi.fn(async () => []),
    testServer: vi.fn(async () => ({ imap: { ok: true }, smtp: { ok: true } })),
    connectServer: vi.fn(),
    setWorkflowAccess: vi.fn(async (id: number, allowed: boolean) => ({ ...(accounts.find((a) => a.id === id) ?? account({ id })), workflowAccess: allowed })),
  } as AccountsApi;
}
