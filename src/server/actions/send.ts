/** The editor's send, draft and upload actions of src/shared/send-api.ts. */
import { SEND_ACTIONS } from '../../shared/send-api';
import type { DraftService } from '../send/draft-service';
import type { ScheduleService } from '../send/schedule-service';
import type { ReplyDraftService } from '../send/reply-draft';
import type { SendService } from '../send/send-service';
import type { UploadStore } from '../send/uploads';
import { action, inputOf, userIdOf } from './respond';

export interface SendActionServices {
  send: SendService;
  drafts: DraftService;
  replies: ReplyDraftService;
  uploads: UploadStore;
  /** A scheduled draft sent by hand leaves its schedule first, so it cannot go out twice (S-SCHED-1). */
  schedules?: Pick<ScheduleService, 'releaseForSend'>;
}

/**
 * The editor's actions (S-SEND-*, S-DRAFT-1), each on the user's own accounts and mail only.
 * The contract (inputs, answers, errors) is src/shared/send-api.ts.
 */
export function sendActions(s: SendActionServices) {
  return {
    [SEND_ACTIONS.send]: action(async (ctx) => {
      await s.schedules?.releaseForSend(userIdOf(ctx), inputOf(ctx).draftId);
      return s.send.send(userIdOf(ctx), inputOf(ctx));
    }),
    /** `?filterByTk=<mail>&mode=reply|replyAll|forward[&timeZone=Europe/Paris]`. */
    [SEND_ACTIONS.replyDraft]: action((ctx) => s.replies.prefill(userIdOf(ctx), ctx.action.params)),
    [SEND_ACTIONS.saveDraft]: action((ctx) => s.drafts.save(userIdOf(ctx), inputOf(ctx))),
    /** `?filterByTk=<draft>`: a saved draft as the editor reopens it. */
    [SEND_ACTIONS.openDraft]: action((ctx) => s.drafts.open(userIdOf(ctx), ctx.action.params.filterByTk)),
    [SEND_ACTIONS.deleteDraft]: action((ctx) => s.drafts.remove(userIdOf(ctx), inputOf(ctx).filterByTk)),
    /** multipart/form-data with one file in the field `file`. */
    [SEND_ACTIONS.upload]: action((ctx) => s.uploads.receive(ctx, userIdOf(ctx))),
    [SEND_ACTIONS.deleteUpload]: action(async (ctx) => {
      await s.uploads.remove(userIdOf(ctx), [String(inputOf(ctx).filterByTk ?? '')]);
      return { deleted: 1 };
    }),
  };
}
