import { Alert, Button, Empty, Pagination, Typography } from 'antd';
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { THREAD_PAGE_SIZES, ThreadRow } from '../../shared/mail-center-api';
import type { AccountsApi } from '../accounts/types';
import type { BulkApi } from './bulk/bulk-api-client';
import { BulkPlace, BulkTracking } from './bulk/BulkTracking';
import { useComposeContext } from '../compose/ComposeProvider';
import { useT } from '../locale';
import { MailCommand, useMailKeyboard } from './keyboard';
import type { MailApi } from './mail-api';
import { MailStyles } from './MailStyles';
import { ActionBar, MailHeader } from './MailToolbar';
import { Reader } from './Reader';
import { SettingsDialog, SettingsTab } from './SettingsDialog';
import { Sidebar } from './Sidebar';
import { SyncBanners } from './SyncBanners';
import { ThreadList } from './ThreadList';
import { activeFilterCount, MailView } from './types';
import { BatchAction, useMailActions } from './use-mail-actions';
import { useMailData } from './use-mail-data';
import { useSyncNow } from './use-sync-now';
import { emptyText } from './empty-text';
import { joinSubscriptions } from './mail-events';

export interface MailCenterProps {
  api: MailApi;
  accountsApi: AccountsApi;
  initialView?: MailView;
  /** A conversation to open at once (a deep link). */
  initialOpenId?: number | null;
  /** Mass Send Tracking's actions (S-BULK-5); without them its sidebar entry is hidden. */
  bulkApi?: BulkApi;
  /** Mass Send Tracking (or one of its jobs) to open at once (a deep link). */
  initialBulk?: BulkPlace | null;
  /** The view, open conversation or tracking place changed, e.g. to mirror it in the URL. */
  onLocationChange?(view: MailView, openId: number | null, bulk: BulkPlace | null): void;
  /** The server's mail-changed message (WebSocket); returns the unsubscribe function. */
  subscribeRemote?: (listener: () => void) => () => void;
  /** Fixed height in px (inside a page block); by default the page below the top bar. */
  height?: number;
}

/** The mail center (S-CENTER-*): sidebar, toolbar, conversation list or reader, settings. */
export function MailCenter({
  api,
  accountsApi,
  initialView,
  initialOpenId = null,
  bulkApi,
  initialBulk = null,
  onLocationChange,
  subscribeRemote,
  height,
}: MailCenterProps) {
  const t = useT();
  const compose = useComposeContext();
  // Lists also refresh when an editor saved, sent or discarded a draft.
  const subscribe = useMemo(() => joinSubscriptions(subscribeRemote, compose?.subscribe), [subscribeRemote, compose]);
  const data = useMailData({ api, accountsApi, initialView, subscribeRemote: subscribe });
  const { view, rows, meta, filters } = data;
  const { batch, toggleStar, afterChange } = useMailActions(api, data);
  const [openId, setOpenId] = useState<number | null>(initialOpenId);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [cursor, setCursor] = useState(0);
  const [settings, setSettings] = useState<SettingsTab | null>(null);
  const [syncBusy, setSyncBusy] = useState(false);
  /** Mass Send Tracking in place of the conversation list; a mail opened from it keeps it for Back. */
  const [bulk, setBulk] = useState<BulkPlace | null>(bulkApi ? initialBulk : null);

  // A new list starts without selection, the cursor on top.
  useEffect(() => {
    setSelected(new Set());
    setCursor(0);
  }, [view, filters, data.page, data.pageSize]);
  // Rows that left the list (archived, moved by a sync) leave the selection too.
  useEffect(() => {
    setSelected((set) => (set.size ? new Set([...set].filter((id) => rows.some((r) => r.id === id))) : set));
    setCursor((c) => Math.min(c, Math.max(0, rows.length - 1)));
  }, [rows]);

  useEffect(() => {
    onLocationChange?.(view, openId, bulk);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of place is reported, not a new callback
  }, [view, openId, bulk]);

  const changeView = (next: MailView) => {
    data.setView(next);
    setOpenId(null);
    setBulk(null);
  };

  const openRow = (row: ThreadRow) => {
    setCursor(Math.max(0, rows.findIndex((r) => r.id === row.id)));
    // A draft on its own opens in the editor (S-DRAFT-1); a draft reply shows in its conversation.
    if (compose && row.draft && (view.box === 'drafts' || row.messageCount <= 1)) {
      compose.openCompose({ draftId: row.id });
      return;
    }
    setOpenId(row.id);
  };

  const toggleSelect = useCallback((row: ThreadRow) => {
    setSelected((set) => {
      const next = new Set(set);
      if (next.has(row.id)) next.delete(row.id);
      else next.add(row.id);
      return next;
    });
  }, []);

  /** Acts on the open conversation, else the checked rows, else (keyboard) the cursor row. */
  const runBatch = async (action: BatchAction, fallback?: ThreadRow) => {
    const fromSelection = !openId && selected.size > 0;
    const ids = openId ? [openId] : fromSelection ? [...selected] : fallback ? [fallback.id] : [];
    // The selection is used up at once, as in Gmail: a key pressed while the change is on its way
    // acts on the cursor row, not again on the mail just archived. It comes back if the change fails.
    if (fromSelection) setSelected(new Set());
    const done = await batch(action, ids);
    if (!done) {
      if (fromSelection) setSelected(new Set(ids));
      return;
    }
    if (openId && action !== 'read') setOpenId(null);
  };

  const syncNow = useSyncNow(accountsApi, view.accountId, data.accounts, data.reloadAccounts, setSyncBusy);

  const onKey = (command: MailCommand) => {
    const current = rows[cursor];
    const move = (delta: number) => {
      if (!rows.length) return;
      const next = Math.min(rows.length - 1, Math.max(0, cursor + delta));
      setCursor(next);
      // In the reader, j/k step to the next/previous conversation, as in Gmail.
      if (openId) setOpenId(rows[next].id);
    };
    if (command === 'next') move(1);
    else if (command === 'prev') move(-1);
    else if (command === 'open' && !openId && current) openRow(current);
    else if (command === 'back') setOpenId(null);
    else if (command === 'select' && !openId && current) toggleSelect(current);
    else if (command === 'star') {
      const row = openId ? rows.find((r) => r.id === openId) : current;
      if (row) toggleStar(row);
    } else if ((command === 'archive' || command === 'trash') && view.box !== 'trash') {
      if (command === 'archive' && view.box === 'archive') return;
      runBatch(command, current);
    }
  };
  // The list's shortcuts act on conversations, which Mass Send Tracking does not show.
  useMailKeyboard(onKey, settings === null && !bulk);

  const accountsInView = view.accountId ? data.accounts.filter((a) => a.id === view.accountId) : data.accounts;
  const noAccounts = data.accountsLoaded && !data.accounts.length;

  return (
    <div className="emc-root" data-testid="mail-center" style={height ? { height } : undefined}>
      <MailStyles />
      <Sidebar
        accounts={data.accounts}
        counts={data.counts}
        labels={data.labels}
        view={view}
        onView={changeView}
        onAddAccount={() => setSettings('accounts')}
        onManageLabels={() => setSettings('labels')}
        bulkActive={Boolean(bulk)}
        onBulk={
          bulkApi
            ? () => {
                setBulk({ jobId: null });
                setOpenId(null);
              }
            : undefined
        }
      />
      <main className="emc-main">
        <MailHeader
          filters={filters}
          labels={data.labels}
          syncing={data.syncing}
          syncBusy={syncBusy}
          onFilters={(next) => {
            data.setFilters(next);
            setOpenId(null);
            setBulk(null);
          }}
          onSync={syncNow}
          onSettings={() => setSettings('accounts')}
          onCompose={compose ? () => compose.openCompose({ accountId: view.accountId }) : undefined}
        />
        <SyncBanners accounts={accountsInView} onReauthorize={() => setSettings('accounts')} />
        {/* Tracking has its own buttons; the bar stays for the reader's Back when a sent mail is open. */}
        {(!bulk || openId !== null) && (
          <ActionBar
            box={view.box}
            reading={openId !== null}
            selectedCount={selected.size}
            pageCount={rows.length}
            page={data.page}
            pageSize={data.pageSize}
            total={data.total}
            onSelectAll={(checked) => setSelected(checked ? new Set(rows.map((r) => r.id)) : new Set())}
            onAction={(action) => runBatch(action)}
            onBack={() => setOpenId(null)}
            onRefresh={data.refreshAll}
          />
        )}
        {data.error && !openId && !bulk && (
          <Alert
            type="error"
            showIcon
            style={{ margin: '8px 16px 0' }}
            message={t('The mail could not be loaded')}
            description={data.error}
            action={<Button onClick={data.reloadRows}>{t('Try again')}</Button>}
          />
        )}
        {view.box === 'trash' && !openId && !bulk && !view.labelId && !view.todo && (
          <Typography.Text type="secondary" style={{ padding: '8px 16px 0' }}>
            {t('Messages that have been in Trash more than 30 days will be automatically deleted')}
          </Typography.Text>
        )}
        <div className="emc-content">
          {openId !== null ? (
            <Reader
              key={openId}
              api={api}
              rowId={openId}
              accounts={data.accounts}
              labels={data.labels}
              onBack={() => setOpenId(null)}
              onChanged={afterChange}
              onLabelsChanged={data.reloadLabels}
              onCompose={
                compose
                  ? (mode, m) => compose.openCompose(mode === 'editDraft' ? { draftId: m.id } : { mode, replyToMessageId: m.id, accountId: m.accountId })
                  : undefined
              }
            />
          ) : bulk && bulkApi ? (
            <BulkTracking api={bulkApi} place={bulk} onPlace={setBulk} onOpenMail={setOpenId} subscribeRemote={subscribeRemote} />
          ) : noAccounts ? (
            <Empty style={{ marginTop: 96 }} description={t('No mailbox is linked yet')} data-testid="mail-no-accounts">
              <Button type="primary" onClick={() => setSettings('accounts')}>
                {t('Link a mailbox')}
              </Button>
            </Empty>
          ) : (
            <ThreadList
              rows={rows}
              loading={data.loading}
              view={view}
              emptyText={t(emptyText(view, Boolean(filters.q) || activeFilterCount(filters) > 0))}
              selected={selected}
              cursor={cursor}
              onToggleSelect={toggleSelect}
              onOpen={openRow}
              onStar={toggleStar}
            />
          )}
        </div>
        {openId === null && !bulk && (rows.length > 0 || data.page > 1) && (
          <div className="emc-footer">
            <Pagination
              size="small"
              current={data.page}
              pageSize={data.pageSize}
              // Until the total arrives, one page more than this one exists when the server says so.
              total={data.total ?? (data.page - 1) * data.pageSize + rows.length + (meta?.hasMore ? 1 : 0)}
              showSizeChanger
              pageSizeOptions={THREAD_PAGE_SIZES.map(String)}
              onChange={(page, size) => (size !== data.pageSize ? data.setPageSize(size) : data.setPage(page))}
              data-testid="mail-pagination"
            />
          </div>
        )}
      </main>
      <SettingsDialog
        tab={settings}
        onTab={setSettings}
        onClose={() => {
          setSettings(null);
          data.reloadLabels();
          data.refreshAll();
        }}
        api={api}
        accountsApi={accountsApi}
        labels={data.labels}
        onLabelsChanged={() => {
          data.reloadLabels();
          data.reloadRows();
        }}
      />
    </div>
  );
}
