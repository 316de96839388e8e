/**
 * Flow-engine action handlers are plain functions, not React components, so they cannot call
 * `useComposeContext()`. This provider (added inside the app's ComposeAppProvider) lends the
 * editor's `openCompose` to them, and to page blocks rendered in portals.
 */
import React, { useEffect } from 'react';
import { useComposeContext } from '../compose/ComposeProvider';
import type { OpenComposeOptions } from '../compose/compose-load';

type Open = (options: OpenComposeOptions) => void;
let current: Open | null = null;

export function ComposeBridgeProvider({ children }: React.PropsWithChildren) {
  const compose = useComposeContext();
  useEffect(() => {
    current = compose ? compose.openCompose : null;
  }, [compose]);
  return <>{children}</>;
}

/** The editor's `openCompose`, or null before the app has rendered its providers. */
export function bridgedOpenCompose(): Open | null {
  return current;
}
