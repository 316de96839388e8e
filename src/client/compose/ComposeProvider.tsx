import { message } from 'antd';
import React, { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { AccountsApi } from '../accounts/types';
import { useT } from '../locale';
import { notifyMailChanged } from '../mail-center/mail-events';
import type { ComposeApi } from './compose-api';
import type { OpenComposeOptions } from './compose-load';
import { ComposeStyles } from './ComposeStyles';
import { ComposeWindow } from './ComposeWindow';
import { useComposeSenders } from './use-compose-senders';

export type { OpenComposeOptions };

export interface ComposeContextValue {
  openCompose(options?: OpenComposeOptions): void;
  /** Called after this user's mail changed through an editor (a save, send or discard). */
  subscribe(listener: () => void): () => void;
  /** The editor's API (signatures and templates for the Settings panels, among others). */
  api: ComposeApi;
}

const ComposeContext = createContext<ComposeContextValue | null>(null);

/** The editor's entry point for the mail center and page blocks; null outside a ComposeProvider. */
export function useComposeContext(): ComposeContextValue | null {
  return useContext(ComposeContext);
}

export interface ComposeProviderProps {
  api: ComposeApi;
  accountsApi: Pick<AccountsApi, 'list'>;
  userId?: number | string | null;
  /** More tools for every editor's toolbar, after the signature and template icons. */
  toolbarExtra?: React.ReactNode;
  children?: React.ReactNode;
}

interface OpenWindow {
  id: number;
  options: OpenComposeOptions;
}

const WINDOW_WIDTH = 600;
const GAP = 16;
/**
 * The first window keeps clear of the page's bottom-right corner, where NocoBase's AI employee
 * button floats (z-index 1050, above us: raising the window over it would also put it over the
 * Select and colour pickers it opens, which use the same layer).
 */
const RIGHT_MARGIN = 88;

/** As many windows as fit beside each other (at least one, at most three). */
function maxWindows() {
  const width = typeof window === 'undefined' ? 1280 : window.innerWidth;
  return Math.min(3, Math.max(1, Math.floor((width - RIGHT_MARGIN) / (WINDOW_WIDTH + GAP))));
}

/**
 * Holds the open compose windows (docked bottom right, side by side) and lends `openCompose`
 * to everything below it. Opening a draft that is already open shows that window instead.
 */
export function ComposeProvider({ api, accountsApi, userId, toolbarExtra, children }: ComposeProviderProps) {
  const t = useT();
  const [windows, setWindowsState] = useState<OpenWindow[]>([]);
  const current = useRef(windows);
  const setWindows = useCallback((next: OpenWindow[]) => {
    current.current = next;
    setWindowsState(next);
  }, []);
  const { accounts, ready, autoSave, setAutoSave, refresh } = useComposeSenders(api, accountsApi);
  const nextId = useRef(1);
  const listeners = useRef(new Set<() => void>());

  const openCompose = useCallback(
    (options: OpenComposeOptions = {}) => {
      refresh();
      const list = current.current;
      if (options.draftId && list.some((w) => w.options.draftId === options.draftId)) return;
      // Never push a window with unsaved text away: the user closes one first.
      if (list.length >= maxWindows()) {
        message.warning(t('Close one of the open emails first'));
        return;
      }
      setWindows([...list, { id: nextId.current++, options }]);
    },
    [refresh, setWindows, t],
  );

  const changed = useCallback(() => {
    notifyMailChanged();
    listeners.current.forEach((listener) => listener());
  }, []);

  const subscribe = useCallback((listener: () => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo(() => ({ openCompose, subscribe, api }), [openCompose, subscribe, api]);
  return (
    <ComposeContext.Provider value={value}>
      {children}
      {windows.length > 0 && <ComposeStyles />}
      {windows.map((w, index) => (
        <ComposeWindow
          key={w.id}
          api={api}
          options={w.options}
          accounts={accounts}
          ready={ready}
          autoSave={autoSave}
          setAutoSave={setAutoSave}
          userId={userId}
          right={RIGHT_MARGIN + index * (WINDOW_WIDTH + GAP)}
          onMailChanged={changed}
          onClosed={() => setWindows(current.current.filter((x) => x.id !== w.id))}
          toolbarExtra={toolbarExtra}
        />
      ))}
    </ComposeContext.Provider>
  );
}
