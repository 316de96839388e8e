/**
 * Who exists in an emulator: the registered OAuth clients (apps) and the users who can sign in.
 * Each user carries a `mailbox` slot that the provider's emulator fills (null when the account has
 * no mailbox); the later mailbox store hangs off it, so tokens, grants and mail stay per user.
 */
import crypto from 'node:crypto';

export interface ClientInput {
  clientId: string;
  clientSecret: string;
  /** When given, authorize and token requests must use one of these exactly. */
  redirectUris?: string[];
  /** Shown on the consent page ("… wants to access your account"). */
  name?: string;
}

export type EmulatedClient = Required<Pick<ClientInput, 'clientId' | 'clientSecret' | 'name'>> & { redirectUris?: string[] };

export interface AliasInput {
  email: string;
  displayName?: string;
  replyTo?: string;
  /** Gmail send-as verification; only 'accepted' addresses can be sent as. Default 'accepted'. */
  verificationStatus?: 'accepted' | 'pending';
  isDefault?: boolean;
}

export interface UserInput {
  email: string;
  displayName?: string;
  /** Gmail send-as addresses besides the primary one. */
  aliases?: AliasInput[];
  /** False: the account exists but has no mailbox (Google account without Gmail, Entra user without Exchange). Default true. */
  hasMailbox?: boolean;
  /** Google only: a test user of an app in "Testing" status. False: consent ends in access_denied. Default true. */
  testUser?: boolean;
}

export interface EmulatedAlias {
  email: string;
  displayName?: string;
  replyTo?: string;
  verificationStatus: 'accepted' | 'pending';
  isDefault: boolean;
}

export interface EmulatedUser<M = unknown> {
  /** Lower-cased; the key of the directory. */
  email: string;
  displayName: string;
  /** Stable opaque id (Google `sub`, Microsoft `oid`), derived from the address. */
  id: string;
  /** Send-as addresses besides the primary one. */
  aliases: EmulatedAlias[];
  hasMailbox: boolean;
  testUser: boolean;
  /** Provider mailbox state; null without a mailbox. */
  mailbox: M | null;
}

export class Directory<M = unknown> {
  readonly clients = new Map<string, EmulatedClient>();
  readonly users = new Map<string, EmulatedUser<M>>();

  constructor(private readonly newMailbox: (user: EmulatedUser<M>) => M) {}

  addClient(input: ClientInput): EmulatedClient {
    const client: EmulatedClient = {
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      name: input.name || 'Email manager',
      ...(input.redirectUris ? { redirectUris: [...input.redirectUris] } : {}),
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Adds (or replaces) a user. Replacing starts a new mailbox; tokens issued before stay valid. */
  addUser(input: UserInput): EmulatedUser<M> {
    const email = input.email.trim().toLowerCase();
    const user: EmulatedUser<M> = {
      email,
      displayName: input.displayName ?? defaultName(email),
      id: stableId(email),
      aliases: (input.aliases || []).map((a) => ({
        email: a.email.toLowerCase(),
        displayName: a.displayName,
        replyTo: a.replyTo,
        verificationStatus: a.verificationStatus || 'accepted',
        isDefault: Boolean(a.isDefault),
      })),
      hasMailbox: input.hasMailbox ?? true,
      testUser: input.testUser ?? true,
      mailbox: null,
    };
    if (user.hasMailbox) user.mailbox = this.newMailbox(user);
    this.users.set(email, user);
    return user;
  }

  user(email: string | undefined): EmulatedUser<M> | undefined {
    return email ? this.users.get(email.trim().toLowerCase()) : undefined;
  }
}

/** "ada.lovelace@example.com" → "Ada Lovelace". */
function defaultName(email: string) {
  return email
    .split('@')[0]
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}

/** A UUID-shaped id that is the same for the same address in every run (stable fixtures). */
export function stableId(seed: string) {
  const hex = crypto.createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
