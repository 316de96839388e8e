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

/**
 * One page of the Email table from the server (pagination, sorting and filtering all happen
 * there); a newer query's answer always wins over an older one still on its way.
 */
export function useEmailRows(api: BlockApi, query: EmailRowsQuery) {
  const [rows, setRows] = useState<BlockRow[]>([]);
  const [meta, setMeta] = useState<BlockListMeta | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    const call = ++latest.current;
    setLoading(true);
    api
      .list(query)
      .then(
        (page) => {
          if (call !== latest.current) return;
          setRows(page.rows);
          setMeta(page.meta);
          setError(null);
        },
        (e: Error) => {
          if (call !== latest.current) return;
          setRows([]);
          setError(e.message);
        },
      )
      .finally(() => {
        if (call === latest.current) setLoading(false);
      });
    // `key` stands for `query`: a new object with the same content is the same query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, tick]);

  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return { rows, meta, loading, error, refresh };
}
