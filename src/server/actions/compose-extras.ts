/** The editor's extras actions of src/shared/compose-extras-api.ts. */
import { COMPOSE_EXTRAS_ACTIONS } from '../../shared/compose-extras-api';
import type { AddressSuggestService } from '../compose/address-suggest';
import type { ComposeSettingsService } from '../compose/compose-settings';
import type { DraftLookup } from '../compose/draft-lookup';
import type { SignatureService } from '../compose/signatures';
import type { TemplateService } from '../compose/templates';
import type { ScheduleService } from '../send/schedule-service';
import { action, inputOf, userIdOf } from './respond';

export interface ComposeExtrasServices {
  signatures: SignatureService;
  templates: TemplateService;
  settings: ComposeSettingsService;
  lookup: DraftLookup;
  schedules: ScheduleService;
  addresses: AddressSuggestService;
}

/**
 * The editor's extras: signatures, templates, the auto-save setting, draft restore, schedule
 * send and address suggestions, each on the user's own rows only. The contract is src/shared/compose-extras-api.ts.
 */
export function composeExtrasActions(s: ComposeExtrasServices) {
  return {
    [COMPOSE_EXTRAS_ACTIONS.signatures]: action((ctx) => s.signatures.list(userIdOf(ctx), ctx.action.params.accountId)),
    [COMPOSE_EXTRAS_ACTIONS.defaultSignature]: nullable((ctx) => s.signatures.defaultFor(userIdOf(ctx), ctx.action.params.accountId)),
    [COMPOSE_EXTRAS_ACTIONS.saveSignature]: action((ctx) => s.signatures.save(userIdOf(ctx), inputOf(ctx))),
    [COMPOSE_EXTRAS_ACTIONS.removeSignature]: action((ctx) => s.signatures.remove(userIdOf(ctx), inputOf(ctx).filterByTk)),
    [COMPOSE_EXTRAS_ACTIONS.templates]: action((ctx) => s.templates.list(userIdOf(ctx))),
    [COMPOSE_EXTRAS_ACTIONS.saveTemplate]: action((ctx) => s.templates.save(userIdOf(ctx), inputOf(ctx))),
    [COMPOSE_EXTRAS_ACTIONS.removeTemplate]: action((ctx) => s.templates.remove(userIdOf(ctx), inputOf(ctx).filterByTk)),
    [COMPOSE_EXTRAS_ACTIONS.readSettings]: action((ctx) => s.settings.read(userIdOf(ctx))),
    [COMPOSE_EXTRAS_ACTIONS.setSettings]: action((ctx) => s.settings.set(userIdOf(ctx), inputOf(ctx))),
    /** `?accountId=&from=&to[]=&mode=&replyToMessageId=` → `{ draftId }` or null. */
    [COMPOSE_EXTRAS_ACTIONS.findDraft]: nullable((ctx) => s.lookup.find(userIdOf(ctx), ctx.action.params)),
    [COMPOSE_EXTRAS_ACTIONS.schedule]: action((ctx) => s.schedules.schedule(userIdOf(ctx), inputOf(ctx))),
    [COMPOSE_EXTRAS_ACTIONS.cancelSchedule]: action((ctx) => s.schedules.cancel(userIdOf(ctx), inputOf(ctx).filterByTk)),
    [COMPOSE_EXTRAS_ACTIONS.listScheduled]: action((ctx) => s.schedules.list(userIdOf(ctx), ctx.action.params.accountId)),
    /** `?q=` → the user's past correspondents starting with q (S-SEND-4). */
    [COMPOSE_EXTRAS_ACTIONS.addresses]: action((ctx) => s.addresses.suggest(userIdOf(ctx), ctx.action.params.q)),
  };
}

/** An answer that may be null: sent as `{ data: null }` (an empty body would be a 204 without JSON). */
function nullable(body: (ctx: any) => Promise<unknown>) {
  return action(async (ctx) => {
    const result = await body(ctx);
    if (result != null) return result;
    ctx.withoutDataWrapping = true;
    return { data: null };
  });
}
