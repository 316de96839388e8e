/** Keeps secret request fields out of NocoBase's request log (S-ACL-7). */
import type { Context } from '@nocobase/actions';
import type Application from '@nocobase/server';
import { handler } from './respond';

const REDACTED = '[redacted]';
const STATE_KEY = 'emailManagerSecretValues';

/**
 * NocoBase's request logger writes the action params (request values included) when the response
 * is done, hiding only password fields — also when the request failed auth or ACL. So, before
 * anything else handles a request to one of the given actions, the named fields are copied aside
 * for the action and overwritten in the params; no secret reaches a log (S-ACL-7).
 */
export function registerSecretRedaction(app: Application, fieldsByAction: Record<string, string[]>) {
  app.resourceManager.use(
    handler(async function emailManagerRedactSecrets(ctx, next) {
      const fields = fieldsByAction[`${ctx.action?.resourceName}:${ctx.action?.actionName}`];
      const values = ctx.action?.params?.values;
      if (fields && values && typeof values === 'object') {
        ctx.state[STATE_KEY] = structuredClone(values);
        for (const field of fields) {
          if (values[field] != null && values[field] !== '') values[field] = REDACTED;
        }
      }
      await next();
    }),
    { tag: 'emailManagerRedactSecrets', before: 'acl' },
  );
}

/** The request values as the client sent them (secrets included), for the action itself. */
export function unredactedValues(ctx: Context): unknown {
  return ctx.state[STATE_KEY] ?? ctx.action?.params?.values;
}
