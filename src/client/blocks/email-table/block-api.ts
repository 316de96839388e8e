import { ApiError, errorMessage } from '../../accounts/accounts-api';
import type { BlockFilter, BlockListMeta, BlockListQuery, BlockMessage, BlockRow } from '../../../shared/block-api';
import type { MailRequester } from '../../mail-center/mail-api';

export interface BlockPage {
  rows: BlockRow[];
  meta: BlockListMeta;
}

/** The Email table's and details' calls of src/shared/block-api.ts, typed. */
export interface BlockApi {
  list(query: Omit<BlockListQuery, 'filter'> & { filter?: BlockFilter }): Promise<BlockPage>;
  get(messageId: number): Promise<BlockMessage>;
}

async function call<T>(api: MailRequester, config: Parameters<MailRequester['request']>[0]): Promise<T> {
  try {
    const res = await api.request({ skipNotify: true, ...config });
    return res.data as T;
  } catch (error: any) {
    throw new ApiError(errorMessage(error), { status: error?.response?.status, ...(error?.response?.data?.errors?.[0] || {}) });
  }
}

export function blockApi(api: MailRequester): BlockApi {
  return {
    async list({ filter, ...query }) {
      // As NocoBase's own list: the filter travels as JSON in the query string.
      const params = { ...query, filter: filter && Object.keys(filter).length ? JSON.stringify(filter) : undefined };
      const body = await call<{ data: BlockRow[]; meta: BlockListMeta }>(api, { url: 'mailMessages:blockList', method: 'get', params });
      return { rows: body?.data || [], meta: body?.meta };
    },
    async get(messageId) {
      const body = await call<{ data: BlockMessage }>(api, { url: 'mailMessages:blockGet', method: 'get', params: { filterByTk: messageId } });
      return body.data;
    },
  };
}
