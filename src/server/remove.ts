import type Database from '@nocobase/database';
import type Application from '@nocobase/server';
import type { Model, Transaction } from './db-types';
import { collections } from './collection-list';

const HOOKED = Symbol.for('email-manager.remove-hook');

/**
 * S-LIFE-4: remove drops the plugin's tables. NocoBase's `pm remove` runs no plugin hook: it only
 * deletes the plugin's row, and by then the plugin is disabled and unloaded. So while enabled the
 * plugin leaves one listener on the application itself (`prependListener` is not tracked by the
 * plugin proxy, so it outlives the reload that disabling causes); after every load it watches the
 * plugin rows of the new database and drops the tables when this plugin's row goes.
 * Limit: a process restarted while the plugin is disabled has no listener; its tables then stay.
 */
export function dropTablesOnRemove(app: Application, pluginName: string) {
  const raw = app as unknown as Record<symbol, boolean>;
  if (raw[HOOKED]) return;
  raw[HOOKED] = true;
  const watched = new WeakSet<object>();
  const watch = () => {
    const db = app.db;
    if (!db || watched.has(db)) return;
    watched.add(db);
    db.on('applicationPlugins.afterDestroy', async (model: Model, options?: { transaction?: Transaction }) => {
      if (model.get('name') === pluginName) await dropCollections(db, options?.transaction);
    });
  };
  watch();
  app.prependListener('afterLoad', watch);
}

/** Drops every table of the plugin, defining each collection just long enough to drop it. */
export async function dropCollections(db: Database, transaction?: Transaction) {
  for (const definition of [...collections].reverse()) {
    const collection = db.getCollection(definition.name) || db.collection(definition);
    await collection.removeFromDb({ transaction, dropCollection: false });
    try {
      db.removeCollection(definition.name);
    } catch (error) {
      // The table is gone; a listener of another plugin failing on the in-memory definition
      // (seen with plugin-acl before any strategy resource exists) must not undo the removal.
      db.logger?.warn?.(`email-manager: ${definition.name} dropped, definition kept: ${(error as Error).message}`);
    }
  }
}
