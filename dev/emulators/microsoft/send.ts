/**
 * Sending and drafts on Graph: sendMail (JSON message or base64 MIME; 202 with an empty body and
 * no content type; a copy in Sent Items unless saveToSentItems is false), POST /me/messages (a
 * draft in Drafts, without From until it is sent), POST /me/messages/{id}/send (202; the draft
 * moves to Sent Items), createReply / createReplyAll / createForward (201: a draft in the same
 * conversation with In-Reply-To and References). JSON messages become MIME through nodemailer's
 * MailComposer, so $value and later reads see a real message.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Context, Router } from '../shared/http';
import { plainTextOf } from '../shared/message-summary';
import { randomHex } from '../shared/random';
import { graphBody, graphCall, sendEmpty, sendGraph } from './api';
import { sendGraphError } from './errors';
import type { OutlookMailbox, OutlookMessage } from './mailbox';
import { entity, messageCall } from './messages';
import type { MicrosoftState } from './state';

interface GraphRecipient {
  emailAddress?: { name?: string; address?: string };
}

export function sendRoutes(router: Router, state: MicrosoftState) {
  router.post('/v1.0/me/sendMail', async (ctx) => {
    const call = await graphCall(ctx, state, 'sendMail', 'send');
    if (!call) return;
    const mime = mimeBody(ctx);
    const body = mime ? {} : graphBody(ctx);
    if (!mime && !body) return;
    const message = body?.message ?? {};
    if (!mime && !(message.toRecipients?.length || message.ccRecipients?.length || message.bccRecipients?.length)) {
      return sendGraphError(ctx, 400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is missing.');
    }
    const raw = mime ?? (await compose(call.mailbox, message, { from: call.user }));
    if (body?.saveToSentItems !== false && body?.saveToSentItems !== 'false') {
      call.mailbox.add(raw, { folderId: call.mailbox.folder('sentitems')!.id, isRead: true, received: Date.now() });
    }
    sendEmpty(ctx, 202);
  });

  router.post('/v1.0/me/messages', async (ctx) => {
    const call = await graphCall(ctx, state, 'messages.create', 'send');
    if (!call) return;
    const mime = mimeBody(ctx);
    const body = mime ? {} : graphBody(ctx);
    if (!mime && !body) return;
    const raw = mime ?? (await compose(call.mailbox, body!));
    const draft = call.mailbox.add(raw, { folderId: call.mailbox.folder('drafts')!.id, isRead: true, isDraft: true, received: Date.now() });
    sendGraph(ctx, 201, entity(state, call, draft));
  });

  router.post('/v1.0/me/messages/:id/send', async (ctx) => {
    const found = await messageCall(ctx, state, 'messages.send', 'send');
    if (!found) return;
    const { call, message } = found;
    if (!message.isDraft) return sendGraphError(ctx, 400, 'ErrorInvalidOperation', 'Only drafts can be sent.');
    // Exchange sends as the mailbox, at the time of sending, whatever the draft's MIME said.
    const from = `From: ${call.user.displayName ? `"${call.user.displayName}" ` : ''}<${call.user.email}>\r\nDate: ${new Date().toUTCString().replace('GMT', '+0000')}\r\n`;
    const raw = Buffer.concat([Buffer.from(from), withoutHeaders(message.raw, ['from', 'sender', 'date'])]);
    call.mailbox.update(message, { isDraft: false, raw });
    call.mailbox.move(message, call.mailbox.folder('sentitems')!.id);
    ctx.entry.mime = raw;
    sendEmpty(ctx, 202);
  });

  for (const kind of ['createReply', 'createReplyAll', 'createForward'] as const) {
    router.post(`/v1.0/me/messages/:id/${kind}`, async (ctx) => {
      const found = await messageCall(ctx, state, `messages.${kind}`, 'send');
      const body = found && graphBody(ctx);
      if (!found || !body) return;
      const { call, message } = found;
      const original = call.mailbox.summaryOf(message);
      const self = call.user.email.toLowerCase();
      const asRecipients = (list: { name: string; address: string }[]) => list.filter((a) => a.address.toLowerCase() !== self).map((a) => ({ emailAddress: a }));
      const sender = original.replyTo.length ? original.replyTo : original.from ? [original.from] : [];
      const to = kind === 'createForward' ? [] : kind === 'createReply' ? asRecipients(sender) : asRecipients([...sender, ...original.to]);
      const cc = kind === 'createReplyAll' ? asRecipients(original.cc) : [];
      const prefix = kind === 'createForward' ? 'FW: ' : 'RE: ';
      const quoted = `<div>${escapeHtml(body.comment || '')}</div><hr><div>${original.html || `<pre>${escapeHtml(plainTextOf(original))}</pre>`}</div>`;
      const draftJson = {
        subject: `${prefix}${original.subject.replace(/^(re|fw|fwd|aw|wg):\s*/i, '')}`,
        body: { contentType: 'html', content: quoted },
        toRecipients: to,
        ccRecipients: cc,
        ...body.message,
      };
      const references = [...original.references, ...(original.messageId ? [original.messageId] : [])];
      const attachments = kind === 'createForward' ? original.attachments.filter((a) => !a.inline) : [];
      const raw = await compose(call.mailbox, draftJson, { inReplyTo: kind === 'createForward' ? undefined : original.messageId, references, attachments });
      const draft = call.mailbox.add(raw, { folderId: call.mailbox.folder('drafts')!.id, isRead: true, isDraft: true, received: Date.now(), conversationId: message.conversationId });
      sendGraph(ctx, 201, entity(state, call, draft));
    });
  }
}

/** sendMail and POST /messages also take MIME: base64 text with Content-Type text/plain. */
function mimeBody(ctx: Context): Buffer | undefined {
  if (!/^text\/plain/i.test(String(ctx.req.headers['content-type'] || ''))) return undefined;
  const mime = Buffer.from(ctx.body.toString('latin1').replace(/\s+/g, ''), 'base64');
  ctx.entry.mime = mime;
  return mime;
}

/** The message without the named top-level header fields (folded lines included). */
function withoutHeaders(raw: Buffer, names: string[]): Buffer {
  const text = raw.toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const kept = head
    .split(/\r?\n(?![ \t])/)
    .filter((field) => !names.includes(field.slice(0, field.indexOf(':')).trim().toLowerCase()));
  return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), end ? raw.subarray(Buffer.byteLength(head, 'latin1')) : Buffer.alloc(0)]);
}

/** A Graph message JSON → MIME. */
async function compose(
  mailbox: OutlookMailbox,
  json: Record<string, any>,
  extra: { from?: { email: string; displayName: string }; inReplyTo?: string; references?: string[]; attachments?: DraftFile[] } = {},
): Promise<Buffer> {
  const list = (value: GraphRecipient[] | undefined) => (value || []).filter((r) => r.emailAddress?.address).map((r) => ({ name: r.emailAddress!.name || '', address: r.emailAddress!.address! }));
  const content = json.body?.content ?? '';
  const html = String(json.body?.contentType || 'text').toLowerCase() === 'html';
  const host = `${randomHex(mailbox.random, 4).toUpperCase()}PR0${randomHex(mailbox.random, 1)}MB${randomHex(mailbox.random, 4).toUpperCase()}`;
  const composer = new MailComposer({
    ...(extra.from ? { from: { name: extra.from.displayName, address: extra.from.email } } : {}),
    to: list(json.toRecipients),
    cc: list(json.ccRecipients),
    bcc: list(json.bccRecipients),
    replyTo: list(json.replyTo),
    subject: json.subject || '',
    messageId: `<${host}${randomHex(mailbox.random, 24).toUpperCase()}@${host}.namprd00.prod.outlook.com>`,
    ...(extra.inReplyTo ? { inReplyTo: extra.inReplyTo } : {}),
    ...(extra.references?.length ? { references: extra.references.join(' ') } : {}),
    ...(html ? { html: content } : { text: content }),
    headers: Object.fromEntries((json.internetMessageHeaders || []).map((h: { name: string; value: string }) => [h.name, h.value])),
    attachments: [
      ...(json.attachments || []).map((a: any) => ({ filename: a.name, contentType: a.contentType, content: Buffer.from(a.contentBytes || '', 'base64'), ...(a.isInline && a.contentId ? { cid: a.contentId } : {}) })),
      // Inline images keep their Content-ID, so the HTML's cid: links still find them.
      ...(extra.attachments || []).map((a) => ({ filename: a.filename, contentType: a.mimeType, content: a.content(), ...(a.inline && a.contentId ? { cid: a.contentId } : {}) })),
    ],
    ...(extra.from ? {} : { date: new Date() }),
  });
  const root = composer.compile();
  // The sender's copy keeps Bcc (Graph shows bccRecipients on sent items and drafts).
  root.keepBcc = true;
  return new Promise((resolve, reject) => root.build((error, raw) => (error ? reject(error) : resolve(raw as Buffer))));
}

export interface DraftFile {
  filename: string;
  mimeType: string;
  content(): Buffer;
  contentId?: string;
  inline: boolean;
}

/**
 * A draft's MIME rebuilt after a PATCH of its content or a change of its files: what Graph shows
 * now, the change on top; `files` replaces the attachments when given.
 */
export async function recompose(mailbox: OutlookMailbox, message: OutlookMessage, change: Record<string, any>, files?: DraftFile[]): Promise<Buffer> {
  const s = mailbox.summaryOf(message);
  const asRecipients = (list: { name: string; address: string }[]) => list.map((a) => ({ emailAddress: a }));
  const current = {
    subject: s.subject,
    body: s.html ? { contentType: 'html', content: s.html } : { contentType: 'text', content: s.text },
    toRecipients: asRecipients(s.to),
    ccRecipients: asRecipients(s.cc),
    bccRecipients: asRecipients(s.bcc),
    replyTo: asRecipients(s.replyTo),
  };
  // The summary lists In-Reply-To among the references too: once is enough, and it stays in.
  return compose(mailbox, { ...current, ...change }, { inReplyTo: s.inReplyTo, references: [...new Set(s.references)], attachments: files ?? s.attachments });
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
