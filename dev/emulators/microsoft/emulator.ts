/**
 * The Microsoft emulator: two https servers, the identity platform (login.microsoftonline.com)
 * and Graph (graph.microsoft.com), each on its own port so the Graph base URL is a bare origin.
 * https because msal-node refuses an http authority and the Graph client sends the Authorization
 * header only to https hosts; the certificate is dev/emulators/tls/cert.pem, trusted through
 * NODE_EXTRA_CA_CERTS.
 */
import { emulatorControls, type Emulator } from '../shared/emulator';
import { Faults } from '../shared/faults';
import { Router, startServer, type Context, type ServerOptions } from '../shared/http';
import { limitScale } from '../shared/limits';
import { RequestLog } from '../shared/request-log';
import { loadTls } from '../shared/tls';
import { GRAPH_REQUESTS_PER_10_MINUTES } from './api';
import { graphBatchRoute } from './batch';
import { outlookControls, type OutlookControls } from './controls';
import { aadErrorBody, graphCodeOf, graphErrorBody, sendAadError, sendGraphError } from './errors';
import { graphRoutes } from './graph';
import { identityRoutes } from './identity';
import { newMicrosoftState, type MicrosoftEmulatorOptions, type MicrosoftState, type OutlookMailbox } from './state';
import { microsoftTokenRoute } from './token';

export type { MicrosoftEmulatorOptions };

export type MicrosoftEmulator = Emulator<OutlookMailbox> & OutlookControls & {
  /** Base URL of the Graph server (EMAIL_MANAGER_GRAPH_URL). */
  readonly graphUrl: string;
  /** The certificate both servers present; trust it with NODE_EXTRA_CA_CERTS. */
  readonly certPath: string;
  readonly state: MicrosoftState;
};

export async function startMicrosoftEmulator(options: MicrosoftEmulatorOptions = {}): Promise<MicrosoftEmulator> {
  const tls = loadTls();
  const state = newMicrosoftState(options);
  const log = new RequestLog();
  const faults = new Faults(`${options.seed ?? 'emulator'}:faults`);

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
  const graphOptions: ServerOptions = {
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
  };
  // $batch parts run through the same faults, routes and log as the server itself.
  graphBatchRoute(graphRouter, state, () => graphOptions);
  const graph = await startServer(graphOptions);

  state.identityUrl = identity.url;
  const scale = limitScale(options);
  state.graphUrl = graph.url;
  return {
    ...emulatorControls({ directory: state.directory, grants: state.grants, log, faults, servers: [identity, graph], ca: tls.cert }),
    ...outlookControls(state),
    url: identity.url,
    graphUrl: graph.url,
    certPath: tls.certPath,
    env: {
      EMAIL_MANAGER_MICROSOFT_AUTHORITY: identity.url,
      EMAIL_MANAGER_GRAPH_URL: graph.url,
      // For child processes (npm start's app): Node reads it at start-up, so setting it in a
      // running process changes nothing there.
      NODE_EXTRA_CA_CERTS: tls.certPath,
      // The plugin's own client-side limit, matched to the scaled one.
      ...(scale > 0 && scale !== 1 ? { EMAIL_MANAGER_GRAPH_REQUESTS_PER_10_MINUTES: String(Math.max(1, Math.round(GRAPH_REQUESTS_PER_10_MINUTES * scale))) } : {}),
    },
    state,
  };
}
