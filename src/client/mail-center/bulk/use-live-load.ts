import { useCallback, useEffect, useRef, useState } from 'react';

/** While a job sends, its numbers are asked for this often (the runner waits ~2 s between mails). */
export const BULK_POLL_MS = 3000;
/** A scheduled job starts by itself: checked now and then, so the view does not stay stale for hours. */
export const BULK_SCHEDULED_POLL_MS = 30_000;
/** Several WebSocket messages in a burst cause one reload. */
const REMOTE_DEBOUNCE_MS = 400;

export interface LiveLoadOptions<T> {
  /** Asks the server; a new function (new page, new job) loads again at once. */
  load: () => Promise<T>;
  /** While the answer may still change by itself, how often to ask again (ms); false: it will not. */
  live: (data: T) => number | false;
  /** The server's mail-changed message (a bulk mail stored in Sent); returns the unsubscribe function. */
  subscribeRemote?: (listener: () => void) => () => void;
}

/**
 * Data that follows a running job: loaded when `load` changes, polled while `live`, reloaded on
 * the server's message. Only the newest request may write, so a slow answer never overwrites a
 * newer one; a failed poll keeps the data shown and reports the error.
 */
export function useLiveLoad<T>({ load, live, subscribeRemote }: LiveLoadOptions<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const request = useRef(0);

  /** `quiet`: a poll, which must not flash the loading state every few seconds. */
  const reload = useCallback(async (quiet = false) => {
    const id = ++request.current;
    if (!quiet) setLoading(true);
    try {
      const result = await load();
      if (id !== request.current) return;
      setData(result);
      setError(null);
    } catch (e) {
      if (id === request.current) setError((e as Error).message);
    } finally {
      if (id === request.current) setLoading(false);
    }
  }, [load]);

  useEffect(() => {
    reload();
  }, [reload]);

  const latest = useRef(reload);
  latest.current = reload;
  const pollMs = data === null ? false : live(data);
  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(() => latest.current(true), pollMs);
    return () => clearInterval(timer);
  }, [pollMs]);

  useEffect(() => {
    if (!subscribeRemote) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = subscribeRemote(() => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(true), REMOTE_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [subscribeRemote]);

  return { data, error, loading, reload: useCallback(() => reload(true), [reload]), live: Boolean(pollMs) };
}
