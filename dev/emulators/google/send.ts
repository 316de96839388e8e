/**
 * Mail that enters the mailbox from the app: messages.send (JSON `raw`, or an /upload/ media or
 * multipart request as googleapis sends with `media`), messages.import and messages.insert. A sent
 * message gets the SENT label (and INBOX + UNREAD when it is addressed to the sender too), and
 * Gmail fills in Message-ID, Date and From when the MIME has none.
 */
import type { Context, Router } from '../shared/http';
import { decodeBody, headerOf, parseAddresses, parseMime } from '../shared/mime';
import { randomToken } from '../shared/random';
import { decodeRaw } from './format';
import { bodyOf, GMAIL_PREFIX, sendBadRequest, sendGmail } from './api';
import { sendApiError } from './errors';
import type { GmailMailbox } from './mailbox';
import { shortResource } from './messages';
import { gmailCall } from './quota';
import type { GoogleState } from './state';

const RAW_REQUIRED = "'raw' RFC822 payload message string or uploading message via /upload/* URL required";
/** Gmail refuses a JSON request body over 5 MB ("simple" requests; larger mail goes through /upload/). */
export const JSON_PAYLOAD_LIMIT = 5 * 1024 * 1024;
/** The maxSize of messages.send, drafts.create/update/send, import and insert: 35 MB of MIME. */
export const MESSAGE_SIZE_LIMIT = 36_700_160;

export function sendRoutes(router: Router, state: GoogleState) {
  for (const prefix of [GMAIL_PREFIX, `/upload${GMAIL_PREFIX}`]) {
    router.post(`${prefix}/messages/send`, async (ctx) => {
      const found = await gmailCall(ctx, state, 'messages.send');
      const input = found && incoming(ctx);
      if (!found || !input) return;
      const raw = completeHeaders(input.raw, found.user.email, found.mailbox);
      const toSelf = recipientsOf(raw).includes(found.user.email);
      const message = found.mailbox.add(raw, { labelIds: toSelf ? ['SENT', 'INBOX', 'UNREAD'] : ['SENT'], internalDate: Date.now(), threadId: input.threadId });
      sendGmail(ctx, shortResource(message));
    });

    for (const method of ['import', 'insert'] as const) {
      router.post(`${prefix}/messages${method === 'import' ? '/import' : ''}`, async (ctx) => {
        const found = await gmailCall(ctx, state, `messages.${method}`);
        const input = found && incoming(ctx);
        if (!found || !input) return;
        const bad = input.labelIds.find((id) => !found.mailbox.labels.has(id));
        if (bad) return sendBadRequest(ctx, `Invalid label: ${bad}`);
        // import dates by the Date header by default, insert by the time of the call.
        const byHeader = (ctx.query.get('internalDateSource') || (method === 'import' ? 'dateHeader' : 'receivedTime')) === 'dateHeader';
        const message = found.mailbox.add(input.raw, { labelIds: input.labelIds, internalDate: byHeader ? undefined : Date.now(), threadId: input.threadId });
        sendGmail(ctx, shortResource(message));
      });
    }
  }
}

export interface Incoming {
  raw: Buffer;
  threadId?: string;
  labelIds: string[];
  /** The JSON metadata (a draft's `{id, message}` wrapper included). */
  meta: Record<string, any>;
}

/**
 * The message of a request: JSON `{raw, threadId, labelIds}` (or `{message: {…}}` for drafts), a
 * media upload (the MIME itself) or a multipart/related upload (JSON, then the MIME). Undefined
 * after answering 400.
 */
export function incoming(ctx: Context): Incoming | undefined {
  const type = String(ctx.req.headers['content-type'] || '').toLowerCase();
  const upload = ctx.path.startsWith('/upload/');
  if (!upload && ctx.body.length > JSON_PAYLOAD_LIMIT) {
    sendApiError(ctx, 400, `Request payload size exceeds the limit: ${JSON_PAYLOAD_LIMIT} bytes.`, { reason: 'badRequest' });
    return undefined;
  }
  let meta: Record<string, any> = {};
  let raw: Buffer | undefined;
  if (upload && type.startsWith('multipart/')) {
    const root = parseMime(Buffer.concat([Buffer.from(`Content-Type: ${ctx.req.headers['content-type']}\r\n\r\n`), ctx.body]));
    try {
      meta = JSON.parse(decodeBody(root.parts[0] || root).toString('utf8') || '{}');
    } catch {
      meta = {};
    }
    raw = root.parts[1] ? decodeBody(root.parts[1]) : undefined;
  } else if (upload) raw = ctx.body;
  else {
    const body = bodyOf(ctx);
    if (!body) return undefined;
    meta = body;
    raw = decodeRaw(body.raw ?? body.message?.raw);
  }
  if (!raw?.length) {
    sendBadRequest(ctx, RAW_REQUIRED);
    return undefined;
  }
  if (raw.length > MESSAGE_SIZE_LIMIT) {
    sendApiError(ctx, 400, `Request payload size exceeds the limit: ${MESSAGE_SIZE_LIMIT} bytes.`, { reason: 'badRequest' });
    return undefined;
  }
  ctx.entry.mime = raw;
  const inner = meta.message || meta;
  return { raw, threadId: inner.threadId || undefined, labelIds: inner.labelIds || [], meta };
}

/** Adds the Message-ID, Date and From Gmail would add to a message that has none. */
export function completeHeaders(raw: Buffer, email: string, mailbox: GmailMailbox): Buffer {
  const root = { headers: parseMime(raw.subarray(0, Math.min(raw.length, 64 * 1024))).headers };
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  const extra: string[] = [];
  if (!headerOf(root, 'message-id')) extra.push(`Message-ID: <CA${randomToken(mailbox.random, 40)}@mail.gmail.com>`);
  if (!headerOf(root, 'date')) extra.push(`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`);
  if (!headerOf(root, 'from')) extra.push(`From: ${email}`);
  return extra.length ? Buffer.concat([Buffer.from(extra.join(eol) + eol), raw]) : raw;
}

function recipientsOf(raw: Buffer) {
  const root = parseMime(raw.subarray(0, Math.min(raw.length, 64 * 1024)));
  return ['to', 'cc', 'bcc'].flatMap((h) => parseAddresses(headerOf(root, h)).map((a) => a.address.toLowerCase()));
}
