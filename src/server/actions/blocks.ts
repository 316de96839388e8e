/** The Email table and Email details blocks' actions (src/shared/block-api.ts). */
import { BLOCK_ACTIONS } from '../../shared/block-api';
import type { BlockQuery } from '../blocks/block-query';
import { action, inputOf } from './respond';

/**
 * The Email table / Email details blocks' reads (src/shared/block-api.ts). Who sees what is
 * decided in the query (block-scope.ts), never by the client.
 */
export function blockActions(query: BlockQuery) {
  return {
    [BLOCK_ACTIONS.list]: action(async (ctx) => {
      const { rows, meta } = await query.list(ctx, inputOf(ctx));
      // Answered as { data: rows, meta } like NocoBase's own list.
      ctx.withoutDataWrapping = true;
      return { data: rows, meta };
    }),
    [BLOCK_ACTIONS.get]: action((ctx) => query.get(ctx, ctx.action.params.filterByTk)),
  };
}
