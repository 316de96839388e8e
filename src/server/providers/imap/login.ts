/**
 * What an IMAP/SMTP account stores (encrypted, with the account): where its two servers are and
 * the password both take. The password never goes into a log line, an error message or a cursor.
 */

export interface ServerEndpoint {
  host: string;
  port: number;
  /** `tls`: TLS from the first byte (IMAP 993, SMTP 465); `starttls`: plain, then STARTTLS, required (IMAP 143, SMTP 587). */
  security: 'tls' | 'starttls';
}

export interface PasswordLogin {
  kind: 'password';
  username: string;
  password: string;
  imap: ServerEndpoint;
  smtp: ServerEndpoint;
}

/** `host:port`, for messages that say which server failed. */
export function endpointLabel(endpoint: ServerEndpoint) {
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}
