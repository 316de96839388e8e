import type { OpenComposeOptions } from '../../compose/compose-load';
import { planSendEmail, SendEmailContext, SendEmailSettings } from './send-email';

export interface RunSendEmailInput {
  settings: SendEmailSettings;
  context: SendEmailContext;
  /** The block's collection (NocoBase's Collection): its fields become bulk variables. */
  collection: any;
  translate(text: string): string;
  warn(message: string): void;
  open: ((options: OpenComposeOptions) => void) | null;
}

/**
 * The click of a "Send email" action, on either page kind: plans the mail (one, or a bulk job
 * of the ticked rows or all records) and opens the editor; a bulk job offers the rows' plain
 * fields as {{record.<field>}} variables (S-BULK-3).
 */
export async function runSendEmail({ settings, context, collection, translate, warn, open }: RunSendEmailInput) {
  if (!open) return;
  const plan = await planSendEmail(settings, context);
  if (plan.kind === 'error') return warn(translate(plan.message));
  if (plan.kind === 'single') return open({ to: plan.to });
  const fields = (collection?.getFields?.() || [])
    .filter((f: any) => f.interface && f.interface !== 'password' && !f.target)
    .map((f: any) => ({ name: f.name, title: translate(f.title || f.uiSchema?.title || f.name) }));
  open({ bulk: { source: plan.source, count: plan.source.filterByTk?.length, fields } });
}

/** Loads the record again with the to-one associations the email fields reach (`company.email`). */
export function recordLoader(api: { resource(name: string): any }, collection: any, record: Record<string, any> | null | undefined) {
  return async (appends: string[]) => {
    const key = record && collection?.getFilterByTK?.(record);
    if (key == null) return null;
    const res = await api.resource(collection.name).get({ filterByTk: key, appends });
    return res?.data?.data || null;
  };
}
