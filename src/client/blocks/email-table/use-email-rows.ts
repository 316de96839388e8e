import { useCallback, useEffect, useRef, useState } from 'react';
import type { BlockFilter, BlockListMeta, BlockRow, BlockScope, BlockSort } from '../../../shared/block-api';
import { AnswerOrder } from '../../lib/answer-order';
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
 * there); which answers show is AnswerOrder's rule. A refresh runs in the background, without
 * the spinner, and at most one is in flight: more asked meanwhile become one more after it.
 */
export function useEmailRows(api: BlockApi, query: EmailRowsQuery) {
  const [rows, setRows] = useState<BlockRow[]>([]);
  const [meta, setMeta] = useState<BlockListMeta | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  const current = useRef({ key, query, answers: new AnswerOrder(), inFlight: false, again: false });
  current.current.query = query;

  const load = useCallback(
    (background: boolean) => {
      const state = current.current;
      if (background && state.inFlight) {
        state.again = true;
        return;
      }
      const answer = state.answers.ask(state.key);
      state.inFlight = true;
      state.again = false;
      if (!background) setLoading(true);
      api
        .list(state.query)
        .then(
          (page) => {
            if (!answer.accept()) return;
            setRows(page.rows);
            setMeta(page.meta);
            setError(null);
          },
          (e: Error) => {
            if (!answer.accept()) return;
            if (!background) setRows([]);
            setError(e.message);
          },
        )
        .finally(() => {
          if (!answer.current()) return;
          state.inFlight = false;
          setLoading(false);
          if (state.again) load(true);
        });
    },
    [api],
  );

  useEffect(() => {
    // A new query (page, sort, filter): its answer is the only one that counts from now on.
    Object.assign(current.current, { key, inFlight: false, again: false });
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
