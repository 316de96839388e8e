/**
 * Requests carried inside a batch (Gmail's multipart/mixed, Graph's $batch). Each one runs through
 * the same faults, routes and handlers as a top-level request (`serve`), with a stand-in request
 * and a response that captures status, headers and body for the batch's answer. Each is logged
 * with `batchPart: true`.
 */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { serve, type Context, type ServerOptions } from './http';

export interface InnerRequest {
  method: string;
  /** Path and query ('/gmail/v1/users/me/messages/X?format=raw'), or an absolute URL. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface InnerAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The parts of http.ServerResponse the handlers use. */
class CapturedResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableFinished = false;
  headers: Record<string, string> = {};
  private chunks: Buffer[] = [];

  setHeader(name: string, value: string | number | string[]) {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  getHeader(name: string) {
    return this.headers[name.toLowerCase()];
  }

  writeHead(status: number, headers: http.OutgoingHttpHeaders = {}) {
    this.statusCode = status;
    this.headersSent = true;
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.setHeader(name, value as string);
    return this;
  }

  write(chunk: string | Buffer) {
    this.headersSent = true;
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return true;
  }

  end(chunk?: string | Buffer) {
    if (this.writableFinished) return this;
    if (chunk !== undefined) this.write(chunk);
    this.headersSent = true;
    this.writableFinished = true;
    this.emit('finish');
    this.emit('close');
    return this;
  }

  destroy() {
    if (!this.writableFinished) {
      this.statusCode = 0;
      this.writableFinished = true;
      this.emit('close');
    }
    return this;
  }

  get body() {
    return Buffer.concat(this.chunks);
  }
}

export async function runInner(options: ServerOptions, outer: Context, request: InnerRequest): Promise<InnerAnswer> {
  const url = new URL(request.target, outer.base);
  const headers: Record<string, string> = { host: outer.req.headers.host || '' };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const body = request.body || Buffer.alloc(0);
  const req = { method: request.method.toUpperCase(), url: url.pathname + url.search, headers, socket: outer.req.socket } as unknown as http.IncomingMessage;
  const entry = options.log.begin(options.name, req, url, body);
  entry.batchPart = true;
  const res = new CapturedResponse();
  const ctx: Context = {
    req,
    res: res as unknown as http.ServerResponse,
    method: req.method!,
    path: url.pathname,
    query: url.searchParams,
    params: {},
    body,
    entry,
    base: outer.base,
    inBatch: true,
  };
  await serve(options, ctx);
  // Handlers answer before they resolve; one that did not (an injected reset) dropped the part.
  if (!res.writableFinished) res.destroy();
  options.log.finish(entry, res.statusCode);
  return { status: res.statusCode, headers: res.headers, body: res.body };
}
