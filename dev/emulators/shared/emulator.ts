/**
 * The control surface every provider emulator offers to tests, benches and `npm start`, and the
 * part of it that is the same for all providers.
 */
import { submitConsent, type ConsentChoice } from './consent-client';
import type { ClientInput, Directory, EmulatedClient, EmulatedUser, UserInput } from './directory';
import type { Faults } from './faults';
import type { GrantStore } from './grants';
import type { RunningServer } from './http';
import type { RequestLog, RequestLogEntry } from './request-log';

export interface EmulatorOptions {
  /** Port of the (first) server; 0 or omitted: a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Seconds an access token lives (Google 3599, Microsoft 3600 by default). */
  accessTokenLifetime?: number;
}

export interface Emulator<M> {
  /** Base URL of the emulator's (identity) server. */
  readonly url: string;
  /** Environment variables that point the plugin at this emulator (see src/server/providers/endpoints.ts). */
  readonly env: Record<string, string>;
  readonly clients: Map<string, EmulatedClient>;
  /** Users by lower-cased address; each carries its mailbox state. */
  readonly users: Map<string, EmulatedUser<M>>;
  addClient(client: ClientInput): EmulatedClient;
  addUser(user: UserInput): EmulatedUser<M>;
  /** Does what a browser does on the consent page; resolves to the redirect Location (code or error). */
  consent(authUrl: string, choice: ConsentChoice): Promise<string>;
  /** Expires the access tokens of one user (all users when omitted) now; returns how many were live. */
  expireAccessTokens(email?: string): number;
  /** Revokes the user's grants: their refresh tokens answer invalid_grant from now on. Returns how many. */
  revokeGrant(email: string): number;
  /** The newest access and refresh token issued to a user, e.g. to check they are stored encrypted. */
  tokensOf(email: string): { accessToken?: string; refreshToken?: string } | undefined;
  /** Every request received, oldest first (a live array). */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  readonly faults: Faults;
  close(): Promise<void>;
}

export interface EmulatorParts<M> {
  directory: Directory<M>;
  grants: GrantStore;
  log: RequestLog;
  faults: Faults;
  servers: RunningServer[];
  /** The emulator's CA certificate, for consent() over https. */
  ca?: Buffer;
}

/** The provider-independent members of an Emulator. */
export function emulatorControls<M>(parts: EmulatorParts<M>): Omit<Emulator<M>, 'url' | 'env'> {
  const { directory, grants, log, faults, servers, ca } = parts;
  return {
    clients: directory.clients,
    users: directory.users,
    addClient: (client) => directory.addClient(client),
    addUser: (user) => directory.addUser(user),
    consent: (authUrl, choice) => submitConsent(authUrl, choice, ca),
    expireAccessTokens: (email) => grants.expireAccessTokens(email),
    revokeGrant: (email) => grants.revokeUser(email),
    tokensOf: (email) => grants.tokensOf(email),
    requests: log.entries,
    clearRequests: () => log.clear(),
    faults,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
