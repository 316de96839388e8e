/**
 * What every figure shares: the environment a NocoBase app needs (the env block of
 * vitest.config.mts, set here before NocoBase is first required), a real app with the plugin
 * (createMockServer, as in __tests__/helpers/app.ts), a provider emulator, a mailbox generated in
 * it and an account connected through the OAuth flow (as in __tests__/helpers/mail.ts).
 * NODE_EXTRA_CA_CERTS (the Microsoft emulator's certificate) is set by bench/run.ts, which starts
 * every figure in a fresh process because Node reads it only at start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGoogleEmulator, startMicrosoftEmulator, type GenerateOptions } from '../dev/emulators';
import { startEmulatorProcess, type RemoteEmulator } from './emulator-process';

export const ROOT = path.resolve(__dirname, '..');
export const SINCE = '2000-01-01T00:00:00.000Z';
const GOOGLE = { clientId: '1234-bench.apps.googleusercontent.com', clientSecret: 'GOCSPX-bench-secret' };
const MICROSOFT = { clientId: '6f1c2a4e-8b1d-4c3e-9a7f-2d5b8e0c1f3a', clientSecret: 'Abc8Q~bench-microsoft-secret' };
const USER_PLUGINS = ['field-sort', 'users', 'auth', 'acl', 'data-source-manager', 'system-settings', 'error-handler', 'ui-schema-storage', 'user-data-sync', 'departments'];

// @nocobase/utils reads tsconfig.paths.json from the working directory.
process.chdir(ROOT);
Object.assign(process.env, {
  APP_KEY: 'bench-app-key',
  APP_AES_SECRET_KEY: '0'.repeat(64),
  NODE_MODULES_PATH: path.join(ROOT, 'node_modules'),
  STORAGE_PATH: path.join(ROOT, 'node_modules/.bench-storage'),
  LOGGER_TRANSPORT: 'console',
  LOGGER_LEVEL: process.env.LOGGER_LEVEL || 'error',
  LOGGER_SILENT: process.env.LOGGER_SILENT || 'true',
});

export type Dialect = 'sqlite' | 'postgres';
type Google = Awaited<ReturnType<typeof startGoogleEmulator>>;
type Microsoft = Awaited<ReturnType<typeof startMicrosoftEmulator>>;

export interface BenchOptions {
  provider: 'gmail' | 'outlook';
  /** The mailbox address; one per figure and database, so per-mailbox client limiters never carry over. */
  email: string;
  /** What the mailbox holds before the app starts. */
  mailbox: GenerateOptions;
  /** Emulator options (quotas, quotaScale, latencyMs…). */
  emulator?: Record<string, unknown>;
  /** Extra process env for the run (e.g. the client-side quota); restored by close(). */
  env?: Record<string, string>;
  dialect?: Dialect;
  /** The emulator in a child process (its control methods then return promises): for figures that watch this process's event loop. */
  emulatorProcess?: boolean;
}

export interface Bench<E = Google | Microsoft> {
  app: any;
  emulator: E;
  email: string;
  accountId: number;
  sync(kind: 'initial' | 'incremental'): Promise<{ outcome: string; added: number; updated: number; deleted: number; error?: string; durationMs: number }>;
  storedCount(): Promise<number>;
  close(): Promise<void>;
}

/** Points the next app at SQLite (a fresh file) or the shared PostgreSQL database `test`. */
export function useDatabase(dialect: Dialect) {
  for (const key of ['DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USER', 'DB_PASSWORD', 'DB_STORAGE']) delete process.env[key];
  if (dialect === 'postgres') {
    Object.assign(process.env, { DB_DIALECT: 'postgres', DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_DATABASE: 'test', DB_USER: 'postgres', DB_PASSWORD: '' });
    return undefined;
  }
  const file = path.join(os.tmpdir(), `email-manager-bench-${process.pid}-${Date.now()}.sqlite`);
  Object.assign(process.env, { DB_DIALECT: 'sqlite', DB_STORAGE: file });
  return file;
}

/** Emulator + generated mailbox + app + connected account. Close it whatever happens. */
export async function startBench(options: BenchOptions & { emulatorProcess: true }): Promise<Bench<RemoteEmulator>>;
export async function startBench(options: BenchOptions): Promise<Bench>;
export async function startBench(options: BenchOptions): Promise<Bench<Google | Microsoft | RemoteEmulator>> {
  const savedEnv = { ...process.env };
  const start = options.provider === 'gmail' ? startGoogleEmulator : startMicrosoftEmulator;
  const emulatorOptions = { seed: 'bench', ...options.emulator };
  const emulator = options.emulatorProcess ? await startEmulatorProcess(options.provider, emulatorOptions) : await start(emulatorOptions as any);
  let app: any;
  let sqliteFile: string | undefined;
  const close = async () => {
    await app?.destroy().catch(() => undefined);
    await emulator.close();
    process.env = savedEnv;
    if (sqliteFile) fs.rmSync(sqliteFile, { force: true });
  };
  try {
    Object.assign(process.env, emulator.env, options.env);
    await emulator.addClient(options.provider === 'gmail' ? GOOGLE : MICROSOFT);
    await emulator.addUser({ email: options.email, displayName: 'Bench User' });
    await emulator.generateMailbox(options.email, { seed: options.email, start: new Date('2024-01-01'), end: new Date('2025-01-01'), ...options.mailbox });
    sqliteFile = useDatabase(options.dialect ?? 'sqlite');
    app = await createApp();
    const accountId = await connect(app, emulator, options.provider, options.email);
    const plugin = app.pm.get('email-manager');
    const messages = () => app.db.getCollection('mailMessages').model;
    return {
      app,
      emulator,
      email: options.email,
      accountId,
      sync: (kind) => plugin.scheduler.runLocked(accountId, kind),
      storedCount: () => messages().count({ where: { accountId } }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function createApp() {
  // Required here, not imported: the env above must be in place before NocoBase loads.
  const { createMockServer } = require(path.join(ROOT, 'node_modules/@nocobase/test/lib/index.js'));
  const PluginEmailManagerServer = require('../src/server').default;
  return createMockServer({
    acl: true,
    resourcer: { prefix: '/api' },
    // Benches run syncs themselves: no cron, no queue.
    plugins: [...USER_PLUGINS, [PluginEmailManagerServer, { name: 'email-manager', scheduler: false }]],
  });
}

/** Provider settings as root, then the whole connect flow as a member through the consent page. */
async function connect(app: any, emulator: Google | Microsoft | RemoteEmulator, provider: 'gmail' | 'outlook', email: string): Promise<number> {
  const ok = (res: any, what: string) => {
    if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  const root = await app.db.getRepository('users').findOne({ filter: { id: 1 } });
  const rootAgent = await app.agent().login(root, 'root');
  const settings = { googleClientId: GOOGLE.clientId, googleClientSecret: GOOGLE.clientSecret, microsoftClientId: MICROSOFT.clientId, microsoftClientSecret: MICROSOFT.clientSecret };
  ok(await rootAgent.resource('mailSettings').set({ values: settings }), 'mailSettings.set');
  const member = await app.db.getRepository('users').create({ values: { nickname: 'bench', roles: ['member'] } });
  const agent = await app.agent().login(member);
  const started = ok(await agent.resource('mailAccounts').authorize({ values: { provider, syncStartDate: SINCE } }), 'authorize');
  const back = new URL(await emulator.consent(started.url, { email, decision: 'allow' }));
  const done = ok(await agent.resource('mailAccounts').complete({ values: Object.fromEntries(back.searchParams) }), 'complete');
  return done.account.id;
}

/** Fails the figure when a sync did not end well. */
export function checkRun(result: { outcome: string; error?: string } | null, what: string) {
  if (!result) throw new Error(`${what}: the account was busy`);
  if (result.outcome !== 'ok') throw new Error(`${what}: ${result.outcome} ${result.error ?? ''}`.trim());
  return result as NonNullable<typeof result> & { added: number; durationMs: number };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const perMinute = (count: number, ms: number) => Math.round((count / ms) * 60_000);
export const fixed = (value: number, digits = 2) => Number(value.toFixed(digits));
/** The 95th percentile (nearest rank) of the timings of a figure. */
export const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1];
/** Milliseconds one call takes, on the monotonic clock (wall-clock jumps must not skew a figure). */
export const timed = async (run: () => Promise<unknown>) => {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
