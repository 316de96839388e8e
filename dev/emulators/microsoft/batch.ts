/**
 * Graph JSON batching (POST /v1.0/$batch): up to 20 requests `{id, method, url, headers?, body?,
 * dependsOn?}`, answered `{responses: [{id, status, headers, body}]}` in any order (shuffled by the
 * seed, as Graph gives no order). Each request is authenticated with the batch's bearer token and
 * throttled on its own, so a part can get 429 while the batch answers 200. As on Graph, the parts
 * of a batch run at the same time unless `dependsOn` orders them, and each counts against the
 * mailbox's 4 concurrent requests: a batch of more than 4 independent parts (or one sent while
 * other requests are in flight) gets 429 MailboxConcurrency with a `Retry-After` header for the
 * excess parts. (`batchParallelism` caps how many parts run at once, for a gentler Graph.) Parts
 * that depend on another run after it and get 424 when it failed. JSON bodies come back as JSON,
 * other bodies as base64 strings.
 */
import { jsonOf, type Context, type Router, type ServerOptions } from '../shared/http';
import { runInner, type InnerAnswer } from '../shared/inner';
import { shuffle } from '../shared/random';
import { authenticate, sendGraph } from './api';
import { sendGraphError } from './errors';
import type { MicrosoftState } from './state';

export const GRAPH_BATCH_LIMIT = 20;

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export function graphBatchRoute(router: Router, state: MicrosoftState, server: () => ServerOptions) {
  router.post('/v1.0/$batch', (ctx) => batch(ctx, state, server()));
}

async function batch(ctx: Context, state: MicrosoftState, server: ServerOptions) {
  const user = authenticate(ctx, state);
  if (!user) return;
  let requests: BatchRequest[];
  try {
    requests = jsonOf(ctx)?.requests;
  } catch {
    return sendGraphError(ctx, 400, 'BadRequest', 'Unable to read JSON request payload.');
  }
  if (!Array.isArray(requests) || !requests.length) return sendGraphError(ctx, 400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > GRAPH_BATCH_LIMIT) return sendGraphError(ctx, 400, 'BadRequest', `Number of requests inside batch exceed the limit of ${GRAPH_BATCH_LIMIT}.`);
  const ids = new Set(requests.map((r) => String(r?.id ?? '')));
  if (ids.size !== requests.length || ids.has('')) return sendGraphError(ctx, 400, 'BadRequest', 'Batch request ids must be present and unique.');
  state.usage.request(user.email, 'batch');

  const answers = new Map<string, InnerAnswer>();
  const pending = [...requests];
  const parallel = Math.max(1, state.options.batchParallelism ?? GRAPH_BATCH_LIMIT);
  while (pending.length) {
    // The next wave: parts whose dependencies are answered, at most `parallel` of them.
    const ready = pending.filter((r) => (r.dependsOn || []).every((d) => answers.has(String(d)) || !ids.has(String(d)))).slice(0, parallel);
    if (!ready.length) {
      for (const r of pending.splice(0)) answers.set(String(r.id), failure(400, 'BadRequest', 'The dependsOn graph of the batch has a cycle.'));
      break;
    }
    for (const r of ready) pending.splice(pending.indexOf(r), 1);
    await Promise.all(
      ready.map(async (r) => {
        const failedDependency = (r.dependsOn || []).some((d) => (answers.get(String(d))?.status ?? 200) >= 400);
        answers.set(String(r.id), failedDependency ? failure(424, 'FailedDependency', 'A request this one depends on failed.') : await run(ctx, server, r));
      }),
    );
    if (ctx.req.socket.destroyed) return;
  }
  const responses = shuffle(state.random, requests).map((r) => render(String(r.id), answers.get(String(r.id))!));
  sendGraph(ctx, 200, { responses });
}

function run(ctx: Context, server: ServerOptions, request: BatchRequest): Promise<InnerAnswer> {
  const url = String(request.url || '');
  // Relative to the version root; tolerate a leading /v1.0 and a missing slash.
  const target = `/v1.0/${url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/?(v1\.0\/)?/, '')}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers || {})) headers[name.toLowerCase()] = String(value);
  if (ctx.req.headers.authorization) headers.authorization = ctx.req.headers.authorization;
  let body: Buffer | undefined;
  if (request.body !== undefined) {
    body = Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
    headers['content-type'] ??= 'application/json';
  }
  return runInner(server, ctx, { method: String(request.method || 'GET'), target, headers, body });
}

function failure(status: number, code: string, message: string): InnerAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ error: { code, message } })) };
}

function render(id: string, answer: InnerAnswer) {
  const headers: Record<string, string> = {};
  // Graph spells the part headers this way; the Graph client looks for "Content-Type".
  for (const [name, value] of Object.entries(answer.headers)) {
    if (['content-type', 'retry-after', 'location', 'odata-version', 'preference-applied', 'cache-control'].includes(name)) {
      headers[name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase()).replace('Odata', 'OData')] = value;
    }
  }
  const out: Record<string, unknown> = { id, status: answer.status || 502, headers };
  if (answer.body.length) {
    const json = /json/i.test(answer.headers['content-type'] || '');
    out.body = json ? JSON.parse(answer.body.toString('utf8')) : answer.body.toString('base64');
  }
  return out;
}
