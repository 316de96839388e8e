/**
 * Google's HTTP batch endpoint for Gmail (POST /batch/gmail/v1): a multipart/mixed body of
 * `application/http` parts, each a whole inner request; the answer is multipart/mixed with one
 * `application/http` part per request, `Content-ID: <response-ID>`, in request order. As on
 * Google: the batch answers 200 even when parts fail (404, 429 …); each part is authenticated
 * with the outer bearer token (or its own Authorization header), charged its own quota and
 * counted; at most 100 parts. Parts run one after another.
 */
import http from 'node:http';
import { bearerOf, type Context, type Router, type ServerOptions } from '../shared/http';
import { runInner, type InnerAnswer } from '../shared/inner';
import { decodeBody, headerOf, parseMime } from '../shared/mime';
import { randomToken } from '../shared/random';
import { sendApiError, sendUnauthenticated } from './errors';
import type { GoogleState } from './state';

export const GMAIL_BATCH_PATH = '/batch/gmail/v1';
const MAX_PARTS = 100;
/** Inner answer headers worth passing on (the rest are hop-by-hop or noise). */
const PASSED_HEADERS = ['content-type', 'retry-after', 'www-authenticate', 'location'];

export function gmailBatchRoute(router: Router, state: GoogleState, server: () => ServerOptions) {
  router.post(GMAIL_BATCH_PATH, (ctx) => batch(ctx, state, server()));
}

async function batch(ctx: Context, state: GoogleState, server: ServerOptions) {
  const checked = state.grants.checkAccessToken(bearerOf(ctx));
  if ('problem' in checked) return sendUnauthenticated(ctx, checked.problem === 'missing');
  const email = checked.access.grant.email;
  ctx.entry.user = email;
  const contentType = String(ctx.req.headers['content-type'] || '');
  if (!/^multipart\/mixed/i.test(contentType) || !/boundary=/i.test(contentType)) {
    return sendApiError(ctx, 400, 'Batch requests must be multipart/mixed with a boundary.', { reason: 'badRequest' });
  }
  // The outer body is a MIME multipart: the MIME reader splits it (CRLF or LF, preamble, epilogue).
  const root = parseMime(Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), ctx.body]));
  const parts = root.parts.filter((p) => decodeBody(p).toString('latin1').trim());
  if (parts.length > MAX_PARTS) return sendApiError(ctx, 400, `A batch can carry at most ${MAX_PARTS} requests; this one has ${parts.length}.`, { reason: 'badRequest' });
  state.usage.request(email, 'batch');

  const boundary = `batch_${randomToken(state.random, 22).replace(/[-_]/g, 'x')}`;
  const chunks: string[] = [];
  for (const part of parts) {
    const contentId = headerOf(part, 'content-id')?.trim();
    const inner = innerRequest(decodeBody(part));
    let answer: InnerAnswer;
    if (!inner) answer = { status: 400, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: Buffer.from(JSON.stringify({ error: { code: 400, message: 'Malformed request in batch part', status: 'INVALID_ARGUMENT' } })) };
    else {
      if (!inner.headers.authorization && ctx.req.headers.authorization) inner.headers.authorization = ctx.req.headers.authorization;
      answer = await runInner(server, ctx, inner);
    }
    // An injected reset of a part drops the whole batch's connection.
    if (ctx.req.socket.destroyed) return;
    chunks.push(renderPart(answer, contentId));
  }
  const body = Buffer.from(chunks.map((c) => `--${boundary}\r\n${c}`).join('') + `--${boundary}--\r\n`, 'utf8');
  ctx.res.writeHead(200, { 'content-type': `multipart/mixed; boundary=${boundary}`, 'content-length': body.length, vary: 'Origin, X-Origin, Referer' });
  ctx.res.end(body);
}

/** `GET /path?query HTTP/1.1`, headers, blank line, body. */
function innerRequest(bytes: Buffer) {
  const text = bytes.toString('utf8').replace(/^\s+/, '');
  const split = /\r?\n\r?\n/.exec(text);
  const head = split ? text.slice(0, split.index) : text.trimEnd();
  const body = split ? text.slice(split.index + split[0].length) : '';
  const [requestLine, ...lines] = head.split(/\r?\n/);
  const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/[\d.]+)?$/.exec(requestLine.trim());
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const target = m[2].replace(/^https?:\/\/[^/]+/, '');
  return { method: m[1], target, headers, body: Buffer.from(body.replace(/\r?\n$/, ''), 'utf8') };
}

function renderPart(answer: InnerAnswer, contentId: string | undefined) {
  const id = contentId ? `Content-ID: <response-${contentId.replace(/^<|>$/g, '')}>\r\n` : '';
  const status = answer.status || 502;
  const headers = PASSED_HEADERS.filter((h) => answer.headers[h] !== undefined).map((h) => `${canonical(h)}: ${answer.headers[h]}\r\n`);
  const vary = answer.headers.vary ? 'Vary: Origin\r\nVary: X-Origin\r\nVary: Referer\r\n' : '';
  const body = answer.body.toString('utf8');
  return `Content-Type: application/http\r\n${id}\r\nHTTP/1.1 ${status} ${http.STATUS_CODES[status] || ''}\r\n${headers.join('')}${vary}\r\n${body}\r\n`;
}

function canonical(name: string) {
  return name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());
}
