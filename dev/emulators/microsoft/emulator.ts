/**
 * The Microsoft emulator: two https servers, the identity platform (login.microsoftonline.com)
 * and Graph (graph.microsoft.com), each on its own port so the Graph base URL is a bare origin.
 * https because msal-node refuses an http authority and the Graph client sends the Authorization
 * header only to https hosts; the certificate is dev/emulators/tls/cert.pem, trusted through
 * NODE_EXTRA_CA_CERTS.
 */
import { Directory } from '../shared/directory';
import { emulatorControls, type Emulator, type EmulatorOptions } from '../shared/emulator';
import { Faults } from '../shared/faults';
import { Router, startServer, type Context } from '../shared/http';
import { RequestLog } from '../shared/request-log';
import { loadTls } from '../shared/tls';
import { aadErrorBody, graphCodeOf, graphErrorBody, sendAadError, sendGraphError } from './errors';
import { graphRoutes } from './graph';
import { identityRoutes } from './identity';
import { newMicrosoftGrantStore, newOutlookMailbox, type MicrosoftState, type OutlookMailbox } from './state';
import { microsoftTokenRoute } from './token';

export interface MicrosoftEmulatorOptions extends EmulatorOptions {
  /** Port of the Graph server; 0 or omitted: a free port. */
  graphPort?: number;
}

export type MicrosoftEmulator = Emulator<OutlookMailbox> & {
  /** Base URL of the Graph server (EMAIL_MANAGER_GRAPH_URL). */
  readonly graphUrl: string;
  /** The certificate both servers present; trust it with NODE_EXTRA_CA_CERTS. */
  readonly certPath: string;
  readonly state: MicrosoftState;
};

export async function startMicrosoftEmulator(options: MicrosoftEmulatorOptions = {}): Promise<MicrosoftEmulator> {
  const tls = loadTls();
  const state: MicrosoftState = {
    directory: new Directory<OutlookMailbox>(newOutlookMailbox),
    grants: newMicrosoftGrantStore(),
    accessTokenLifetime: options.accessTokenLifetime ?? 3600,
    identityUrl: '',
    graphUrl: '',
  };
  const log = new RequestLog();
  const faults = new Faults();

  const identityRouter = new Router();
  identityRoutes(identityRouter, state);
  microsoftTokenRoute(identityRouter, state);
  const identity = await startServer({
    name: 'identity',
    router: identityRouter,
    log,
    faults,
    tls,
    host: options.host,
    port: options.port,
    notFound: (ctx: Context) => sendAadError(ctx, 404, 'invalid_request', 900561, `The endpoint ${ctx.path} does not exist or does not accept ${ctx.method}.`),
    failed: (ctx, error) => sendAadError(ctx, 500, 'server_error', 90033, `Emulator failure: ${(error as Error)?.message || error}`),
    faultBody: (status) =>
      status >= 500
        ? aadErrorBody('temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
        : status === 429
          ? aadErrorBody('temporarily_unavailable', 90055, 'TenantThrottlingError - There are too many incoming requests. Please try again later.')
          : aadErrorBody('invalid_request', 90014, `Injected HTTP ${status}.`),
  });

  const graphRouter = new Router();
  graphRoutes(graphRouter, state);
  const graph = await startServer({
    name: 'graph',
    router: graphRouter,
    log,
    faults,
    tls,
    host: options.host,
    port: options.graphPort,
    notFound: (ctx: Context, status) =>
      status === 405
        ? sendGraphError(ctx, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.')
        : sendGraphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${ctx.path.split('/').pop()}'.`),
    failed: (ctx, error) => sendGraphError(ctx, 500, 'InternalServerError', `Emulator failure: ${(error as Error)?.message || error}`),
    faultBody: (status) => graphErrorBody(graphCodeOf(status), `Injected HTTP ${status}.`),
  });

  state.identityUrl = identity.url;
  state.graphUrl = graph.url;
  return {
    ...emulatorControls({ directory: state.directory, grants: state.grants, log, faults, servers: [identity, graph], ca: tls.cert }),
    url: identity.url,
    graphUrl: graph.url,
    certPath: tls.certPath,
    env: {
      EMAIL_MANAGER_MICROSOFT_AUTHORITY: identity.url,
      EMAIL_MANAGER_GRAPH_URL: graph.url,
      // For child processes (npm start's app): Node reads it at start-up, so setting it in a
      // running process changes nothing there.
      NODE_EXTRA_CA_CERTS: tls.certPath,
    },
    state,
  };
}
