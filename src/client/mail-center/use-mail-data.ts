/** The mail center's data: accounts, the thread page and its total, counts and labels, kept fresh. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { LabelView, MailCounts, THREAD_PAGE_SIZES, ThreadListMeta, ThreadRow } from '../../shared/mail-center-api';
import type { AccountsApi } from '../accounts/types';
import { AnswerOrder } from '../lib/answer-order';
import type { MailApi } from './mail-api';
import { MailAccount, MailFilters, MailView, toThreadQuery } from './types';

/** How often the accounts are re-read while one syncs, for its progress line (as AccountsPanel does). */
export const SYNC_POLL_MS = 3000;
/** Several WebSocket messages in a burst (a sync run writes in chunks) cause one reload. */
const REMOTE_DEBOUNCE_MS = 400;

export interface MailDataOptions {
  api: MailApi;
  accountsApi: AccountsApi;
  initialView?: MailView;
  /** Subscribes to the server's mail-changed message; returns the unsubscribe function. */
  subscribeRemote?: (listener: () => void) => () => void;
}

/** Everything the mail center shows, loaded from the API and reloaded when it changes. */
export function useMailData({ api, accountsApi, initialView, subscribeRemote }: MailDataOptions) {
  const [view, setViewState] = useState<MailView>(initialView || { box: 'inbox' });
  const [filters, setFiltersState] = useState<MailFilters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSizeState] = useState<number>(THREAD_PAGE_SIZES[0]);
  const [rows, setRows] = useState<ThreadRow[]>([]);
  const [meta, setMeta] = useState<ThreadListMeta | null>(null);
  /** The query's total from `threadCount`; null until it answers (it may take longer than the page). */
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState<MailCounts | null>(null);
  const [labels, setLabels] = useState<LabelView[]>([]);
  const [accounts, setAccounts] = useState<MailAccount[]>([]);
  /** False until the first answer: "no mailbox linked" must not flash while loading. */
  const [accountsLoaded, setAccountsLoaded] = useState(false);
  const rowAnswers = useRef(new AnswerOrder());
  const totalAnswers = useRef(new AnswerOrder());

  const reloadRows = useCallback(async () => {
    // A slow answer for the previous box must not win; answers for this one show in order.
    const query = toThreadQuery(view, filters, page, pageSize);
    const answer = rowAnswers.current.ask(JSON.stringify(query));
    setLoading(true);
    try {
      const result = await api.threads(query);
      if (!answer.accept()) return;
      setRows(result.rows);
      setMeta(result.meta);
      setError(null);
      // A page emptied by archiving its last rows steps back.
      if (!result.rows.length && page > 1) setPage(page - 1);
    } catch (e) {
      if (answer.accept()) setError((e as Error).message);
    } finally {
      if (answer.current()) setLoading(false);
    }
  }, [api, view, filters, page, pageSize]);

  // The total does not depend on the page: it is asked again when the query or the mail changes.
  const reloadTotal = useCallback(async () => {
    const query = toThreadQuery(view, filters, 1, pageSize);
    const answer = totalAnswers.current.ask(JSON.stringify(query));
    try {
      const result = await api.threadCount(query);
      if (answer.accept()) setTotal(result.count);
    } catch {
      // Without a total the pagination still steps by `hasMore`.
      if (answer.accept()) setTotal(null);
    }
  }, [api, view, filters, pageSize]);

  const reloadCounts = useCallback(async () => {
    try {
      setCounts(await api.counts());
    } catch {
      // The counts are decoration; the list shows the real error.
    }
  }, [api]);

  const reloadLabels = useCallback(async () => {
    try {
      setLabels(await api.labels());
    } catch {
      // As for counts.
    }
  }, [api]);

  const reloadAccounts = useCallback(async () => {
    try {
      setAccounts((await accountsApi.list()) as MailAccount[]);
      setAccountsLoaded(true);
    } catch {
      // The accounts panel in Settings shows why.
    }
  }, [accountsApi]);

  useEffect(() => {
    reloadRows();
  }, [reloadRows]);

  useEffect(() => {
    setTotal(null);
    reloadTotal();
  }, [reloadTotal]);

  /** The list and its total, after a change to the mail. */
  const reloadList = useCallback(() => {
    reloadRows();
    reloadTotal();
  }, [reloadRows, reloadTotal]);

  useEffect(() => {
    reloadCounts();
    reloadLabels();
    reloadAccounts();
  }, [reloadCounts, reloadLabels, reloadAccounts]);

  const refreshAll = useCallback(() => {
    reloadList();
    reloadCounts();
    reloadAccounts();
  }, [reloadList, reloadCounts, reloadAccounts]);

  const latestRefresh = useRef(refreshAll);
  latestRefresh.current = refreshAll;
  useEffect(() => {
    if (!subscribeRemote) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribeRemote(() => {
      clearTimeout(timer);
      timer = setTimeout(() => latestRefresh.current(), REMOTE_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [subscribeRemote]);

  // Follow a running sync; when the last one ends, the list may have new mail.
  const syncing = accounts.some((a) => a.status === 'syncing' || a.syncStage === 'importing');
  const wasSyncing = useRef(false);
  useEffect(() => {
    if (wasSyncing.current && !syncing) latestRefresh.current();
    wasSyncing.current = syncing;
    if (!syncing) return;
    const timer = setInterval(reloadAccounts, SYNC_POLL_MS);
    return () => clearInterval(timer);
  }, [syncing, reloadAccounts]);

  const setView = useCallback((next: MailView) => {
    setViewState(next);
    setPage(1);
  }, []);
  const setFilters = useCallback((next: MailFilters) => {
    setFiltersState(next);
    setPage(1);
  }, []);
  const setPageSize = useCallback((size: number) => {
    setPageSizeState(size);
    setPage(1);
  }, []);

  return {
    view,
    setView,
    filters,
    setFilters,
    page,
    setPage,
    pageSize,
    setPageSize,
    rows,
    setRows,
    meta,
    total,
    loading,
    error,
    counts,
    labels,
    accounts,
    accountsLoaded,
    syncing,
    reloadRows,
    reloadList,
    reloadCounts,
    reloadLabels,
    reloadAccounts,
    refreshAll,
  };
}

export type MailData = ReturnType<typeof useMailData>;
