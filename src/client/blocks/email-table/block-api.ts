/** The Email table's and details' calls (src/shared/block-api.ts) through the client's one request helper. */
import { BLOCK_ACTIONS, type BlockFilter, type BlockListMeta, type BlockListQuery, type BlockMessage, type BlockRow } from '../../../shared/block-api';
import { call, type Requester } from '../../api';

export interface BlockPage {
  rows: BlockRow[];
  meta: BlockListMeta;
}

/** The Email table's and details' calls of src/shared/block-api.ts, typed. */
export interface BlockApi {
  list(query: Omit<BlockListQuery, 'filter'> & { filter?: BlockFilter }): Promise<BlockPage>;
  get(messageId: number): Promise<BlockMessage>;
}

export function blockApi(api: Requester): BlockApi {
  return {
    async list({ filter, ...query }) {
      // As NocoBase's own list: the filter travels as JSON in the query string.
      const params = { ...query, filter: filter && Object.keys(filter).length ? JSON.stringify(filter) : undefined };
      const body = await call<{ data: BlockRow[]; meta: BlockListMeta }>(api, { url: BLOCK_ACTIONS.list, method: 'get', params }, true);
      return { rows: body?.data || [], meta: body?.meta };
    },
    async get(messageId) {
      const body = await call<{ data: BlockMessage }>(api, { url: BLOCK_ACTIONS.get, method: 'get', params: { filterByTk: messageId } }, true);
      return body.data;
    },
  };
}
