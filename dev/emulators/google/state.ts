/**
 * Everything one Google emulator knows, shared by its OAuth and Gmail handlers: users and their
 * mailboxes (`directory.users.get(email).mailbox`), grants, the options the emulator was started
 * with, and per-user quota windows and usage counters.
 */
import { Directory } from '../shared/directory';
import type { EmulatorOptions } from '../shared/emulator';
import { GrantStore } from '../shared/grants';
import { UsageBook, type LimitOptions, type SlidingWindow } from '../shared/limits';
import { seededRandom, type Random } from '../shared/random';
import { GmailMailbox, type GmailMailboxOptions } from './mailbox';

export { GmailMailbox };

export interface GoogleEmulatorOptions extends EmulatorOptions, LimitOptions, GmailMailboxOptions {
  /**
   * How Gmail refuses a request over the per-user quota: 429 rateLimitExceeded (default), 403
   * userRateLimitExceeded, or 'mixed' (either, chosen by the seed: the real service sends both).
   */
  quotaError?: 429 | 403 | 'mixed';
}

export interface GoogleState {
  directory: Directory<GmailMailbox>;
  grants: GrantStore;
  /** Seconds an access token lives (Google: 3599). */
  accessTokenLifetime: number;
  options: GoogleEmulatorOptions;
  usage: UsageBook;
  /** Quota units per user over the last minute. */
  quotas: Map<string, SlidingWindow>;
  random: Random;
}

export function newGoogleState(options: GoogleEmulatorOptions): GoogleState {
  return {
    directory: new Directory<GmailMailbox>((user) => new GmailMailbox(user.email, options)),
    grants: newGoogleGrantStore(),
    accessTokenLifetime: options.accessTokenLifetime ?? 3599,
    options,
    usage: new UsageBook(),
    quotas: new Map(),
    random: seededRandom(`${options.seed ?? 'emulator'}:google`),
  };
}

export function newGoogleGrantStore() {
  // Prefixes as Google's own tokens have them; some code (and people reading logs) recognise them.
  return new GrantStore({ codePrefix: '4/0', accessPrefix: 'ya29.', refreshPrefix: '1//0', revokeAccessWithGrant: true });
}
