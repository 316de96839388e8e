/**
 * Everything one Google emulator knows, shared by its OAuth and Gmail handlers. The mailbox is
 * per user (`directory.users.get(email).mailbox`); the mailbox store of later work extends
 * GmailMailbox (messages, labels, threads, history) without changing how users and tokens work.
 */
import type { Directory } from '../shared/directory';
import { GrantStore } from '../shared/grants';

export interface GmailMailbox {
  /** Gmail's history id: grows with every change to the mailbox. */
  historyId: number;
}

export interface GoogleState {
  directory: Directory<GmailMailbox>;
  grants: GrantStore;
  /** Seconds an access token lives (Google: 3599). */
  accessTokenLifetime: number;
}

export function newGmailMailbox(): GmailMailbox {
  return { historyId: 1000 };
}

export function newGoogleGrantStore() {
  // Prefixes as Google's own tokens have them; some code (and people reading logs) recognise them.
  return new GrantStore({ codePrefix: '4/0', accessPrefix: 'ya29.', refreshPrefix: '1//0', revokeAccessWithGrant: true });
}
