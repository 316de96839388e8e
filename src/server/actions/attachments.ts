/** The attachment reads of src/shared/mail-center-api.ts: a message's list, and the bytes of one file. */
import type { Context } from '@nocobase/actions';
import { MAIL_CENTER_ACTIONS } from '../../shared/mail-center-api';
import type { AttachmentService } from '../messages/attachment-service';
import { handler, respond, userIdOf } from './respond';

type File = Awaited<ReturnType<AttachmentService['download']>>;

/** Attachments of the user's own mail (S-CENTER-11): the list of a message, and the bytes of one. */
export function attachmentActions(attachments: AttachmentService) {
  /** Answers with the bytes, or with the error `respond` wrote. */
  const file = (read: (ctx: Context) => Promise<File>) => handler(async (ctx, next) => {
    let found: File | undefined;
    await respond(ctx, async () => {
      found = await read(ctx);
      return null;
    });
    if (found) send(ctx, found);
    await next();
  });
  return {
    [MAIL_CENTER_ACTIONS.attachments]: handler(async (ctx, next) => {
      await respond(ctx, () => attachments.list(userIdOf(ctx), ctx.action.params.messageId ?? ctx.action.params.filter?.messageId));
      await next();
    }),
    /** `?filterByTk=<id>`; `&preview=1` shows images and PDFs in place, everything else downloads. */
    [MAIL_CENTER_ACTIONS.download]: file((ctx) =>
      attachments.download(userIdOf(ctx), ctx.action.params.filterByTk, ['1', 'true'].includes(String(ctx.action.params.preview))),
    ),
    /** `?messageId=<id>&cid=<content id>`: an image the mail's HTML shows in place (`cid:`). */
    [MAIL_CENTER_ACTIONS.inline]: file((ctx) => attachments.inline(userIdOf(ctx), ctx.action.params.messageId, ctx.action.params.cid)),
  };
}

function send(ctx: Context, file: File) {
  ctx.withoutDataWrapping = true;
  ctx.set('Content-Type', file.mimeType);
  ctx.set('Content-Disposition', file.disposition);
  // Mail content is untrusted: never sniffed into something executable, never scripted.
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox");
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.status = 200;
  ctx.body = file.content;
}
