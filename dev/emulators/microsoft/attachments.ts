/**
 * Adding and removing attachments of a message, as Graph does it:
 * - POST /me/messages/{id}/attachments with a fileAttachment (contentBytes in base64), for files
 *   under 3 MB; a larger one is refused with 413 ErrorRequestEntityTooLarge.
 * - POST …/attachments/createUploadSession with an AttachmentItem (up to 150 MB): 201 with an
 *   uploadSession whose pre-authenticated uploadUrl (on "outlook.office.com", here this server)
 *   takes the bytes in order with PUT and Content-Range, no Authorization header; each range is
 *   answered 200 with nextExpectedRanges, the last one 201 with a Location and no body.
 * - DELETE …/attachments/{attachmentId}: 204.
 * Each change rebuilds the message's MIME with the files it now has, so only drafts take changes
 * here (a received message's MIME is kept byte for byte).
 */
import crypto from 'node:crypto';
import type { Context, Router } from '../shared/http';
import { randomToken } from '../shared/random';
import { graphBody, sendEmpty, sendGraph, type GraphCall } from './api';
import { sendGraphError } from './errors';
import type { OutlookMessage } from './mailbox';
import { attachmentJson } from './message-json';
import { attachmentCall, messageCall } from './messages';
import { recompose, type DraftFile } from './send';
import type { MicrosoftState } from './state';

/** Graph: a file under 3 MB goes in one POST; anything larger needs an upload session. */
export const SIMPLE_ATTACHMENT_LIMIT = 3 * 1024 * 1024;
/** The largest file an upload session takes. */
export const UPLOAD_SESSION_LIMIT = 150 * 1024 * 1024;
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

interface UploadSession {
  id: string;
  token: string;
  email: string;
  messageId: string;
  file: { name: string; contentType: string; size: number; isInline: boolean; contentId?: string };
  chunks: Buffer[];
  received: number;
  expires: number;
}

export function attachmentRoutes(router: Router, state: MicrosoftState) {
  const sessions = new Map<string, UploadSession>();
  const base = '/v1.0/me/messages/:id/attachments';

  router.post(base, async (ctx) => {
    const found = await messageCall(ctx, state, 'attachments.create', 'attachment');
    const body = found && graphBody(ctx);
    if (!found || !body || notDraft(ctx, found.message)) return;
    if (body['@odata.type'] !== '#microsoft.graph.fileAttachment' || typeof body.contentBytes !== 'string' || !body.name) {
      return sendGraphError(ctx, 400, 'ErrorInvalidRequest', 'A fileAttachment needs a name and contentBytes.');
    }
    const content = Buffer.from(body.contentBytes, 'base64');
    if (content.length >= SIMPLE_ATTACHMENT_LIMIT) {
      return sendGraphError(ctx, 413, 'ErrorRequestEntityTooLarge', 'The request exceeds the maximum supported size; attach files over 3 MB with an upload session.');
    }
    const file = { name: String(body.name), contentType: String(body.contentType || 'application/octet-stream'), isInline: Boolean(body.isInline), contentId: body.contentId || undefined };
    const created = await addFile(found.call, found.message, file, content);
    sendGraph(ctx, 201, { '@odata.context': `${state.graphUrl}/v1.0/$metadata#users('${found.call.user.id}')/messages('${ctx.params.id}')/attachments/$entity`, ...created });
  });

  router.post(`${base}/createUploadSession`, async (ctx) => {
    const found = await messageCall(ctx, state, 'attachments.createUploadSession', 'attachment');
    const body = found && graphBody(ctx);
    if (!found || !body || notDraft(ctx, found.message)) return;
    const item = body.AttachmentItem ?? body.attachmentItem;
    const size = Number(item?.size);
    if (!item || item.attachmentType !== 'file' || !item.name || !Number.isInteger(size) || size <= 0) {
      return sendGraphError(ctx, 400, 'ErrorInvalidRequest', 'AttachmentItem needs attachmentType "file", a name and a size.');
    }
    if (size > UPLOAD_SESSION_LIMIT) return sendGraphError(ctx, 413, 'ErrorAttachmentSizeLimitExceeded', 'The attachment exceeds the maximum size of 150 MB.');
    const session: UploadSession = {
      id: `AAMkAD${randomToken(found.call.mailbox.random, 40)}=`,
      token: randomToken(found.call.mailbox.random, 64),
      email: found.call.user.email,
      messageId: found.message.immutableId,
      file: { name: String(item.name), contentType: String(item.contentType || 'application/octet-stream'), size, isInline: Boolean(item.isInline), contentId: item.contentId || undefined },
      chunks: [],
      received: 0,
      expires: Date.now() + SESSION_LIFETIME_MS,
    };
    sessions.set(session.id, session);
    const uploadUrl = `${state.graphUrl}/api/v2.0/Users('${found.call.user.id}')/Messages('${encodeURIComponent(found.message.immutableId)}')/AttachmentSessions('${session.id}')?authtoken=${session.token}`;
    sendGraph(ctx, 201, {
      '@odata.context': `${state.graphUrl}/v1.0/$metadata#microsoft.graph.uploadSession`,
      uploadUrl,
      expirationDateTime: new Date(session.expires).toISOString(),
      nextExpectedRanges: ['0-'],
    });
  });

  router.on('DELETE', `${base}/:attachmentId`, async (ctx) => {
    const found = await attachmentCall(ctx, state, 'attachments.delete', 'attachment');
    if (!found || notDraft(ctx, found.message)) return;
    const files = found.list.filter((_, i) => i !== found.index);
    found.call.mailbox.update(found.message, { raw: await recompose(found.call.mailbox, found.message, {}, files) });
    sendEmpty(ctx, 204);
  });

  router.on('PUT', '/api/v2.0/:user/:message/:session', (ctx) => uploadRange(ctx, state, sessions));
}

/** One range of an upload session; the last one attaches the file to the message. */
async function uploadRange(ctx: Context, state: MicrosoftState, sessions: Map<string, UploadSession>) {
  const id = /^AttachmentSessions\('(.+)'\)$/.exec(ctx.params.session)?.[1] || '';
  const session = sessions.get(id);
  if (!session || session.token !== ctx.query.get('authtoken') || session.expires < Date.now()) {
    return sendGraphError(ctx, 404, 'ErrorItemNotFound', 'The upload session was not found or has expired.');
  }
  // The URL is pre-authenticated; Graph's protocol says to send no Authorization header with it.
  if (ctx.req.headers.authorization) return sendGraphError(ctx, 400, 'BadRequest', 'Do not send an Authorization header to a pre-authenticated upload URL.');
  ctx.entry.user = session.email;
  state.usage.count(session.email, 'attachment', 'attachments.uploadRange', false);
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(ctx.req.headers['content-range'] || ''));
  const [start, end, total] = range ? range.slice(1).map(Number) : [NaN, NaN, NaN];
  if (!range || start !== session.received || total !== session.file.size || end < start || end >= total || end - start + 1 !== ctx.body.length) {
    return sendGraphError(ctx, 416, 'ErrorInvalidRange', `The range is not the next one expected (${session.received}-).`);
  }
  session.chunks.push(Buffer.from(ctx.body));
  session.received = end + 1;
  if (session.received < total) {
    return sendGraph(ctx, 200, { expirationDateTime: new Date(session.expires).toISOString(), nextExpectedRanges: [String(session.received)] });
  }
  sessions.delete(session.id);
  const user = state.directory.user(session.email);
  const message = user?.mailbox?.find(session.messageId);
  if (!user?.mailbox || !message) return sendGraphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const call: GraphCall = { user, mailbox: user.mailbox, prefer: { immutable: true, textBody: false } };
  const created = await addFile(call, message, session.file, Buffer.concat(session.chunks));
  ctx.res.writeHead(201, {
    location: `${state.graphUrl}/api/v2.0/Users('${user.id}')/Messages('${encodeURIComponent(message.immutableId)}')/Attachments('${created.id}')`,
    'request-id': crypto.randomUUID(),
    'content-length': 0,
  });
  ctx.res.end();
}

function notDraft(ctx: Context, message: OutlookMessage) {
  if (message.isDraft) return false;
  sendGraphError(ctx, 400, 'ErrorInvalidOperation', 'The emulator changes the attachments of drafts only.');
  return true;
}

/** Rebuilds the message with one more file; answers the new attachment's JSON. */
async function addFile(call: GraphCall, message: OutlookMessage, file: { name: string; contentType: string; isInline: boolean; contentId?: string }, content: Buffer) {
  const contentId = file.contentId?.replace(/^<|>$/g, '');
  const current: DraftFile[] = call.mailbox.summaryOf(message).attachments;
  const added: DraftFile = { filename: file.name, mimeType: file.contentType, content: () => content, contentId, inline: file.isInline && Boolean(contentId) };
  call.mailbox.update(message, { raw: await recompose(call.mailbox, message, {}, [...current, added]) });
  const list = call.mailbox.summaryOf(message).attachments;
  // The new file is the last of its kind in the rebuilt message.
  const index = list.map((a, i) => ({ a, i })).reverse().find(({ a }) => a.filename === file.name && a.size === content.length)?.i ?? list.length - 1;
  return attachmentJson(message, list, index) as Record<string, unknown> & { id: string };
}
