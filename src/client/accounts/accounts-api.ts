import type { ApiRequester } from '../settings/settings-api';
import { AccountsApi } from './types';

/** The server's message for a failed call (`{ errors: [{ message }] }`), or the transport's. */
export function errorMessage(error: any): string {
  const errors: { message: string }[] | undefined = error?.response?.data?.errors;
  return errors?.length ? errors.map((e) => e.message).join('; ') : error?.message || String(error);
}

/** A failed call: the server's message, plus the extra fields its first error carried. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, any> = {},
  ) {
    super(message);
  }
}

async function call<T>(api: ApiRequester, url: string, data?: unknown): Promise<T> {
  try {
    const res = await api.request({ url, method: data === undefined ? 'get' : 'post', data, skipNotify: true });
    return res.data?.data as T;
  } catch (error: any) {
    throw new ApiError(errorMessage(error), error?.response?.data?.errors?.[0] || {});
  }
}

export function accountsApi(api: ApiRequester): AccountsApi {
  return {
    list: () => call(api, 'mailAccounts:listOwn'),
    providers: () => call(api, 'mailAccounts:providers'),
    authorize: (input) => call(api, 'mailAccounts:authorize', input),
    complete: (input) => call(api, 'mailAccounts:complete', input),
    syncAliases: async (accountId) => (await call<{ aliases: any[] }>(api, `mailAccounts:syncAliases?filterByTk=${accountId}`, {})).aliases,
    remove: async (accountId) => {
      await call(api, `mailAccounts:remove?filterByTk=${accountId}`, {});
    },
    syncNow: async (accountId) => {
      await call(api, `mailAccounts:syncNow?filterByTk=${accountId}`, {});
    },
    resync: async (accountId, syncStartDate) => {
      await call(api, `mailAccounts:resync?filterByTk=${accountId}`, syncStartDate ? { syncStartDate } : {});
    },
    syncLogs: (accountId) => call(api, `mailSyncLogs:listOwn?accountId=${accountId}`),
  };
}
