/**
 * Runs a full NocoBase app (from @nocobase/app, with its prebuilt admin UI) with this plugin, as
 * `npm start` and the browser tests need it. The app lives in a git-ignored folder under .app/;
 * the repo is linked into node_modules as @nocobase/plugin-email-manager (dev/scripts/postinstall).
 */
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freshFromTemplate } from './app-template';

export const ROOT = path.resolve(__dirname, '..');
export const PLUGIN_PACKAGE = '@nocobase/plugin-email-manager';
/**
 * Where the app finds its plugins, this one included. APP_NODE_MODULES overrides it: a git
 * worktree shares node_modules with the main checkout, whose plugin link points at the main
 * checkout's dist; a tree of links with the plugin pointing here tests this checkout instead.
 */
const NODE_MODULES = process.env.APP_NODE_MODULES || path.join(ROOT, 'node_modules');
const APP_ENTRY = path.join(NODE_MODULES, '@nocobase/app/lib/index.js');
const HEALTH_TIMEOUT_MS = 120_000;

export const ADMIN = {
  email: process.env.INIT_ROOT_EMAIL || 'admin@nocobase.com',
  password: process.env.INIT_ROOT_PASSWORD || 'admin123',
};

export interface AppOptions {
  /** Folder for storage, sqlite file and markers; one per app. */
  dir: string;
  port: number;
  /** Extra env for the app: DB_* overrides and the EMAIL_MANAGER_* endpoint URLs. */
  env?: Record<string, string>;
  /** Start from an empty database. */
  fresh?: boolean;
  log?: (line: string) => void;
}

export interface RunningApp {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The environment the NocoBase CLI would otherwise set (shared/notes/client-recipe.md §1). */
function appEnv(options: AppOptions): NodeJS.ProcessEnv {
  const storage = path.join(options.dir, 'storage');
  const dialect = options.env?.DB_DIALECT || process.env.DB_DIALECT || 'sqlite';
  const db: Record<string, string> =
    dialect === 'sqlite'
      ? { DB_DIALECT: 'sqlite', DB_STORAGE: path.join(options.dir, 'db', 'nocobase.sqlite') }
      : {
          DB_DIALECT: dialect,
          DB_HOST: process.env.DB_HOST || '127.0.0.1',
          DB_PORT: process.env.DB_PORT || (dialect === 'postgres' ? '5432' : '3306'),
          DB_DATABASE: process.env.DB_DATABASE || 'test',
          DB_USER: process.env.DB_USER || (dialect === 'postgres' ? 'postgres' : 'root'),
          DB_PASSWORD: process.env.DB_PASSWORD || '',
        };
  return {
    ...process.env,
    APP_ENV: 'production',
    APP_KEY: persistentKey(options.dir),
    APP_PORT: String(options.port),
    ...db,
    INIT_ROOT_EMAIL: ADMIN.email,
    INIT_ROOT_PASSWORD: ADMIN.password,
    INIT_ROOT_NICKNAME: 'Super Admin',
    INIT_ROOT_USERNAME: 'nocobase',
    APP_PACKAGE_ROOT: path.join(NODE_MODULES, '@nocobase/app'),
    NODE_MODULES_PATH: NODE_MODULES,
    NODE_PATH: NODE_MODULES,
    STORAGE_PATH: storage,
    SOCKET_PATH: path.join(storage, 'gateway.sock'),
    PM2_HOME: path.join(storage, '.pm2'),
    API_BASE_PATH: '/api/',
    API_CLIENT_STORAGE_PREFIX: 'NOCOBASE_',
    API_CLIENT_STORAGE_TYPE: 'localStorage',
    API_CLIENT_SHARE_TOKEN: 'false',
    WS_PATH: '/ws',
    PLUGIN_STATICS_PATH: '/static/plugins/',
    APP_PUBLIC_PATH: '/',
    // These must exist, even empty, or pm:listEnabled fails and the UI stays blank.
    CDN_BASE_URL: '',
    APP_SERVER_BASE_URL: '',
    APP_BASE_URL: '',
    ESM_CDN_BASE_URL: '',
    ESM_CDN_SUFFIX: '',
    APP_MODERN_CLIENT_PREFIX: 'v',
    APP_CLIENT_ENTRY_MODE: 'legacy-default',
    CACHE_DEFAULT_STORE: 'memory',
    CACHE_MEMORY_MAX: '2000',
    DEFAULT_STORAGE_TYPE: 'local',
    PLUGIN_PACKAGE_PREFIX: '@nocobase/plugin-,@nocobase/plugin-sample-,@nocobase/preset-',
    LOGGER_TRANSPORT: 'console',
    LOGGER_LEVEL: process.env.LOGGER_LEVEL || 'warn',
    NODE_EXTRA_CA_CERTS: path.join(ROOT, 'dev/emulators/tls/cert.pem'),
    // Node resolves a link to its target, which would find the main checkout's plugin again.
    ...(process.env.APP_NODE_MODULES ? { NODE_OPTIONS: '--preserve-symlinks --preserve-symlinks-main' } : {}),
    ...options.env,
  };
}

/** APP_KEY signs sessions: kept per app folder so a restart keeps users signed in. */
function persistentKey(dir: string) {
  const file = path.join(dir, 'app-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'));
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function runCli(args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP_ENTRY, ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        log(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`nocobase ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`)),
    );
  });
}

/** What the database was last prepared for: the dialect target and the built server code. */
function markerOf(env: NodeJS.ProcessEnv) {
  const target = env.DB_DIALECT === 'sqlite' ? env.DB_STORAGE : `${env.DB_DIALECT}://${env.DB_HOST}:${env.DB_PORT}/${env.DB_DATABASE}`;
  const hash = crypto.createHash('sha1');
  for (const file of listFiles(path.join(ROOT, 'dist/server'))) hash.update(file).update(fs.readFileSync(file));
  return JSON.stringify({ target, server: hash.digest('hex') });
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/**
 * Installs the app on its first run and enables the plugin, upgrades when the plugin's server code
 * changed since the last run, and otherwise does nothing, so a second start is quick. `fresh`
 * makes it a copy of a just-installed app instead (dev/app-template.ts: seconds, not a minute).
 */
export async function prepareApp(options: AppOptions) {
  const env = appEnv(options);
  const log = options.log || (() => {});
  const markerFile = path.join(options.dir, `prepared-${env.DB_DIALECT}.json`);
  const marker = markerOf(env);
  if (options.fresh) {
    fs.rmSync(markerFile, { force: true });
    if (env.DB_DIALECT === 'sqlite') fs.rmSync(env.DB_STORAGE!, { force: true });
  }
  fs.mkdirSync(path.join(options.dir, 'db'), { recursive: true });
  if (options.fresh) {
    const install = async (templateEnv: NodeJS.ProcessEnv) => {
      await runCli(['install', '-f'], templateEnv, log);
      await runCli(['pm', 'enable', PLUGIN_PACKAGE], templateEnv, log);
    };
    await freshFromTemplate({ dir: options.dir, env, build: JSON.parse(marker).server }, install);
    fs.writeFileSync(markerFile, marker);
    return;
  }
  const previous = fs.existsSync(markerFile) ? fs.readFileSync(markerFile, 'utf8') : null;
  if (previous === marker) return;
  const previousTarget = previous ? JSON.parse(previous).target : null;
  if (previousTarget !== JSON.parse(marker).target) {
    await runCli(['install'], env, log);
  } else {
    await runCli(['upgrade'], env, log);
  }
  await runCli(['pm', 'enable', PLUGIN_PACKAGE], env, log);
  fs.writeFileSync(markerFile, marker);
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const env = appEnv(options);
  const log = options.log || (() => {});
  const child = spawn(process.execPath, [APP_ENTRY, 'start'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = fs.createWriteStream(path.join(options.dir, 'app.log'), { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      logFile.write(chunk);
      for (const line of chunk.toString().split('\n').filter(Boolean)) log(line);
    });
  }
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, process: child, stop };
}

async function waitForHealth(url: string, child: ChildProcess) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`NocoBase exited with ${child.exitCode}; see app.log`);
    try {
      const res = await fetch(`${url}/api/__health_check`);
      if (res.ok && (await res.text()).includes('ok')) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`NocoBase did not answer ${url}/api/__health_check within ${HEALTH_TIMEOUT_MS / 1000}s`);
}

/** `preferred` when it is free, else any free port. */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(freePort(0)));
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
