/** The editor's helper actions (signatures, templates, suggestions, settings) of src/shared/compose-api.ts. */
import type { Context } from '@nocobase/actions';
import { COMPOSE_ACTIONS } from '../../shared/compose-api';
import type { AddressSuggestService } from '../compose/address-suggest';
import type { ComposeSettingsService } from '../compose/compose-settings';
import type { DraftLookup } from '../compose/draft-lookup';
import type { SignatureService } from '../compose/signatures';
import type { TemplateService } from '../compose/templates';
import type { ScheduleService } from '../send/schedule-service';
import { action, inputOf, userIdOf } from './respond';

export interface ComposeServices {
  signatures: SignatureService;
  templates: TemplateService;
  settings: ComposeSettingsService;
  lookup: DraftLookup;
  schedules: ScheduleService;
  addresses: AddressSuggestService;
}

/**
 * What serves the editor: signatures, templates, the auto-save setting, draft restore, schedule
 * send and address suggestions, each on the user's own rows only. The contract is src/shared/compose-api.ts.
 */
export function composeActions(s: ComposeServices) {
  return {
    [COMPOSE_ACTIONS.signatures]: action((ctx) => s.signatures.list(userIdOf(ctx), ctx.action.params.accountId)),
    [COMPOSE_ACTIONS.defaultSignature]: nullable((ctx) => s.signatures.defaultFor(userIdOf(ctx), ctx.action.params.accountId)),
    [COMPOSE_ACTIONS.saveSignature]: action((ctx) => s.signatures.save(userIdOf(ctx), inputOf(ctx))),
    [COMPOSE_ACTIONS.removeSignature]: action((ctx) => s.signatures.remove(userIdOf(ctx), inputOf(ctx).filterByTk)),
    [COMPOSE_ACTIONS.templates]: action((ctx) => s.templates.list(userIdOf(ctx))),
    [COMPOSE_ACTIONS.saveTemplate]: action((ctx) => s.templates.save(userIdOf(ctx), inputOf(ctx))),
    [COMPOSE_ACTIONS.removeTemplate]: action((ctx) => s.templates.remove(userIdOf(ctx), inputOf(ctx).filterByTk)),
    [COMPOSE_ACTIONS.readSettings]: action((ctx) => s.settings.read(userIdOf(ctx))),
    [COMPOSE_ACTIONS.setSettings]: action((ctx) => s.settings.set(userIdOf(ctx), inputOf(ctx))),
    /** `?accountId=&from=&to[]=&mode=&replyToMessageId=` → `{ draftId }` or null. */
    [COMPOSE_ACTIONS.findDraft]: nullable((ctx) => s.lookup.find(userIdOf(ctx), ctx.action.params)),
    [COMPOSE_ACTIONS.schedule]: action((ctx) => s.schedules.schedule(userIdOf(ctx), inputOf(ctx))),
    [COMPOSE_ACTIONS.cancelSchedule]: action((ctx) => s.schedules.cancel(userIdOf(ctx), inputOf(ctx).filterByTk)),
    [COMPOSE_ACTIONS.listScheduled]: action((ctx) => s.schedules.list(userIdOf(ctx), ctx.action.params.accountId)),
    /** `?q=` → the user's past correspondents starting with q (S-SEND-4). */
    [COMPOSE_ACTIONS.addresses]: action((ctx) => s.addresses.suggest(userIdOf(ctx), ctx.action.params.q)),
  };
}

/** An answer that may be null: sent as `{ data: null }` (an empty body would be a 204 without JSON). */
function nullable(body: (ctx: Context) => Promise<unknown>) {
  return action(async (ctx) => {
    const result = await body(ctx);
    if (result != null) return result;
    ctx.withoutDataWrapping = true;
    return { data: null };
  });
}
