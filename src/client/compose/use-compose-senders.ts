import { message } from 'antd';
import { useCallback, useState } from 'react';
import type { AccountsApi, AccountView } from '../accounts/types';
import type { ComposeApi } from './compose-api';

/**
 * What every editor needs besides its own mail: the sender list and the user's auto-save switch.
 * `refresh()` asks again before each opening (an account may have been linked, an alias synced);
 * `ready` turns true once both answered, so a window can pick its default sender and look for a draft.
 */
export function useComposeSenders(api: ComposeApi, accountsApi: Pick<AccountsApi, 'list'>) {
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [ready, setReady] = useState(false);
  const [autoSave, setAutoSaveState] = useState(false);

  const refresh = useCallback(() => {
    Promise.all([
      accountsApi.list().then(setAccounts, () => undefined),
      api.settings().then((s) => setAutoSaveState(Boolean(s?.autoSave)), () => undefined),
    ]).then(() => setReady(true));
  }, [accountsApi, api]);

  /** One switch per user (S-DRAFT-2), shown at once, stored on the server; a failed store is undone. */
  const setAutoSave = useCallback(
    (on: boolean) => {
      setAutoSaveState(on);
      api.setSettings({ autoSave: on }).catch((error: Error) => {
        setAutoSaveState(!on);
        message.error(error.message);
      });
    },
    [api],
  );

  return { accounts, ready, autoSave, setAutoSave, refresh };
}
