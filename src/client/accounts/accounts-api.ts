/** The accounts UI's calls (src/shared/accounts-api.ts) through the client's one request helper. */
import { ACCOUNT_ACTIONS, type SyncAliasesResult } from '../../shared/accounts-api';
import { get, post, type Requester } from '../api';
import type { AccountsApi } from './types';

export function accountsApi(api: Requester): AccountsApi {
  return {
    list: () => get(api, ACCOUNT_ACTIONS.listOwn),
    providers: () => get(api, ACCOUNT_ACTIONS.providers),
    authorize: (input) => post(api, ACCOUNT_ACTIONS.authorize, input),
    complete: (input) => post(api, ACCOUNT_ACTIONS.complete, input),
    syncAliases: async (accountId) => (await post<SyncAliasesResult>(api, ACCOUNT_ACTIONS.syncAliases, {}, { filterByTk: accountId })).aliases,
    remove: async (accountId) => {
      await post(api, ACCOUNT_ACTIONS.remove, {}, { filterByTk: accountId });
    },
    syncNow: async (accountId) => {
      await post(api, ACCOUNT_ACTIONS.syncNow, {}, { filterByTk: accountId });
    },
    resync: async (accountId, syncStartDate) => {
      await post(api, ACCOUNT_ACTIONS.resync, syncStartDate ? { syncStartDate } : {}, { filterByTk: accountId });
    },
    syncLogs: (accountId) => get(api, ACCOUNT_ACTIONS.syncLogs, { accountId }),
    testServer: (input) => post(api, ACCOUNT_ACTIONS.testServer, input),
    connectServer: (input) => post(api, ACCOUNT_ACTIONS.connectServer, input),
    setWorkflowAccess: (accountId, allowed) => post(api, ACCOUNT_ACTIONS.setWorkflowAccess, { allowed }, { filterByTk: accountId }),
  };
}
