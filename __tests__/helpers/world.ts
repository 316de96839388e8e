/**
 * The one set-up of the server tests that need mail: the provider emulators asked for (their env
 * set in process.env), their mailboxes, a real NocoBase app (ACL on) or a cluster of them, the
 * signed-in agents, both providers configured, the requested accounts connected through the real
 * OAuth flow and, if asked, imported. `close()` destroys the app, stops the emulators and puts
 * process.env back as it was; a set-up that fails half-way cleans up the same way before it throws.
 *
 *   let w: MailWorld<'owner'>;
 *   beforeAll(async () => {
 *     w = await mailWorld({
 *       seed: 'my-test',
 *       google: true,
 *       users: { google: [OWNER] },
 *       mailboxes: async ({ google }) => google.seed(OWNER, { eml: await mailCenterMailbox(OWNER) }),
 *       connect: { owner: { provider: 'gmail', email: OWNER } },
 *       sync: true,
 *     });
 *   });
 *   afterAll(() => w?.close());
 */
import { MockCluster, MockServer } from '@nocobase/test';
import { expect } from 'vitest';
import { startGoogleEmulator, startMicrosoftEmulator, type GoogleEmulatorOptions, type MicrosoftEmulatorOptions, type UserInput } from '../../dev/emulators';
import { agents, createApp, createCluster, sharedDatabase } from './app';
import { configureProviders, connectAccount, GOOGLE, Google, MICROSOFT, Microsoft, pluginOf } from './mail';

export type Agents = Awaited<ReturnType<typeof agents>>;
export type Provider = 'gmail' | 'outlook';

/** One account to connect. */
export interface AccountSpec {
  provider: Provider;
  email: string;
  /** Which signed-in agent connects it (default memberA). */
  by?: 'memberA' | 'memberB' | 'admin' | 'root';
  /** The sync start date (default 2000-01-01T00:00:00Z: all of the mailbox). */
  since?: string;
}

export interface MailWorldOptions<K extends string> {
  /** The seed of both emulators (ids, page sizes, answer order); the emulators' default when omitted. */
  seed?: string;
  /** Start the Google emulator (true), with these options besides the seed. */
  google?: boolean | Omit<GoogleEmulatorOptions, 'seed'>;
  /** Start the Microsoft emulator (true), with these options besides the seed. */
  microsoft?: boolean | Omit<MicrosoftEmulatorOptions, 'seed'>;
  /** Users to add to each emulator (an address, or the whole UserInput). */
  users?: { google?: (string | UserInput)[]; microsoft?: (string | UserInput)[] };
  /** Fills the mailboxes (seed, addMessage, labels, folders…), after the users and before the app connects. */
  mailboxes?(emulators: { google: Google; microsoft: Microsoft }): unknown;
  /** NocoBase plugins of the app (of each node of a cluster) besides this one (default USER_PLUGINS). */
  plugins?: string[];
  /** Instead of one app: this many instances on one shared database; `app` is the first. */
  cluster?: { nodes: number; dialect: Parameters<typeof sharedDatabase>[0] };
  /** Save both emulator clients as the app's provider settings (default true). */
  providers?: boolean;
  /** Accounts to connect, by the name `accounts` answers their ids under; connected in this order. */
  connect?: Record<K, AccountSpec>;
  /** Run each connected account's first import (expected to end "ok"), in the order of `connect`. */
  sync?: boolean;
}

export interface MailWorld<K extends string = string> {
  app: MockServer;
  /** Set with the `cluster` option; `app` is its first node. */
  cluster: MockCluster | undefined;
  as: Agents;
  /** The Google emulator; undefined unless asked for. */
  google: Google;
  /** The Microsoft emulator; undefined unless asked for. */
  microsoft: Microsoft;
  /** The ids of the connected accounts, by their names in `connect`. */
  accounts: Record<K, number>;
  close(): Promise<void>;
}

const ALL_MAIL = '2000-01-01T00:00:00Z';

export async function mailWorld<K extends string = never>(options: MailWorldOptions<K>): Promise<MailWorld<K>> {
  const savedEnv = { ...process.env };
  const world = { accounts: {} } as MailWorld<K>;
  world.close = async () => {
    try {
      await (world.cluster ? world.cluster.destroy() : world.app?.destroy());
    } finally {
      // Both emulators stop and the env comes back even when the app's destroy failed.
      await Promise.allSettled([world.google?.close(), world.microsoft?.close()]);
      restoreEnv(savedEnv);
    }
  };
  try {
    const seed = options.seed === undefined ? {} : { seed: options.seed };
    const extra = <T>(asked: boolean | T | undefined) => (typeof asked === 'object' ? asked : {});
    if (options.google) world.google = await startGoogleEmulator({ ...extra(options.google), ...seed });
    if (options.microsoft) world.microsoft = await startMicrosoftEmulator({ ...extra(options.microsoft), ...seed });
    Object.assign(process.env, world.google?.env, world.microsoft?.env);
    world.google?.addClient(GOOGLE);
    world.microsoft?.addClient(MICROSOFT);
    const user = (u: string | UserInput) => (typeof u === 'string' ? { email: u } : u);
    for (const u of options.users?.google || []) world.google.addUser(user(u));
    for (const u of options.users?.microsoft || []) world.microsoft.addUser(user(u));
    await options.mailboxes?.({ google: world.google, microsoft: world.microsoft });

    if (options.cluster) {
      world.cluster = await createCluster(options.cluster.nodes, sharedDatabase(options.cluster.dialect), options.plugins);
      world.app = world.cluster.nodes[0];
    } else {
      world.app = await createApp(options.plugins);
    }
    world.as = await agents(world.app);
    if (options.providers !== false) await configureProviders(world.as.root);
    for (const [name, spec] of Object.entries(options.connect || {}) as [K, AccountSpec][]) {
      const emulator = spec.provider === 'gmail' ? world.google : world.microsoft;
      world.accounts[name] = (await connectAccount(world.as[spec.by || 'memberA'], emulator, spec.provider, spec.email, spec.since || ALL_MAIL)).id;
    }
    if (options.sync) {
      for (const id of Object.values<number>(world.accounts)) expect((await pluginOf(world.app).scheduler.runLocked(id, 'initial'))?.outcome).toBe('ok');
    }
    return world;
  } catch (error) {
    await world.close().catch(() => undefined);
    throw error;
  }
}

/** Puts process.env back to `saved` in place (the object stays Node's own). */
function restoreEnv(saved: NodeJS.ProcessEnv) {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}
