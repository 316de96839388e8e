/**
 * The Google emulator: one plain-http server for accounts.google.com (authorize page),
 * oauth2.googleapis.com (token, revoke) and gmail.googleapis.com (REST and the batch endpoint).
 * Their paths do not collide, so all three env vars point at the same base URL.
 */
import { emulatorControls, type Emulator } from '../shared/emulator';
import { Faults } from '../shared/faults';
import { Router, startServer, type ServerOptions } from '../shared/http';
import { limitScale } from '../shared/limits';
import { RequestLog } from '../shared/request-log';
import { gmailBatchRoute } from './batch';
import { gmailControls, type GmailControls } from './controls';
import { apiErrorBody, sendApiError, sendNotFoundPage } from './errors';
import { gmailRoutes } from './gmail';
import { googleOAuthRoutes } from './oauth';
import { GMAIL_UNITS_PER_MINUTE } from './quota';
import { newGoogleState, type GmailMailbox, type GoogleEmulatorOptions, type GoogleState } from './state';

export type { GoogleEmulatorOptions };

export type GoogleEmulator = Emulator<GmailMailbox> & GmailControls & { readonly state: GoogleState };

export async function startGoogleEmulator(options: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  const state = newGoogleState(options);
  const router = new Router();
  googleOAuthRoutes(router, state);
  gmailRoutes(router, state);

  const log = new RequestLog();
  const faults = new Faults(`${options.seed ?? 'emulator'}:faults`);
  const serverOptions: ServerOptions = {
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
  };
  // Batch parts run through the same faults, routes and log as the server itself.
  gmailBatchRoute(router, state, () => serverOptions);
  const server = await startServer(serverOptions);

  const scale = limitScale(options);
  return {
    ...emulatorControls({ directory: state.directory, grants: state.grants, log, faults, servers: [server] }),
    ...gmailControls(state),
    url: server.url,
    env: {
      EMAIL_MANAGER_GOOGLE_ACCOUNTS_URL: server.url,
      EMAIL_MANAGER_GOOGLE_OAUTH_URL: server.url,
      EMAIL_MANAGER_GMAIL_URL: server.url,
      // The plugin's own client-side quota, matched to the scaled limit.
      ...(scale > 0 && scale !== 1 ? { EMAIL_MANAGER_GMAIL_QUOTA_PER_MINUTE: String(Math.max(1, Math.round(GMAIL_UNITS_PER_MINUTE * scale))) } : {}),
    },
    state,
  };
}
