import { useCallback, useEffect, useRef, useState } from 'react';
import type { BlockFilter, BlockListMeta, BlockRow, BlockScope, BlockSort } from '../../../shared/block-api';
import type { BlockApi } from './block-api';

export interface EmailRowsQuery {
  scope: BlockScope;
  filter: BlockFilter;
  page: number;
  pageSize: number;
  sort: BlockSort;
}

/** Refreshes asked for within this window (a burst of mail changes from other tabs) load once. */
export const REFRESH_DEBOUNCE_MS = 400;

/**
 * One page of the Email table from the server (pagination, sorting and filtering all happen
 * there). Answers to an older query are dropped; answers to the current one are shown in the
 * order they were asked, even while a newer refresh is on its way. (Dropping every answer but
 * the latest starved the table: with mail changing every second in other tabs and a list taking
 * longer than that, no page ever showed.) A refresh runs in the background, without the
 * spinner, and at most one is in flight: more asked meanwhile become one more after it.
 */
export function useEmailRows(api: BlockApi, query: EmailRowsQuery) {
  const [rows, setRows] = useState<BlockRow[]>([]);
  const [meta, setMeta] = useState<BlockListMeta | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  const current = useRef({ key, query, asked: 0, shown: 0, inFlight: false, again: false });
  current.current.query = query;

  const load = useCallback(
    (background: boolean) => {
      const state = current.current;
      if (background && state.inFlight) {
        state.again = true;
        return;
      }
      const forKey = state.key;
      const call = ++state.asked;
      state.inFlight = true;
      state.again = false;
      if (!background) setLoading(true);
      const fresh = () => state.key === forKey && call > state.shown;
      api
        .list(state.query)
        .then(
          (page) => {
            if (!fresh()) return;
            state.shown = call;
            setRows(page.rows);
            setMeta(page.meta);
            setError(null);
          },
          (e: Error) => {
            if (!fresh()) return;
            state.shown = call;
            if (!background) setRows([]);
            setError(e.message);
          },
        )
        .finally(() => {
          if (state.key !== forKey || call !== state.asked) return;
          state.inFlight = false;
          setLoading(false);
          if (state.again) load(true);
        });
    },
    [api],
  );

  useEffect(() => {
    // A new query (page, sort, filter): its answer is the only one that counts from now on.
    Object.assign(current.current, { key, shown: 0, inFlight: false, again: false });
    load(false);
    // `key` stands for `query`: a new object with the same content is the same query.
  }, [key, load]);

  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const refresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => load(true), REFRESH_DEBOUNCE_MS);
  }, [load]);
  return { rows, meta, loading, error, refresh };
}
