import { Button, Result, Spin } from 'antd';
import React, { useEffect, useRef, useState } from 'react';
import { useT } from '../locale';
import { ACCOUNTS_CHANNEL, AccountsApi, AccountView, ProviderName } from './types';

/** The query parameters a provider sends back (RFC 6749 §4.1.2) that the server needs. */
const RETURN_PARAMS = ['code', 'state', 'error', 'error_description'];
/** How long the success page stays before it closes itself. */
export const CLOSE_DELAY_MS = 1500;
/** S-CONN-3: a new account's page waits for its first mail (this many messages, or this long). */
export const FIRST_MAIL_COUNT = 50;
export const FIRST_MAIL_TIMEOUT_MS = 60_000;
const FIRST_MAIL_POLL_MS = 1000;

type Outcome =
  | { kind: 'working' }
  | { kind: 'importing'; account: AccountView; imported: number }
  | { kind: 'done'; account: AccountView; reauthorized: boolean; stillImporting?: boolean }
  | { kind: 'cancelled'; retry?: { provider?: ProviderName; accountId?: number; syncStartDate?: string } }
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
      .then(async ({ account, created, reauthorized }) => {
        const stillImporting = created ? !(await waitForFirstMail(api, account, (imported) => setOutcome({ kind: 'importing', account, imported }))) : false;
        setOutcome({ kind: 'done', account, reauthorized, stillImporting });
        announce({ accountId: account.id, email: account.email });
        if (!stillImporting) setTimeout(() => closeTab(), CLOSE_DELAY_MS);
      })
      .catch((error: Error & { details?: Record<string, any> }) => {
        if (values.error === 'access_denied') {
          const { provider, accountId, syncStartDate } = error.details || {};
          setOutcome({ kind: 'cancelled', retry: provider ? (accountId ? { accountId } : { provider, syncStartDate }) : undefined });
        }
        else setOutcome({ kind: 'failed', message: error.message });
      });
  }, [api, search, closeTab]);

  // Back to the provider in this same tab, with what the cancelled attempt asked for.
  const retry = (input: Parameters<AccountsApi['authorize']>[0]) =>
    api.authorize(input).then(
      ({ url }) => window.location.assign(url),
      (error: Error) => setOutcome({ kind: 'failed', message: error.message }),
    );

  const backButton = (primary: boolean) => (
    <Button key="back" type={primary ? 'primary' : 'default'} onClick={() => closeTab() || window.location.assign(home)}>
      {t('Back to NocoBase')}
    </Button>
  );
  const back = backButton(true);

  switch (outcome.kind) {
    case 'working':
      return <Result icon={<Spin size="large" />} title={t('Connecting your mailbox…')} />;
    case 'importing':
      return (
        <Result
          icon={<Spin size="large" />}
          title={t('{{email}} is connected', { email: outcome.account.email })}
          subTitle={t('Importing your newest mail… {{imported}} of {{count}}', { imported: Math.min(outcome.imported, FIRST_MAIL_COUNT), count: FIRST_MAIL_COUNT })}
        />
      );
    case 'done':
      return (
        <Result
          status="success"
          title={outcome.reauthorized ? t('{{email}} is authorized again', { email: outcome.account.email }) : t('{{email}} is connected', { email: outcome.account.email })}
          subTitle={
            outcome.stillImporting
              ? t('Your mail is still arriving. Refresh the mail list in a moment; the rest is imported in the background.')
              : t('Mail is syncing in the background. This tab closes by itself.')
          }
          extra={[back]}
        />
      );
    case 'cancelled':
      return (
        <Result
          status="warning"
          title={t('Authorization was cancelled')}
          subTitle={t('Nothing was stored. If the provider refused your address, ask the administrator to add it as a test user of the app.')}
          extra={[
            outcome.retry && (
              <Button key="retry" type="primary" data-testid="oauth-retry" onClick={() => retry(outcome.retry!)}>
                {t('Try again')}
              </Button>
            ),
            backButton(!outcome.retry),
          ].filter(Boolean)}
        />
      );
    default:
      return <Result status="error" title={t('The mailbox could not be connected')} subTitle={outcome.message} extra={[back]} />;
  }
}

/** Polls the account until its first mail is stored or the first import ended; false on timeout. */
async function waitForFirstMail(api: AccountsApi, account: AccountView, onProgress: (imported: number) => void) {
  const deadline = Date.now() + FIRST_MAIL_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const current = (await api.list().catch(() => [])).find((a) => a.id === account.id);
    const imported = current?.importProgress?.imported ?? 0;
    onProgress(imported);
    if (!current || imported >= FIRST_MAIL_COUNT || (current.lastSyncedAt && current.syncStage === 'idle') || current.status === 'reauthorize' || current.status === 'error') {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, FIRST_MAIL_POLL_MS));
  }
  return false;
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
