import { Alert, App, Button, Space, Spin, Typography } from 'antd';
import React, { useCallback, useEffect, useState } from 'react';
import { useT } from '../locale';
import { AccountList } from './AccountList';
import { ConnectDialog, PROVIDER_TITLE } from './ConnectDialog';
import { ServerConnectDialog } from './ServerConnectDialog';
import { SyncLogDialog } from './SyncLogDialog';
import { ACCOUNTS_CHANNEL, AccountsApi, AccountView, ProviderName } from './types';
import { PROVIDER_NAMES, PROVIDER_SIGN_IN } from '../../shared/accounts-api';

export interface AccountsPanelProps {
  api: AccountsApi;
  /** Opens a new tab synchronously (inside the click, so no popup blocker interferes). */
  openTab?: () => Window | null;
}

/** How often the list refreshes while a sync is under way, to show its progress. */
export const PROGRESS_POLL_MS = 3000;

/** The user's linked mailboxes: connect, reauthorize, sync aliases, delete (S-CONN-1…8). */
export function AccountsPanel({ api, openTab = () => window.open('', '_blank') }: AccountsPanelProps) {
  const t = useT();
  const { message } = App.useApp();
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [configured, setConfigured] = useState<Record<ProviderName, boolean> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [connecting, setConnecting] = useState<ProviderName | null>(null);
  const [busy, setBusy] = useState<Record<number, string | undefined>>({});
  const [logOf, setLogOf] = useState<AccountView | null>(null);
  /** The IMAP/SMTP dialog: open for a new mailbox (null) or to enter an account's password again. */
  const [serverDialog, setServerDialog] = useState<{ account: AccountView | null } | null>(null);

  const reload = useCallback(async () => {
    try {
      const [list, providers] = await Promise.all([api.list(), api.providers()]);
      setAccounts(list);
      setConfigured(providers);
      setLoadError(null);
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }, [api]);

  useEffect(() => {
    reload();
    // The OAuth return page runs in another tab; it announces the result here.
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(ACCOUNTS_CHANNEL);
    channel.onmessage = (event) => {
      reload();
      if (event.data?.email) message.success(t('{{email}} is connected', { email: event.data.email }));
    };
    return () => channel.close();
  }, [reload, message, t]);

  // Follow a running import until it is done.
  const syncing = Boolean(accounts?.some((a) => a.status === 'syncing' || a.syncStage === 'importing'));
  useEffect(() => {
    if (!syncing) return;
    const timer = setInterval(reload, PROGRESS_POLL_MS);
    return () => clearInterval(timer);
  }, [syncing, reload]);

  /** Opens the tab first, then points it at the provider once the server returned the URL. */
  const goToProvider = async (input: Parameters<AccountsApi['authorize']>[0]) => {
    const tab = openTab();
    try {
      const { url } = await api.authorize(input);
      if (tab) tab.location.href = url;
      else window.location.href = url;
    } catch (error) {
      tab?.close();
      message.error((error as Error).message);
    }
  };

  const withBusy = async (account: AccountView, what: string, work: () => Promise<void>) => {
    setBusy((b) => ({ ...b, [account.id]: what }));
    try {
      await work();
    } catch (error) {
      message.error((error as Error).message);
    } finally {
      setBusy((b) => ({ ...b, [account.id]: undefined }));
    }
  };

  if (loadError) return <Alert type="error" showIcon message={t('The mail accounts could not be loaded')} description={loadError} />;
  if (!accounts || !configured) return <Spin />;

  const available = PROVIDER_NAMES.filter((p) => configured[p]);
  const oauth = available.filter((p) => PROVIDER_SIGN_IN[p] === 'oauth');
  const serverLogin = available.some((p) => PROVIDER_SIGN_IN[p] === 'password');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {available.length ? (
        <Space wrap>
          {oauth.map((provider) => (
            <Button key={provider} type="primary" onClick={() => setConnecting(provider)} data-testid={`connect-${provider}`}>
              {t('Connect {{provider}}', { provider: PROVIDER_TITLE[provider] })}
            </Button>
          ))}
          {serverLogin && (
            <Button onClick={() => setServerDialog({ account: null })} data-testid="connect-server">
              {t('Connect other mailbox')}
            </Button>
          )}
        </Space>
      ) : (
        <Alert type="info" showIcon message={t('Email is not configured yet. Ask your administrator.')} data-testid="not-configured" />
      )}
      <AccountList
        accounts={accounts}
        busy={busy}
        onReauthorize={(account) =>
          account.capabilities?.signIn === 'password'
            ? setServerDialog({ account })
            : withBusy(account, 'reauthorize', () => goToProvider({ accountId: account.id }))
        }
        onSyncAliases={(account) =>
          withBusy(account, 'aliases', async () => {
            const aliases = await api.syncAliases(account.id);
            message.success(t('{{count}} sender addresses', { count: aliases.length }));
            await reload();
          })
        }
        onSyncNow={(account) =>
          withBusy(account, 'sync', async () => {
            await api.syncNow(account.id);
            message.success(t('Sync of {{email}} started', { email: account.email }));
            await reload();
          })
        }
        onResync={(account) =>
          withBusy(account, 'resync', async () => {
            await api.resync(account.id);
            message.success(t('Resync of {{email}} started', { email: account.email }));
            await reload();
          })
        }
        onShowLog={setLogOf}
        onWorkflowAccess={(account, allowed) =>
          withBusy(account, 'workflow', async () => {
            const updated = await api.setWorkflowAccess(account.id, allowed);
            // The server's view is the truth (it may refuse); no reload of the whole list needed.
            setAccounts((list) => list && list.map((a) => (a.id === updated.id ? updated : a)));
          })
        }
        onDelete={(account) =>
          withBusy(account, 'delete', async () => {
            await api.remove(account.id);
            message.success(t('{{email}} was deleted', { email: account.email }));
            await reload();
          })
        }
      />
      <Typography.Text type="secondary">
        {t('Each mailbox is private to you. Linking an address you already have renews its access.')}
      </Typography.Text>
      <SyncLogDialog account={logOf} load={api.syncLogs} onClose={() => setLogOf(null)} />
      <ServerConnectDialog
        open={Boolean(serverDialog)}
        account={serverDialog?.account ?? null}
        onCancel={() => setServerDialog(null)}
        test={api.testServer}
        connect={api.connectServer}
        onConnected={({ account }) => {
          setServerDialog(null);
          message.success(t('{{email}} is connected', { email: account.email }));
          reload();
        }}
      />
      <ConnectDialog
        provider={connecting}
        onCancel={() => setConnecting(null)}
        onConnect={(provider, syncStartDate) => {
          setConnecting(null);
          goToProvider({ provider, syncStartDate });
        }}
      />
    </Space>
  );
}
