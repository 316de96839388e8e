import type { AttachmentService } from '../messages/attachment-service';
import { respond } from './respond';

type Next = () => Promise<void>;
const userIdOf = (ctx: any): number => ctx.state.currentUser?.id;

/** Attachments of the user's own mail (S-CENTER-11): the list of a message, and the bytes of one. */
export function attachmentActions(attachments: AttachmentService) {
  return {
    'mailAttachments:listOwn': async (ctx: any, next: Next) => {
      await respond(ctx, () => attachments.list(userIdOf(ctx), ctx.action.params.messageId ?? ctx.action.params.filter?.messageId));
      await next();
    },
    /** `?filterByTk=<id>`; `&preview=1` shows images and PDFs in place, everything else downloads. */
    'mailAttachments:download': async (ctx: any, next: Next) => {
      let file: Awaited<ReturnType<AttachmentService['download']>> | undefined;
      await respond(ctx, async () => {
        file = await attachments.download(userIdOf(ctx), ctx.action.params.filterByTk, ['1', 'true'].includes(String(ctx.action.params.preview)));
        return null;
      });
      if (file) {
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
      await next();
    },
  };
}
