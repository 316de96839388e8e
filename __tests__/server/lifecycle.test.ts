import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockServer, MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSelf } from '../../dev/scripts/postinstall.mjs';
import { USER_PLUGINS } from '../helpers/app';

/**
 * The plugin as the Plugin manager handles it: found by package name (the built dist/, as in a
 * real app), enabled, disabled, re-enabled and removed.
 */
const PACKAGE = '@nocobase/plugin-email-manager';
const TABLES = ['mailSettings', 'mailAccounts', 'mailMessages', 'mailAttachments', 'mailSyncLogs'];

async function pluginTables(app: MockServer) {
  const all = await app.db.sequelize.getQueryInterface().showAllTables();
  const names = all.map((t: any) => (typeof t === 'string' ? t : t.tableName).toLowerCase().replace(/_/g, ''));
  return TABLES.filter((t) => names.some((n: string) => n.endsWith(t.toLowerCase())));
}

describe('plugin lifecycle in a real app', () => {
  let app: MockServer;

  beforeAll(async () => {
    // Enabling reloads the app, which reopens the database: an in-memory SQLite would come back empty.
    if (process.env.DB_DIALECT === 'sqlite') {
      process.env.DB_STORAGE = path.join(os.tmpdir(), `email-manager-lifecycle-${process.pid}.sqlite`);
      fs.rmSync(process.env.DB_STORAGE, { force: true });
    }
    app = await createMockServer({ resourcer: { prefix: '/api' }, plugins: USER_PLUGINS } as any);
  });
  afterAll(async () => {
    linkSelf();
    await app?.destroy();
    if (process.env.DB_DIALECT === 'sqlite') fs.rmSync(process.env.DB_STORAGE!, { force: true });
  });

  const root = async () => {
    const user = await app.db.getRepository('users').findOne({ filter: { id: 1 } });
    return app.agent().login(user, 'root');
  };

  it('enables: creates its tables and serves its API', async () => {
    expect(await pluginTables(app)).toEqual([]);
    await app.pm.enable(PACKAGE);
    expect(await pluginTables(app)).toEqual(TABLES);
    const res = await (await root()).resource('mailSettings').set({ values: { syncInterval: 42 } });
    expect(res.status).toBe(200);
    expect(res.body.data.syncInterval).toBe(42);
  });

  it('disables: the API answers 404 and the data stays', async () => {
    await app.pm.disable('email-manager');
    expect((await (await root()).resource('mailSettings').read()).status).toBe(404);
    expect(await pluginTables(app)).toEqual(TABLES);
  });

  it('re-enables with the data kept', async () => {
    await app.pm.enable('email-manager');
    const res = await (await root()).resource('mailSettings').read();
    expect(res.status).toBe(200);
    expect(res.body.data.syncInterval).toBe(42);
  });

  it('removes: drops every table it created', async () => {
    await app.pm.disable('email-manager');
    await app.pm.remove('email-manager');
    expect(await pluginTables(app)).toEqual([]);
    expect(await app.db.getRepository('applicationPlugins').findOne({ filter: { name: 'email-manager' } })).toBeNull();
  });
});

describe('schema', () => {
  it('creates every index the collections declare, on every dialect', async () => {
    const { createApp } = await import('../helpers/app');
    const app = await createApp();
    try {
      const qi: any = app.db.sequelize.getQueryInterface();
      for (const name of ['mailAccounts', 'mailMessages', 'mailAttachments', 'mailSyncLogs']) {
        const model: any = app.db.getCollection(name).model;
        const existing = (await qi.showIndex(model.getTableName())).map((i: any) => i.name);
        for (const index of model._indexes) expect(existing, `${name}: ${index.name}`).toContain(index.name);
      }
    } finally {
      await app.destroy();
    }
  });
});
