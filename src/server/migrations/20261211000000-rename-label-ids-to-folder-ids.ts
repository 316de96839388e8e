/**
 * mailMessages.labelIds held Outlook folder ids as well as Gmail label ids, and read as the
 * user's own labels (mailMessageLabels); it is folderIds now. NocoBase's upgrade sync adds the
 * new column and never drops the old one, so this copies what the old column held into the new
 * one (where the new one is still empty) and then drops the old column. Runs once per database
 * (by name); on a database created with folderIds it does nothing.
 */
import { Migration } from '@nocobase/server';
import { type ColumnAttribute, queryGeneratorOf } from '../db-types';

const OLD_COLUMNS = ['labelIds', 'label_ids'];

export default class RenameLabelIdsToFolderIds extends Migration {
  on = 'afterLoad';
  // Whatever the app's version: NocoBase's migrator runs it once per database (by name).
  appVersion = '';

  async up() {
    const messages = this.db.getCollection('mailMessages');
    if (!messages || !(await messages.existsInDb())) return;
    const queryInterface = this.db.sequelize.getQueryInterface();
    const table = messages.getTableNameWithSchema();
    let columns = await queryInterface.describeTable(table);
    const old = OLD_COLUMNS.find((name) => columns[name]);
    if (!old) return;
    const attribute = messages.model.rawAttributes.folderIds as ColumnAttribute;
    if (!columns[attribute.field]) {
      await queryInterface.addColumn(table, attribute.field, attribute);
      columns = await queryInterface.describeTable(table);
    }
    const generator = queryGeneratorOf(queryInterface);
    const q = (name: string) => generator.quoteIdentifier(name);
    const quotedTable = generator.quoteTable(table);
    await this.db.sequelize.query(`UPDATE ${quotedTable} SET ${q(attribute.field)} = ${q(old)} WHERE ${q(attribute.field)} IS NULL`);
    await queryInterface.removeColumn(table, old);
  }
}
