/** How an action answers: its result, or a UserError as `{ errors }` (src/shared/api-errors.ts). */
import type { Context } from '@nocobase/actions';
import type { HandlerType } from '@nocobase/resourcer';
import type { ApiErrorBody } from '../../shared/api-errors';
import { NAMESPACE } from '../constants';
import { UserError, ValidationError } from '../errors';

/**
 * Runs an action body and turns a UserError into an HTTP answer the client can show:
 * `{ errors: [{ message, field }] }` with the error's status. Anything else propagates to
 * NocoBase's error handler (500) after it is logged without request values, which may hold secrets.
 */
export async function respond(ctx: Context, body: () => Promise<unknown>) {
  try {
    ctx.body = await body();
  } catch (error) {
    if (error instanceof ValidationError) {
      ctx.status = 400;
      ctx.withoutDataWrapping = true;
      ctx.body = { errors: error.errors } satisfies ApiErrorBody;
      return;
    }
    if (error instanceof UserError) {
      ctx.status = error.status;
      ctx.withoutDataWrapping = true;
      const message = translator(ctx, NAMESPACE)(error.key, error.params);
      ctx.body = { errors: [{ message, ...(error.field ? { field: error.field } : {}), ...(error.details || {}) }] } satisfies ApiErrorBody;
      return;
    }
    throw error;
  }
}

/** ctx.t bound to the plugin namespace, so messages follow the X-Locale header. */
export function translator(ctx: Context, ns: string) {
  return (text: string, options?: Record<string, unknown>) => (ctx.t ? ctx.t(text, { ns, interpolation: { escapeValue: false }, ...options }) : text);
}

type Next = () => Promise<void>;

/**
 * A handler or middleware as NocoBase's resourcer takes it. The resourcer types the context it
 * passes loosely (ResourcerActionContext); it is the app's Koa context, Context of @nocobase/actions.
 */
export function handler(fn: (ctx: Context, next: Next) => Promise<void>): HandlerType {
  return fn as HandlerType;
}

/** A resource action whose body's result is the answer (see respond). */
export function action(body: (ctx: Context) => Promise<unknown>) {
  return handler(async (ctx, next) => {
    await respond(ctx, () => body(ctx));
    await next();
  });
}

export const userIdOf = (ctx: Context): number => ctx.state.currentUser?.id;
/**
 * POST bodies arrive as `values`; GET parameters as the params themselves. Unchecked: `T` is the
 * shape the client is meant to send, which the service checks.
 */
export const inputOf = <T = Record<string, unknown>>(ctx: Context): NoInfer<T> => ({ ...(ctx.action?.params || {}), ...(ctx.action?.params?.values || {}) });
