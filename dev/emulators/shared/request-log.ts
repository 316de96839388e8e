/**
 * Every request an emulator receives, in arrival order, so tests and benches can assert on what
 * the SDKs really sent (paths, call counts, SDK identification headers) without trusting them.
 * Secrets never enter the log: form fields that carry them are replaced by their length.
 */
import type http from 'node:http';

/** Headers worth keeping: how each SDK identifies itself, and request correlation ids. */
const KEPT_HEADERS = [
  'user-agent',
  'x-goog-api-client',
  'sdkversion',
  'x-client-sku',
  'x-client-ver',
  'x-client-os',
  'x-client-cpu',
  'x-client-current-telemetry',
  'x-client-last-telemetry',
  'x-ms-lib-capability',
  'client-request-id',
  'return-client-request-id',
  'content-type',
  'prefer',
];

const SECRET_FIELDS = new Set(['client_secret', 'code', 'code_verifier', 'refresh_token', 'token', 'client_assertion', 'password']);

export interface RequestLogEntry {
  /** Epoch ms when the request arrived. */
  time: number;
  /** Which server of the emulator answered (e.g. 'google', 'identity', 'graph'). */
  server: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** Whether an Authorization header was sent (its value is never logged). */
  authorization: boolean;
  /** Form fields of an urlencoded body, secrets replaced by `<secret:LENGTH>`. */
  form?: Record<string, string>;
  /** Status answered; 0 when the connection was dropped (an injected reset). */
  status?: number;
  durationMs?: number;
  /** Set when an injected fault handled (or delayed) this request. */
  fault?: boolean;
  /** The emulated user the request acted for, when known. */
  user?: string;
  /** Set for a request carried inside a batch; it is logged after the batch request itself. */
  batchPart?: boolean;
  /**
   * The RFC 5322 message a send or draft request carried, decoded from its transport (base64url
   * `raw`, an upload, base64 MIME), or the message as a send finally went out: what tests assert on.
   */
  mime?: Buffer;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  begin(server: string, req: http.IncomingMessage, url: URL, body: Buffer): RequestLogEntry {
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key).map((v) => (SECRET_FIELDS.has(key) ? secret(v) : v));
      query[key] = values.length === 1 ? values[0] : values;
    }
    const entry: RequestLogEntry = {
      time: Date.now(),
      server,
      method: (req.method || 'GET').toUpperCase(),
      path: url.pathname,
      query,
      headers,
      authorization: Boolean(req.headers.authorization),
    };
    if (/application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'])) && body.length) {
      entry.form = {};
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
        entry.form[key] = SECRET_FIELDS.has(key) ? secret(value) : value;
      }
    }
    this.entries.push(entry);
    return entry;
  }

  finish(entry: RequestLogEntry, status: number) {
    if (entry.status !== undefined) return;
    entry.status = status;
    entry.durationMs = Date.now() - entry.time;
  }

  clear() {
    this.entries.length = 0;
  }
}

function secret(value: string) {
  return `<secret:${value.length}>`;
}
