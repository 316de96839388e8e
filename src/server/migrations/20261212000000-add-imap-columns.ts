/**
 * S-IMAP-1/2 add columns: mailSettings.imapEnabled and imapAllowedHosts (the admin's switch and
 * allow-list), mailAccounts.server (an IMAP/SMTP account's servers, no password) and
 * mailAccounts.idleOwner/idleUntil (which node watches its Inbox with IDLE). Added
 * here when the upgrade has not synced them yet; the defaults leave IMAP off. Runs once per
 * database (by name); re-running it is harmless.
 */
import { Migration } from '@nocobase/server';
import type { ColumnAttribute } from '../db-types';

const NEW_COLUMNS: [collection: string, field: string][] = [
  ['mailSettings', 'imapEnabled'],
  ['mailSettings', 'imapAllowedHosts'],
  ['mailAccounts', 'server'],
  ['mailAccounts', 'idleOwner'],
  ['mailAccounts', 'idleUntil'],
];

export default class AddImapColumns extends Migration {
  on = 'afterLoad';
  // Whatever the app's version: NocoBase's migrator runs it once per database (by name).
  appVersion = '';

  async up() {
    const queryInterface = this.db.sequelize.getQueryInterface();
    for (const [name, field] of NEW_COLUMNS) {
      const collection = this.db.getCollection(name);
      if (!collection || !(await collection.existsInDb())) continue;
      const table = collection.model.getTableName();
      const attribute = collection.model.rawAttributes[field] as ColumnAttribute;
      // addColumn, not a full sync: on SQLite an altering sync copies the whole table.
      const columns = await queryInterface.describeTable(table);
      if (!columns[attribute.field]) await queryInterface.addColumn(table, attribute.field, attribute);
    }
  }
}
