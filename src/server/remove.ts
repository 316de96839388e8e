import type Database from '@nocobase/database';
import { collections } from './collection-list';

/**
 * Drops every table of the plugin. Runs when the plugin is removed, i.e. while it is disabled and
 * its collections are not defined, so each one is defined just long enough to be dropped.
 */
export async function dropCollections(db: Database, transaction?: unknown) {
  for (const definition of [...collections].reverse()) {
    const collection = db.getCollection(definition.name) || db.collection(definition);
    await collection.removeFromDb({ transaction } as any);
  }
}
