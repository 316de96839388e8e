import { Button, Result, Spin } from 'antd';
import React, { useEffect, useRef, useState } from 'react';
import { useT } from '../locale';
import { ACCOUNTS_CHANNEL, AccountsApi, AccountView } from './types';

/** The query parameters a provider sends back (RFC 6749 §4.1.2) that the server needs. */
const RETURN_PARAMS = ['code', 'state', 'error', 'error_description'];
/** How long the success page stays before it closes itself. */
export const CLOSE_DELAY_MS = 1500;

type Outcome =
  | { kind: 'working' }
  | { kind: 'done'; account: AccountView; reauthorized: boolean }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface OAuthReturnPageProps {
  api: AccountsApi;
  search: string;
  /** Closes this tab when a script opened it; returns false when the browser refused. */
  closeTab?: () => boolean;
  home?: string;
}

/**
 * `/admin/settings/mail/oauth2`: where Google and Microsoft send the user back (S-CONF-5). Hands
 * the code and state to the server once, tells the tab that started the flow, and closes itself.
 */
export function OAuthReturnPage({ api, search, closeTab = defaultCloseTab, home = '/admin' }: OAuthReturnPageProps) {
  const t = useT();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'working' });
  const sent = useRef(false);

  useEffect(() => {
    // A code is single-use: never post it twice (React may run effects twice in development).
    if (sent.current) return;
    sent.current = true;
    const query = new URLSearchParams(search);
    const values: Record<string, string> = {};
    for (const name of RETURN_PARAMS) if (query.has(name)) values[name] = query.get(name)!;
    api
      .complete(values)
      .then(({ account, reauthorized }) => {
        setOutcome({ kind: 'done', account, reauthorized });
        announce({ accountId: account.id, email: account.email });
        setTimeout(() => closeTab(), CLOSE_DELAY_MS);
      })
      .catch((error: Error) => {
        if (values.error === 'access_denied') setOutcome({ kind: 'cancelled' });
        else setOutcome({ kind: 'failed', message: error.message });
      });
  }, [api, search, closeTab]);

  const back = (
    <Button type="primary" key="back" onClick={() => closeTab() || window.location.assign(home)}>
      {t('Back to NocoBase')}
    </Button>
  );

  switch (outcome.kind) {
    case 'working':
      return <Result icon={<Spin size="large" />} title={t('Connecting your mailbox…')} />;
    case 'done':
      return (
        <Result
          status="success"
          title={outcome.reauthorized ? t('{{email}} is authorized again', { email: outcome.account.email }) : t('{{email}} is connected', { email: outcome.account.email })}
          subTitle={t('Mail is syncing in the background. This tab closes by itself.')}
          extra={[back]}
        />
      );
    case 'cancelled':
      return (
        <Result
          status="warning"
          title={t('Authorization was cancelled')}
          subTitle={t('Nothing was stored. If the provider refused your address, ask the administrator to add it as a test user of the app.')}
          extra={[back]}
        />
      );
    default:
      return <Result status="error" title={t('The mailbox could not be connected')} subTitle={outcome.message} extra={[back]} />;
  }
}

function announce(message: { accountId: number; email: string }) {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(ACCOUNTS_CHANNEL);
  channel.postMessage(message);
  channel.close();
}

function defaultCloseTab() {
  if (!window.opener) return false;
  window.close();
  return true;
}
