/**
 * The few HTTP pieces the emulators share: a method + path router, the request context (body read
 * up front so fault injection and the request log see every request the same way), senders, and
 * a server starter that logs each request and applies injected faults before normal handling.
 * Plain node:http/https on purpose: the emulators must behave like the real hosts byte for byte
 * where the SDKs care (status, content type, headers), and a framework would add its own habits.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Faults } from './faults';
import type { RequestLog, RequestLogEntry } from './request-log';

export interface Context {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** Path without the query, percent-decoding left to the handlers. */
  path: string;
  query: URLSearchParams;
  /** Values of the `:name` segments of the matched route. */
  params: Record<string, string>;
  body: Buffer;
  /** The log entry of this request; handlers may add details (e.g. `user`). */
  entry: RequestLogEntry;
  /** Absolute base URL of this server as the client reached it (for links in answers). */
  base: string;
  /** Set for a request carried inside a batch (its answer goes into the batch's answer). */
  inBatch?: boolean;
}

export type Handler = (ctx: Context) => void | Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Routes by method and a path pattern: `:name` matches one segment, a final `*` the rest. */
export class Router {
  private routes: Route[] = [];

  on(method: string, path: string, handler: Handler) {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment === '*') {
          names.push('rest');
          return '(.*)';
        }
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  get(path: string, handler: Handler) {
    return this.on('GET', path, handler);
  }

  post(path: string, handler: Handler) {
    return this.on('POST', path, handler);
  }

  /** The handler for a request, or why there is none (404: no such path, 405: wrong method). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 404 | 405 {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { handler: route.handler, params };
    }
    return pathMatched ? 405 : 404;
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

export function redirect(res: http.ServerResponse, location: string) {
  res.writeHead(302, { location, 'content-length': 0 });
  res.end();
}

/** The body as form fields (application/x-www-form-urlencoded), later fields winning. */
export function formOf(ctx: Context): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(ctx.body.toString('utf8')));
}

export function jsonOf(ctx: Context): any {
  const text = ctx.body.toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** The bearer token of the Authorization header, or undefined. */
export function bearerOf(ctx: Context): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization || '');
  return match?.[1];
}

export interface ServerOptions {
  /** Names the server in the request log and lets a fault target it (`server` of a fault). */
  name: string;
  router: Router;
  log: RequestLog;
  faults: Faults;
  /** Provider-shaped answers for what the router does not handle. */
  notFound(ctx: Context, status: 404 | 405): void;
  /** Provider-shaped answer for a handler that threw (a bug in the emulator, shown as 500). */
  failed(ctx: Context, error: unknown): void;
  /** Body of an injected fault that names a status but no body, in the provider's error shape. */
  faultBody(status: number, path: string): unknown;
  tls?: { cert: Buffer; key: Buffer };
  host?: string;
  port?: number;
}

export interface RunningServer {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host || '127.0.0.1';
  const scheme = options.tls ? 'https' : 'http';
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(options, scheme, req, res).catch((error) => {
      // Only reached when even the error answer failed (socket gone); nothing left to tell.
      if (!res.headersSent) res.destroy(error);
    });
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port || 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        // SDKs keep connections alive; without this close() waits for their idle timeout.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(options: ServerOptions, scheme: string, req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url || '/', `${scheme}://${req.headers.host || 'localhost'}`);
  const body = await readBody(req);
  const entry = options.log.begin(options.name, req, url, body);
  // The status is logged when the head is written, not on 'finish': the client (often in this
  // same process) can have the answer before 'finish' fires, and a test reads the log right then.
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, statusCode: number, ...rest: any[]) {
    options.log.finish(entry, statusCode);
    return (writeHead as any).call(this, statusCode, ...rest);
  } as typeof res.writeHead;
  res.on('finish', () => options.log.finish(entry, res.statusCode));
  res.on('close', () => !res.writableFinished && options.log.finish(entry, 0));
  const ctx: Context = {
    req,
    res,
    method: (req.method || 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    params: {},
    body,
    entry,
    base: `${scheme}://${req.headers.host}`,
  };
  await serve(options, ctx);
}

/**
 * Injected faults, then the route, then the error answer for a handler that threw. Batch parts go
 * through here too (with `ctx.inBatch`), so they see the same handlers and their own faults.
 */
export async function serve(options: ServerOptions, ctx: Context) {
  const { req, res, entry } = ctx;
  const fault = options.faults.take(options.name, ctx.method, ctx.path, Boolean(ctx.inBatch));
  if (fault) {
    entry.fault = true;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.reset) {
      req.socket.destroy();
      return;
    }
    if (fault.status) {
      const answer = fault.body ?? options.faultBody(fault.status, ctx.path);
      if (typeof answer === 'string') {
        res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8', ...fault.headers });
        res.end(answer);
      } else sendJson(res, fault.status, answer, fault.headers);
      return;
    }
    // Only a delay: a slow but otherwise normal answer.
  }

  const found = options.router.match(ctx.method, ctx.path);
  if (typeof found === 'number') return options.notFound(ctx, found);
  ctx.params = found.params;
  try {
    await found.handler(ctx);
  } catch (error) {
    if (!res.headersSent) options.failed(ctx, error);
    else res.destroy();
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
