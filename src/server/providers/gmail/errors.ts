import { ProviderClientError, ProviderUnavailableError, ReauthorizeError, TokenRejectedError } from '../types';

/**
 * Turns a googleapis / google-auth-library (gaxios) failure into the plugin's error kinds.
 * `invalid_grant` comes with several descriptions ("Bad Request", "Token has been expired or
 * revoked."), so only the error code is matched.
 */
export function mapGoogleError(error: any, what: string): Error {
  const status: number | undefined = error?.response?.status ?? error?.status;
  const data = error?.response?.data;
  const code: string | undefined = typeof data?.error === 'string' ? data.error : undefined;
  if (code === 'invalid_grant') return new ReauthorizeError(data?.error_description || 'invalid_grant');
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new ProviderClientError(`Google refused the client credentials (${code}): check the Client ID and Secret`);
  }
  if (status === 401) return new TokenRejectedError(`Google refused the access token (${what})`);
  if (!status || status >= 500 || status === 429) {
    const reason = status ? `HTTP ${status}` : error?.code || error?.message || 'no answer';
    return new ProviderUnavailableError(`Cannot reach Google (${what}: ${reason})`, status);
  }
  const message = data?.error?.message || data?.error_description || code || error?.message || `HTTP ${status}`;
  const failure = new Error(`Google ${what} failed: ${message}`);
  (failure as any).status = status;
  return failure;
}
