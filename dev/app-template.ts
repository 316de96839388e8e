/**
 * A fresh app in seconds instead of a minute. `nocobase install -f` then `pm enable` of this
 * plugin took 65 s on this 2-core machine (busy), and every browser test file wants a fresh app:
 * 12 files in the SQLite pass and 4 in each of the other two cost about 20 of CI's 70 minutes.
 * So the first fresh app of a build installs into a template, and every later one is a copy:
 * - SQLite: the database file;
 * - PostgreSQL: `CREATE DATABASE … TEMPLATE …` (a file-level copy inside the server);
 * - MariaDB/MySQL: `CREATE TABLE … LIKE` + `INSERT … SELECT` per table (no template databases there).
 * The storage folder (the uploaded logo the database points at) and the APP_KEY go with it.
 * A template is keyed by what makes an install differ: the dialect and server, the NocoBase
 * version, and this plugin's built server code; older templates are removed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Sequelize } from 'sequelize';

const TEMPLATES = path.join(__dirname, '..', '.app', 'templates');
/** Database templates carry this prefix, so stale ones can be found and dropped. */
const DB_PREFIX = 'em_tpl_';

export interface TemplateTarget {
  /** The app's folder (its app-key, storage/ and, on SQLite, db/nocobase.sqlite). */
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The build's fingerprint (dist/server), part of the template's key. */
  build: string;
}

type Install = (env: NodeJS.ProcessEnv) => Promise<void>;

const isSqlite = (env: NodeJS.ProcessEnv) => (env.DB_DIALECT || 'sqlite') === 'sqlite';

function templateKey(target: TemplateTarget) {
  const { env } = target;
  const appVersion = JSON.parse(fs.readFileSync(require.resolve('@nocobase/app/package.json'), 'utf8')).version;
  const server = isSqlite(env) ? 'sqlite' : `${env.DB_DIALECT}://${env.DB_USER}@${env.DB_HOST}:${env.DB_PORT}`;
  return crypto.createHash('sha1').update(JSON.stringify([server, appVersion, target.build])).digest('hex').slice(0, 12);
}

/** A connection to the database server, outside any app database (for CREATE/DROP DATABASE). */
function serverConnection(env: NodeJS.ProcessEnv) {
  const dialect = env.DB_DIALECT === 'postgres' ? 'postgres' : 'mariadb';
  return new Sequelize(dialect === 'postgres' ? 'postgres' : '', env.DB_USER || '', env.DB_PASSWORD || '', {
    dialect: env.DB_DIALECT as 'postgres' | 'mariadb' | 'mysql',
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    logging: false,
  });
}

const quoteName = (env: NodeJS.ProcessEnv, name: string) => (env.DB_DIALECT === 'postgres' ? `"${name}"` : `\`${name}\``);

async function databaseNames(db: Sequelize, env: NodeJS.ProcessEnv): Promise<string[]> {
  const sql = env.DB_DIALECT === 'postgres' ? 'SELECT datname AS name FROM pg_database' : 'SELECT schema_name AS name FROM information_schema.schemata';
  const [rows] = await db.query(sql);
  return (rows as { name?: string; NAME?: string }[]).map((r) => String(r.name ?? r.NAME));
}

/** Installs the template once per key (into its own folder and, off SQLite, its own database). */
async function ensureTemplate(target: TemplateTarget, install: Install) {
  const key = templateKey(target);
  const dialect = target.env.DB_DIALECT || 'sqlite';
  const dir = path.join(TEMPLATES, `${dialect}-${key}`);
  const database = `${DB_PREFIX}${key}`;
  const ready = path.join(dir, 'ready');
  const db = isSqlite(target.env) ? null : serverConnection(target.env);
  try {
    const databaseThere = db ? (await databaseNames(db, target.env)).includes(database) : true;
    if (fs.existsSync(ready) && databaseThere) return { dir, database };

    // Stale templates of this dialect (another build or version) go first.
    for (const old of fs.existsSync(TEMPLATES) ? fs.readdirSync(TEMPLATES) : []) {
      if (old.startsWith(`${dialect}-`)) fs.rmSync(path.join(TEMPLATES, old), { recursive: true, force: true });
    }
    if (db) {
      for (const name of await databaseNames(db, target.env)) {
        if (name.startsWith(DB_PREFIX)) await db.query(`DROP DATABASE IF EXISTS ${quoteName(target.env, name)}`);
      }
      await db.query(`CREATE DATABASE ${quoteName(target.env, database)}`);
    }
    fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
    fs.copyFileSync(path.join(target.dir, 'app-key'), path.join(dir, 'app-key'));
    const templateEnv: NodeJS.ProcessEnv = {
      ...target.env,
      STORAGE_PATH: path.join(dir, 'storage'),
      SOCKET_PATH: path.join(dir, 'storage', 'gateway.sock'),
      PM2_HOME: path.join(dir, 'storage', '.pm2'),
      ...(db ? { DB_DATABASE: database } : { DB_STORAGE: path.join(dir, 'db', 'nocobase.sqlite') }),
    };
    await install(templateEnv);
    fs.writeFileSync(ready, new Date().toISOString());
    return { dir, database };
  } finally {
    await db?.close();
  }
}

/** The tables of a MariaDB/MySQL database, copied into an empty one (structure, indexes, rows). */
async function copyTables(db: Sequelize, env: NodeJS.ProcessEnv, from: string, to: string) {
  const [rows] = await db.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`, {
    replacements: [from],
  });
  const q = (name: string) => quoteName(env, name);
  for (const { name, NAME } of rows as { name?: string; NAME?: string }[]) {
    const table = String(name ?? NAME);
    await db.query(`CREATE TABLE ${q(to)}.${q(table)} LIKE ${q(from)}.${q(table)}`);
    await db.query(`INSERT INTO ${q(to)}.${q(table)} SELECT * FROM ${q(from)}.${q(table)}`);
  }
}

/**
 * Makes `target` a freshly installed app with the plugin enabled: a copy of the template, which is
 * installed first when missing (`install` runs `install -f` and `pm enable` against an env).
 */
export async function freshFromTemplate(target: TemplateTarget, install: Install) {
  const template = await ensureTemplate(target, install);
  const storage = target.env.STORAGE_PATH!;
  fs.rmSync(storage, { recursive: true, force: true });
  const skip = new Set(['logs', '.pm2', 'gateway.sock']);
  fs.cpSync(path.join(template.dir, 'storage'), storage, { recursive: true, filter: (src) => !skip.has(path.basename(src)) });
  fs.copyFileSync(path.join(template.dir, 'app-key'), path.join(target.dir, 'app-key'));
  if (isSqlite(target.env)) {
    fs.copyFileSync(path.join(template.dir, 'db', 'nocobase.sqlite'), target.env.DB_STORAGE!);
    return;
  }
  const db = serverConnection(target.env);
  try {
    const name = quoteName(target.env, target.env.DB_DATABASE!);
    if (target.env.DB_DIALECT === 'postgres') {
      // WITH (FORCE): a test that failed may have left a connection open to the old copy.
      await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await db.query(`CREATE DATABASE ${name} TEMPLATE ${quoteName(target.env, template.database)}`);
    } else {
      await db.query(`DROP DATABASE IF EXISTS ${name}`);
      await db.query(`CREATE DATABASE ${name}`);
      await copyTables(db, target.env, template.database, target.env.DB_DATABASE!);
    }
  } finally {
    await db.close();
  }
}
