import type { BlockQuery } from '../blocks/block-query';
import { action, inputOf } from './respond';

/**
 * The Email table / Email details blocks' reads (src/shared/block-api.ts). Who sees what is
 * decided in the query (block-scope.ts), never by the client.
 */
export function blockActions(query: BlockQuery) {
  return {
    'mailMessages:blockList': action(async (ctx) => {
      const { rows, meta } = await query.list(ctx, inputOf(ctx));
      // Answered as { data: rows, meta } like NocoBase's own list.
      ctx.withoutDataWrapping = true;
      return { data: rows, meta };
    }),
    'mailMessages:blockGet': action((ctx) => query.get(ctx, ctx.action.params.filterByTk)),
  };
}
