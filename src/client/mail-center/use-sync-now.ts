/** "Sync now" in the mail center's toolbar: every mailbox in view that can sync, one request each. */
import { App } from 'antd';
import type { AccountsApi } from '../accounts/types';
import { useT } from '../locale';
import type { MailAccount } from './types';

export function useSyncNow(
  accountsApi: AccountsApi,
  accountId: number | undefined,
  accounts: MailAccount[],
  reloadAccounts: () => void,
  setBusy: (busy: boolean) => void,
) {
  const t = useT();
  const { message } = App.useApp();
  return async () => {
    const inView = accountId ? accounts.filter((a) => a.id === accountId) : accounts;
    const targets = inView.filter((a) => a.status !== 'reauthorize' && a.status !== 'disabled');
    if (!targets.length) {
      message.info(t('There is no mailbox to sync'));
      return;
    }
    setBusy(true);
    const errors = new Set<string>();
    for (const account of targets) {
      try {
        await accountsApi.syncNow(account.id);
      } catch (error) {
        errors.add((error as Error).message);
      }
    }
    setBusy(false);
    if (errors.size < targets.length) message.success(t('Sync started'));
    errors.forEach((text) => message.warning(text));
    reloadAccounts();
  };
}
