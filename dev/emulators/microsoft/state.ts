/**
 * Everything one Microsoft emulator knows, shared by its identity and Graph servers. The mailbox
 * is per user (`directory.users.get(email).mailbox`); the mailbox store of later work extends
 * OutlookMailbox (messages per folder, delta state) without changing how users and tokens work.
 */
import crypto from 'node:crypto';
import type { Directory, EmulatedUser } from '../shared/directory';
import { GrantStore } from '../shared/grants';

export interface MailFolder {
  id: string;
  displayName: string;
  /** Graph's well-known folder name (inbox, drafts, sentitems…), usable in place of the id. */
  wellKnownName: string;
  parentFolderId: string;
}

export interface OutlookMailbox {
  /** The root folder ("Top of Information Store") is the parent of the well-known folders. */
  rootId: string;
  folders: MailFolder[];
}

export interface MicrosoftState {
  directory: Directory<OutlookMailbox>;
  grants: GrantStore;
  /** Seconds an access token lives. */
  accessTokenLifetime: number;
  /** Base URLs of the two servers, for discovery documents and @odata.context links. */
  identityUrl: string;
  graphUrl: string;
}

const WELL_KNOWN: [string, string][] = [
  ['inbox', 'Inbox'],
  ['drafts', 'Drafts'],
  ['sentitems', 'Sent Items'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['archive', 'Archive'],
];

/** An Exchange-style id ("AAMk…"), stable for the same user and seed. */
export function exchangeId(email: string, seed: string) {
  const digest = crypto.createHash('sha256').update(`${email}:${seed}`).digest('base64url');
  return `AAMkAG${digest}AAA=`;
}

export function newOutlookMailbox(user: EmulatedUser<OutlookMailbox>): OutlookMailbox {
  const rootId = exchangeId(user.email, 'msgfolderroot');
  return {
    rootId,
    folders: WELL_KNOWN.map(([wellKnownName, displayName]) => ({
      id: exchangeId(user.email, wellKnownName),
      displayName,
      wellKnownName,
      parentFolderId: rootId,
    })),
  };
}

export function newMicrosoftGrantStore() {
  // Access tokens are opaque, as for personal accounts (EwB…): code must never parse them.
  return new GrantStore({ codePrefix: '0.AX', accessPrefix: 'EwB', refreshPrefix: 'M.C5', revokeAccessWithGrant: false });
}
