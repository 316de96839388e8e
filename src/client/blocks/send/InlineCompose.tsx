/**
 * The Email send block's form (S-BLOCK-6): the app's compose editor laid out in the page instead
 * of docked, starting from the block's default values. Sending (or clearing) starts a fresh form
 * with the same defaults. Self-contained: flow-engine popups render outside the app's provider
 * tree, so it wires the API client itself rather than borrowing the app's ComposeProvider.
 */
import { useAPIClient, useCurrentUserContext } from '@nocobase/client';
import React, { useEffect, useMemo, useState } from 'react';
import { accountsApi } from '../../accounts/accounts-api';
import { composeApi } from '../../compose/compose-api';
import type { OpenComposeOptions } from '../../compose/compose-load';
import { ComposeStyles } from '../../compose/ComposeStyles';
import { ComposeWindow } from '../../compose/ComposeWindow';
import { useComposeSenders } from '../../compose/use-compose-senders';
import { notifyMailChanged } from '../../mail-center/mail-events';

export interface InlineComposeProps {
  /** The block's default values (variables already resolved). */
  defaults: Pick<OpenComposeOptions, 'to' | 'cc' | 'bcc' | 'subject' | 'body'>;
  userId?: number | string | null;
}

export function InlineCompose({ defaults, userId }: InlineComposeProps) {
  const apiClient = useAPIClient();
  const currentUser = useCurrentUserContext();
  const api = useMemo(() => composeApi(apiClient as any), [apiClient]);
  const accounts = useMemo(() => accountsApi(apiClient as any), [apiClient]);
  const senders = useComposeSenders(api, accounts);
  /** Bumped after a send or clear: the form starts over from the defaults. */
  const [round, setRound] = useState(0);
  // One options object per set of defaults; a send or clear remounts the window through its key.
  const defaultsKey = JSON.stringify(defaults);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- defaultsKey stands for defaults (equal defaults, same options)
  const options = useMemo(() => ({ ...defaults }), [defaultsKey]);
  const refreshSenders = senders.refresh;
  useEffect(() => refreshSenders(), [refreshSenders, round]);

  return (
    <div data-testid="email-send-block">
      <ComposeStyles />
      <ComposeWindow
        key={`${round}:${defaultsKey}`}
        inline
        api={api}
        options={options}
        accounts={senders.accounts}
        ready={senders.ready}
        autoSave={senders.autoSave}
        setAutoSave={senders.setAutoSave}
        userId={userId ?? currentUser?.data?.data?.id ?? null}
        right={0}
        onMailChanged={notifyMailChanged}
        onClosed={() => setRound((n) => n + 1)}
      />
    </div>
  );
}
