/**
 * Fills mailMessageParticipants.name, the display names the mail center's From/To filters now
 * match in that table (they used to scan the mail's JSON address columns), for mail indexed
 * before the column existed: adds the column if the upgrade has not synced it yet, then
 * rebuilds the index. Runs once per database (by name); re-running it is harmless.
 */
import { Migration } from '@nocobase/server';
import type { ColumnAttribute } from '../db-types';
import { ParticipantIndex } from '../messages/participant-index';

export default class IndexParticipantNames extends Migration {
  on = 'afterLoad';
  // Whatever the app's version: NocoBase's migrator runs it once per database (by name).
  appVersion = '';

  async up() {
    const participants = this.db.getCollection('mailMessageParticipants');
    if (!participants || !this.db.getCollection('mailMessages')) return;
    if (!(await participants.existsInDb())) await participants.sync();
    else {
      // addColumn, not a full sync: on SQLite an altering sync copies the table once per column.
      const queryInterface = this.db.sequelize.getQueryInterface();
      const table = participants.model.getTableName();
      const attribute = participants.model.rawAttributes.name as ColumnAttribute;
      const columns = await queryInterface.describeTable(table);
      if (!columns[attribute.field]) await queryInterface.addColumn(table, attribute.field, attribute);
    }
    await new ParticipantIndex(this.db).rebuildAll();
  }
}
