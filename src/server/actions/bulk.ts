/** The bulk send actions of src/shared/bulk-api.ts. */
import type { Context } from '@nocobase/actions';
import { BULK_ACTIONS } from '../../shared/bulk-api';
import type { BulkJobService } from '../bulk/job-service';
import { action, inputOf, userIdOf } from './respond';

/**
 * Bulk send and its tracking (S-BULK-1…5), on the user's own jobs only (another user's: 404).
 * The contract is src/shared/bulk-api.ts. Create and preview pass the request on: the source rows
 * are read within the sender's ACL (S-ACL-9).
 */
export function bulkActions(jobs: BulkJobService) {
  return {
    [BULK_ACTIONS.create]: action((ctx) => jobs.create(ctx, userIdOf(ctx), inputOf(ctx))),
    [BULK_ACTIONS.preview]: action((ctx) => jobs.preview(ctx, inputOf(ctx))),
    [BULK_ACTIONS.listOwn]: page((ctx) => jobs.list(userIdOf(ctx), ctx.action.params)),
    [BULK_ACTIONS.getOwn]: action((ctx) => jobs.get(userIdOf(ctx), ctx.action.params.filterByTk)),
    [BULK_ACTIONS.recipients]: page((ctx) => jobs.recipientsOf(userIdOf(ctx), ctx.action.params.filterByTk, ctx.action.params)),
    [BULK_ACTIONS.cancel]: action((ctx) => jobs.cancel(userIdOf(ctx), inputOf(ctx).filterByTk, inputOf(ctx).recipientId)),
    [BULK_ACTIONS.resend]: action((ctx) => jobs.resend(userIdOf(ctx), inputOf(ctx).filterByTk, inputOf(ctx).recipientId)),
  };
}

/**
 * A page as the contract states it, `{ data: { rows, count, page, pageSize } }`: NocoBase's data
 * wrapping would otherwise turn a `{ rows, count }` body into `{ data: rows, meta }`.
 */
function page(body: (ctx: Context) => Promise<unknown>) {
  return action(async (ctx) => {
    const result = await body(ctx);
    ctx.withoutDataWrapping = true;
    return { data: result };
  });
}
