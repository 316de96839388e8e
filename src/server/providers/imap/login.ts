/**
 * What an IMAP/SMTP account stores (encrypted, with the account): where its two servers are and
 * the password both take. The password never goes into a log line, an error message or a cursor.
 */

import type { ServerEndpoint } from '../../../shared/accounts-api';

// The shapes are the seam's (credentials.ts, src/shared): an account stores exactly this.
export type { ServerEndpoint } from '../../../shared/accounts-api';
export type { PasswordLogin } from '../credentials';

/** `host:port`, for messages that say which server failed. */
export function endpointLabel(endpoint: ServerEndpoint) {
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}
