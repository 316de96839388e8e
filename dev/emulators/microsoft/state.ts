/**
 * Everything one Microsoft emulator knows, shared by its identity and Graph servers: users and
 * their mailboxes (`directory.users.get(email).mailbox`), grants, the options it was started with,
 * and per-mailbox throttling state and usage counters.
 */
import { Directory } from '../shared/directory';
import type { EmulatorOptions } from '../shared/emulator';
import { GrantStore } from '../shared/grants';
import { UsageBook, type InFlight, type LimitOptions, type SlidingWindow } from '../shared/limits';
import { seededRandom, type Random } from '../shared/random';
import { exchangeId, OutlookMailbox, type MailFolder } from './mailbox';

export { exchangeId, OutlookMailbox, type MailFolder };

export interface MicrosoftEmulatorOptions extends EmulatorOptions, LimitOptions {
  /** Port of the Graph server; 0 or omitted: a free port. */
  graphPort?: number;
  /** Requests in flight per mailbox before 429 MailboxConcurrency (Outlook: 4; not scaled by quotaScale). */
  concurrency?: number;
  /**
   * Parts of one $batch run at the same time. Default: all of them (20 at most), as Graph runs
   * independent parts in parallel, each counted against `concurrency`; 4 gives a batch that
   * never throttles itself.
   */
  batchParallelism?: number;
  /** Share of delta pages that come back smaller than the page size asked for (default 0.25). */
  shortPageRatio?: number;
}

export interface MicrosoftState {
  directory: Directory<OutlookMailbox>;
  grants: GrantStore;
  /** Seconds an access token lives. */
  accessTokenLifetime: number;
  /** Base URLs of the two servers, for discovery documents and @odata links. */
  identityUrl: string;
  graphUrl: string;
  options: MicrosoftEmulatorOptions;
  usage: UsageBook;
  /** Requests per mailbox over the last 10 minutes. */
  windows: Map<string, SlidingWindow>;
  inFlight: Map<string, InFlight>;
  random: Random;
}

export function newMicrosoftState(options: MicrosoftEmulatorOptions): MicrosoftState {
  return {
    directory: new Directory<OutlookMailbox>((user) => new OutlookMailbox(user.email, options)),
    grants: newMicrosoftGrantStore(),
    accessTokenLifetime: options.accessTokenLifetime ?? 3600,
    identityUrl: '',
    graphUrl: '',
    options,
    usage: new UsageBook(),
    windows: new Map(),
    inFlight: new Map(),
    random: seededRandom(`${options.seed ?? 'emulator'}:microsoft`),
  };
}

export function newMicrosoftGrantStore() {
  // Access tokens are opaque, as for personal accounts (EwB…): code must never parse them.
  return new GrantStore({ codePrefix: '0.AX', accessPrefix: 'EwB', refreshPrefix: 'M.C5', revokeAccessWithGrant: false });
}
