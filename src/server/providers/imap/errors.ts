/**
 * IMAP (imapflow) and SMTP (nodemailer) failures in the plugin's terms (provider-errors.ts):
 * a refused password is ReauthorizeError, an unreachable server ProviderUnavailableError naming
 * what failed (DNS, TLS, connection) and where, a server that answered NO/BAD MailServerError
 * with the server's own words. Messages never carry the password: neither library puts it in
 * an error, and nothing here adds it.
 */
import { MessageTooLargeError, ProviderError, ProviderUnavailableError, ReauthorizeError } from '../types';
import { endpointLabel, type ServerEndpoint } from './login';

export const PASSWORD_REFUSED = 'The mail server refused the password';

/** What went wrong, as the connection test reports it. */
export type FailureKind = 'dns' | 'tls' | 'connection' | 'login' | 'capability' | 'server';

/**
 * The server answered and refused (IMAP NO/BAD, SMTP 5xx). `status` is set because the send
 * pipeline (providerFailure) shows the provider's words for errors carrying one; it is the SMTP
 * reply code, or 400 for an IMAP refusal.
 */
export class MailServerError extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
    /** The IMAP response code ([OVERQUOTA], [TRYCREATE]…) or the SMTP enhanced status, when given. */
    readonly responseCode?: string,
  ) {
    super(message);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'EDNS']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_|ETLS$|ClosedAfterConnectTLS$|STARTTLS_INJECTION$|UPGRADE_TIMEOUT$)/;
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL',
  'NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText', 'ECONNECTION', 'ESOCKET',
]);
/** IMAP response codes (RFC 5530) that say "not now" rather than "no". */
const TRANSIENT_IMAP_CODES = new Set(['UNAVAILABLE', 'INUSE', 'SERVERBUG']);

interface WireError {
  message?: string;
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  responseStatus?: string;
  responseText?: string;
  serverResponseCode?: string;
  throttleReset?: number;
  responseCode?: number;
  response?: unknown;
  _err?: WireError;
  cause?: WireError;
}

/** The network-level kind of a failure, or null for one where the server answered. */
function networkKind(error: WireError): { kind: 'dns' | 'tls' | 'connection'; detail: string } | null {
  for (let e: WireError | undefined = error, depth = 0; e && depth < 3; e = e._err || e.cause, depth++) {
    const code = e.code || '';
    const text = e.message || '';
    if (DNS_CODES.has(code)) return { kind: 'dns', detail: 'the host name was not found' };
    if (e.tlsFailed || TLS_CODE.test(code) || /\b(SSL|TLS|certificate)\b/i.test(text)) return { kind: 'tls', detail: text || code };
    if (TIMEOUT_CODES.has(code)) return { kind: 'connection', detail: 'timed out' };
    // nodemailer wraps the socket's error: ESOCKET "connect ECONNREFUSED 127.0.0.1:587".
    if (code === 'ECONNREFUSED' || /\bECONNREFUSED\b/.test(text)) return { kind: 'connection', detail: 'refused' };
    if (CONNECTION_CODES.has(code)) return { kind: 'connection', detail: text || code };
  }
  return null;
}

function unreachable(kind: 'dns' | 'tls' | 'connection', detail: string, endpoint: ServerEndpoint) {
  const where = endpointLabel(endpoint);
  const what = kind === 'dns' ? 'DNS' : kind === 'tls' ? 'TLS' : 'connection';
  return new ProviderUnavailableError(`${what} failure for ${where}: ${detail}`);
}

/** What the connection test shows: which step failed, in words. */
export function classifyImapError(error: unknown, endpoint: ServerEndpoint): { kind: FailureKind; message: string } {
  const e = (error || {}) as WireError;
  if (e.authenticationFailed) return { kind: 'login', message: PASSWORD_REFUSED };
  const network = networkKind(e);
  if (network) return { kind: network.kind, message: unreachable(network.kind, network.detail, endpoint).message };
  return { kind: 'server', message: serverText(e) };
}

function serverText(e: WireError) {
  return (e.responseText || e.message || 'The mail server failed').trim();
}

/** Any imapflow failure as one of the plugin's errors; the plugin's own pass through unchanged. */
export function mapImapError(error: unknown, endpoint: ServerEndpoint): Error {
  if (error instanceof ProviderError) return error;
  const e = (error || {}) as WireError;
  if (e.authenticationFailed) return new ReauthorizeError(PASSWORD_REFUSED);
  if (e.code === 'ETHROTTLE') return new ProviderUnavailableError(`The mail server asked to slow down (${endpointLabel(endpoint)})`, undefined, e.throttleReset ? Math.ceil(e.throttleReset / 1000) : undefined);
  const network = networkKind(e);
  if (network) return unreachable(network.kind, network.detail, endpoint);
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD') {
    const code = e.serverResponseCode?.toUpperCase();
    if (code && TRANSIENT_IMAP_CODES.has(code)) return new ProviderUnavailableError(serverText(e));
    return new MailServerError(serverText(e), 400, code);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The connection test's verdict on an SMTP failure. */
export function classifySmtpError(error: unknown, endpoint: ServerEndpoint): { kind: FailureKind; message: string } {
  const e = (error || {}) as WireError;
  if (e.code === 'EAUTH' || e.responseCode === 535) return { kind: 'login', message: PASSWORD_REFUSED };
  const network = networkKind(e);
  if (network) return { kind: network.kind, message: unreachable(network.kind, network.detail, endpoint).message };
  return { kind: 'server', message: (e.message || 'The mail server failed').trim() };
}

/** A nodemailer failure while sending `size` bytes. */
export function mapSmtpError(error: unknown, endpoint: ServerEndpoint, size: number): Error {
  if (error instanceof ProviderError) return error;
  const e = (error || {}) as WireError;
  const text = e.message || '';
  if (e.code === 'EAUTH' || e.responseCode === 535) return new ReauthorizeError(PASSWORD_REFUSED);
  // nodemailer refuses before sending when the server announced a smaller SIZE: "… allowed 10240000".
  if (e.code === 'EMESSAGE' || e.responseCode === 552 || e.responseCode === 523) {
    const limit = Number(/allowed (\d+)/.exec(text)?.[1]);
    // A 552 without the server's SIZE leaves the limit unknown (0); see the report.
    return new MessageTooLargeError(size, Number.isFinite(limit) ? limit : 0);
  }
  const network = networkKind(e);
  if (network) return unreachable(network.kind, network.detail, endpoint);
  const status = e.responseCode;
  if (status && status >= 400 && status < 500) return new ProviderUnavailableError(text.trim(), status);
  if (status && status >= 500) return new MailServerError(text.trim(), status);
  return error instanceof Error ? error : new Error(String(error));
}
