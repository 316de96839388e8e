/**
 * Graph messages: list (per folder or the whole mailbox), get with $select, the MIME ($value),
 * attachments, PATCH (isRead, flag, categories; content of drafts), move and copy (201, and a
 * move gives the message a new id unless the request prefers immutable ids), DELETE.
 */
import type { Context, Router } from '../shared/http';
import { graphBody, graphCall, sendEmpty, sendGraph, sendNotFound, type GraphCall } from './api';
import { sendGraphError } from './errors';
import type { OutlookMailbox, OutlookMessage } from './mailbox';
import { attachmentIndex, attachmentJson, messageJson, selectOf } from './message-json';
import { recompose } from './send';
import type { MicrosoftState } from './state';

const LIST_DEFAULT = 10;
const LIST_MAX = 1000;
const ATTACHMENT_PROPS = ['name', 'contentType', 'size', 'isInline', 'contentId', 'contentLocation', 'contentBytes', 'lastModifiedDateTime'];

export function messageRoutes(router: Router, state: MicrosoftState) {
  for (const base of ['/v1.0/me/messages', '/v1.0/me/mailFolders/:folder/messages']) {
    router.get(base, async (ctx) => {
      const call = await graphCall(ctx, state, 'messages.list', 'list');
      if (!call) return;
      let all: OutlookMessage[];
      if (ctx.params.folder) {
        const folder = call.mailbox.folder(ctx.params.folder);
        if (!folder) return sendNotFound(ctx);
        all = call.mailbox.messagesIn(folder.id);
      } else all = [...call.mailbox.messages.values()].sort((a, b) => b.receivedDateTime - a.receivedDateTime);
      // The one $filter the plugin uses (bulk send's "was it sent?"); Graph answers 400 to filters it cannot run.
      const filter = ctx.query.get('$filter');
      if (filter) {
        const match = /^internetMessageId eq '((?:[^']|'')*)'$/.exec(filter.trim());
        if (!match) return sendGraphError(ctx, 400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
        const wanted = match[1].replace(/''/g, "'");
        all = all.filter((m) => call.mailbox.summaryOf(m).messageId === wanted);
      }
      const top = Math.min(LIST_MAX, Number(ctx.query.get('$top')) || LIST_DEFAULT);
      const skip = Number(ctx.query.get('$skip')) || 0;
      const select = selectOf(ctx.query.get('$select'));
      const body: Record<string, unknown> = {
        '@odata.context': `${state.graphUrl}/v1.0/$metadata#users('${call.user.id}')/messages`,
        value: all.slice(skip, skip + top).map((m) => messageJson(call.mailbox, m, call.prefer, select)),
      };
      if (skip + top < all.length) {
        const next = new URL(`${state.graphUrl}${ctx.path}`);
        for (const [key, value] of ctx.query) if (key !== '$skip') next.searchParams.set(key, value);
        next.searchParams.set('$skip', String(skip + top));
        body['@odata.nextLink'] = next.toString();
      }
      sendGraph(ctx, 200, body);
    });

    router.get(`${base}/:id`, async (ctx) => {
      const found = await messageCall(ctx, state, 'messages.get', 'get');
      if (found) sendGraph(ctx, 200, entity(state, found.call, found.message, selectOf(ctx.query.get('$select'))));
    });

    router.get(`${base}/:id/$value`, async (ctx) => {
      const found = await messageCall(ctx, state, 'messages.getMime', 'get');
      if (!found) return;
      // Graph labels the MIME text/plain: a client that decodes it as text corrupts 8-bit mail.
      ctx.res.writeHead(200, { 'content-type': 'text/plain', 'content-length': found.message.raw.length });
      ctx.res.end(found.message.raw);
    });

    router.get(`${base}/:id/attachments`, async (ctx) => {
      const found = await messageCall(ctx, state, 'attachments.list', 'attachment');
      if (!found) return;
      const select = selectOf(ctx.query.get('$select'), ATTACHMENT_PROPS);
      const list = found.call.mailbox.summaryOf(found.message).attachments;
      sendGraph(ctx, 200, {
        '@odata.context': `${state.graphUrl}/v1.0/$metadata#users('${found.call.user.id}')/messages('${ctx.params.id}')/attachments`,
        value: list.map((_, i) => attachmentJson(found.message, list, i, select)),
      });
    });

    router.get(`${base}/:id/attachments/:attachmentId`, async (ctx) => {
      const found = await attachmentCall(ctx, state);
      if (found) sendGraph(ctx, 200, { '@odata.context': `${state.graphUrl}/v1.0/$metadata#attachments/$entity`, ...attachmentJson(found.message, found.list, found.index, selectOf(ctx.query.get('$select'), ATTACHMENT_PROPS)) });
    });

    router.get(`${base}/:id/attachments/:attachmentId/$value`, async (ctx) => {
      const found = await attachmentCall(ctx, state);
      if (!found) return;
      const bytes = found.attachment.content();
      ctx.res.writeHead(200, { 'content-type': found.attachment.mimeType, 'content-length': bytes.length });
      ctx.res.end(bytes);
    });

    router.on('PATCH', `${base}/:id`, async (ctx) => {
      const found = await messageCall(ctx, state, 'messages.update', 'modify');
      const body = found && graphBody(ctx);
      if (!found || !body) return;
      const { message, call } = found;
      const change: Parameters<OutlookMailbox['update']>[1] = {};
      if (typeof body.isRead === 'boolean') change.isRead = body.isRead;
      if (body.flag?.flagStatus) change.flagged = body.flag.flagStatus === 'flagged';
      if (Array.isArray(body.categories)) change.categories = body.categories;
      // A draft's content can be edited too; the MIME is rebuilt from what Graph shows plus the change.
      if (message.isDraft && ['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'].some((k) => k in body)) {
        change.raw = await recompose(call.mailbox, message, body);
      }
      call.mailbox.update(message, change);
      sendGraph(ctx, 200, entity(state, call, message));
    });

    for (const action of ['move', 'copy'] as const) {
      router.post(`${base}/:id/${action}`, async (ctx) => {
        const found = await messageCall(ctx, state, `messages.${action}`, 'modify');
        const body = found && graphBody(ctx);
        if (!found || !body) return;
        const { message, call } = found;
        const target = call.mailbox.folder(String(body.destinationId || ''));
        if (!target) return sendNotFound(ctx);
        let result = message;
        if (action === 'move') call.mailbox.move(message, target.id);
        else {
          result = call.mailbox.add(message.raw, { folderId: target.id, isRead: message.isRead, flagged: message.flagged, isDraft: message.isDraft, received: message.receivedDateTime, conversationId: message.conversationId });
        }
        sendGraph(ctx, 201, entity(state, call, result));
      });
    }

    router.on('DELETE', `${base}/:id`, async (ctx) => {
      const found = await messageCall(ctx, state, 'messages.delete', 'modify');
      if (!found) return;
      found.call.mailbox.delete(found.message);
      sendEmpty(ctx, 204);
    });
  }
}

export function entity(state: MicrosoftState, call: GraphCall, message: OutlookMessage, select: string[] = []) {
  return { '@odata.context': `${state.graphUrl}/v1.0/$metadata#users('${call.user.id}')/messages/$entity`, ...messageJson(call.mailbox, message, call.prefer, select) };
}

/** graphCall, then the message of `:id` (in `:folder` when the path names one), or 404. */
export async function messageCall(ctx: Context, state: MicrosoftState, method: string, kind: string) {
  const call = await graphCall(ctx, state, method, kind);
  if (!call) return undefined;
  const message = call.mailbox.find(ctx.params.id);
  const folder = ctx.params.folder ? call.mailbox.folder(ctx.params.folder) : undefined;
  if (!message || (ctx.params.folder && folder?.id !== message.folderId)) {
    sendNotFound(ctx);
    return undefined;
  }
  return { call, message };
}

/** messageCall, then the attachment of `:attachmentId`, or 404. */
export async function attachmentCall(ctx: Context, state: MicrosoftState, method = 'attachments.get', kind = 'attachment') {
  const found = await messageCall(ctx, state, method, kind);
  if (!found) return undefined;
  const list = found.call.mailbox.summaryOf(found.message).attachments;
  const index = attachmentIndex(found.message, list, ctx.params.attachmentId);
  if (index < 0) {
    sendNotFound(ctx);
    return undefined;
  }
  return { ...found, list, attachment: list[index], index };
}
