import { useState } from 'react';

/**
 * The list behind a compose toolbar picker (signatures, templates): fetched each time the menu
 * opens, so what was just added in Settings shows without reloading the page.
 */
export function usePickerList<T>(fetchList: () => Promise<T[]>) {
  const [list, setList] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    fetchList().then(setList, (e: Error) => setError(e.message));
  };
  return { list, error, load };
}

/** The disabled menu rows that say why the picker offers nothing (yet): empty, failed, loading. */
export function pickerStatusItems(list: unknown[] | null, error: string | null, labels: { empty: string; loading: string }) {
  return [
    ...(list && !list.length ? [{ key: 'empty', disabled: true, label: labels.empty }] : []),
    ...(error ? [{ key: 'error', disabled: true, danger: true, label: error }] : []),
    ...(list === null && !error ? [{ key: 'loading', disabled: true, label: labels.loading }] : []),
  ];
}
