import Database from '@nocobase/database';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueSqliteWriters } from '../../src/server/sqlite-writers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two writers on one SQLite file, as in a running app: a background job writing in a transaction
 * while a request's transaction reads and then writes (NocoBase saving a page does that).
 */
describe('SQLite writers queue instead of failing', () => {
  const dirs: string[] = [];
  const dbs: Database[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
    dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });

  async function fileDatabase() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-manager-sqlite-'));
    dirs.push(dir);
    const db = new Database({ dialect: 'sqlite', storage: path.join(dir, 'app.sqlite'), logging: false } as any);
    dbs.push(db);
    db.collection({ name: 'notes', fields: [{ type: 'string', name: 'text' }] });
    await db.sync();
    return db;
  }

  async function race(db: Database) {
    const repo = db.getRepository('notes');
    const background = db.sequelize.transaction(async (transaction) => {
      await repo.create({ values: { text: 'from the background job' }, transaction });
      await sleep(300);
    });
    await sleep(50);
    const request = db.sequelize.transaction(async (transaction) => {
      await repo.count({ transaction });
      await repo.create({ values: { text: 'from the request' }, transaction });
    });
    return Promise.allSettled([background, request]);
  }

  it('a deferred transaction that reads and then writes fails with SQLITE_BUSY while another writes', async () => {
    const [background, request] = await race(await fileDatabase());
    expect(background.status).toBe('fulfilled');
    expect(request.status).toBe('rejected');
    expect(String((request as PromiseRejectedResult).reason)).toContain('SQLITE_BUSY');
  });

  it('with IMMEDIATE transactions the request waits for the lock and both writes land', async () => {
    const db = await fileDatabase();
    queueSqliteWriters(db);
    const results = await race(db);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((await db.getRepository('notes').find()).map((n: any) => n.get('text')).sort()).toEqual(['from the background job', 'from the request']);
  });
});
