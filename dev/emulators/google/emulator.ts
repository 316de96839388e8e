/**
 * The Google emulator: one plain-http server for accounts.google.com (authorize page),
 * oauth2.googleapis.com (token, revoke) and gmail.googleapis.com. Their paths do not collide, so
 * all three env vars point at the same base URL.
 */
import { Directory } from '../shared/directory';
import { emulatorControls, type Emulator, type EmulatorOptions } from '../shared/emulator';
import { Faults } from '../shared/faults';
import { Router, startServer } from '../shared/http';
import { RequestLog } from '../shared/request-log';
import { apiErrorBody, sendApiError, sendNotFoundPage } from './errors';
import { gmailRoutes } from './gmail';
import { googleOAuthRoutes } from './oauth';
import { newGmailMailbox, newGoogleGrantStore, type GmailMailbox, type GoogleState } from './state';

export type GoogleEmulator = Emulator<GmailMailbox> & { readonly state: GoogleState };

export async function startGoogleEmulator(options: EmulatorOptions = {}): Promise<GoogleEmulator> {
  const state: GoogleState = {
    directory: new Directory<GmailMailbox>(newGmailMailbox),
    grants: newGoogleGrantStore(),
    accessTokenLifetime: options.accessTokenLifetime ?? 3599,
  };
  const router = new Router();
  googleOAuthRoutes(router, state);
  gmailRoutes(router, state);

  const log = new RequestLog();
  const faults = new Faults();
  const server = await startServer({
    name: 'google',
    router,
    log,
    faults,
    host: options.host,
    port: options.port,
    notFound: (ctx) => sendNotFoundPage(ctx),
    failed: (ctx, error) => sendApiError(ctx, 500, `Emulator failure: ${(error as Error)?.message || error}`, { reason: 'backendError' }),
    faultBody: (status, path) =>
      // The token endpoints speak OAuth's {error, error_description}; the APIs their own shape.
      path === '/token' || path === '/revoke'
        ? { error: status >= 500 ? 'internal_failure' : 'invalid_request', error_description: `Injected HTTP ${status}` }
        : apiErrorBody(status),
  });

  return {
    ...emulatorControls({ directory: state.directory, grants: state.grants, log, faults, servers: [server] }),
    url: server.url,
    env: {
      EMAIL_MANAGER_GOOGLE_ACCOUNTS_URL: server.url,
      EMAIL_MANAGER_GOOGLE_OAUTH_URL: server.url,
      EMAIL_MANAGER_GMAIL_URL: server.url,
    },
    state,
  };
}
