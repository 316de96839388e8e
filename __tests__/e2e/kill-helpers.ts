/**
 * What the kill tests (sync-kill, bulk-kill) share: they watch the app's own database across a
 * SIGKILL and a restart, so they read it directly rather than through an app that may be down.
 */
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { e2eDatabase } from './harness';

/** One HTTP call to the app; the status is returned, not thrown, as the tests assert on it. */
export async function appApi(appUrl: string, action: string, token: string, body?: unknown) {
  const res = await fetch(`${appUrl}/api/${action}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
}

/** The app's env with the browser tests' own database (e2eDatabase) when the pass is off SQLite. */
export const withE2eDatabase = (env: Record<string, string>): Record<string, string> =>
  (process.env.DB_DIALECT || 'sqlite') === 'sqlite' ? env : { ...env, DB_DATABASE: e2eDatabase() };

/** A connection of our own to the app's database (its SQLite file under `dir`, or the DB_* server). */
export function openAppDatabase(dir: string, dialect: string) {
  return dialect === 'sqlite'
    ? new Sequelize({ dialect: 'sqlite', storage: path.join(dir, 'db', 'nocobase.sqlite'), logging: false })
    : new Sequelize(e2eDatabase(), process.env.DB_USER || 'root', process.env.DB_PASSWORD || '', {
        dialect: dialect as any,
        host: process.env.DB_HOST || '127.0.0.1',
        port: Number(process.env.DB_PORT),
        logging: false,
      });
}

/** SQL written with "double quotes", quoted for the dialect (MariaDB/MySQL want backticks). */
export const quotedFor = (dialect: string) => (sql: string) => sql.replace(/"/g, dialect === 'postgres' || dialect === 'sqlite' ? '"' : '`');

/** Polls `check` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, pollMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
