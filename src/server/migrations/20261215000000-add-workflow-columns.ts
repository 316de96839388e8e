/**
 * Mail in workflows (S-WF-1/2) adds mailAccounts.workflowAccess (the owner's consent, off),
 * mailAccounts.importedAt (when a full listing last finished: mail found after the first import
 * is new mail) and the table mailWorkflowFirings (which workflow fired for which message).
 * Accounts whose first import is behind them get importedAt now, so their next reconcile counts
 * what it finds as new mail. Runs once per database (by name); re-running it is harmless.
 */
import { Op } from '@nocobase/database';
import { Migration } from '@nocobase/server';
import type { ColumnAttribute } from '../db-types';

const NEW_COLUMNS = ['workflowAccess', 'importedAt'];

export default class AddWorkflowColumns extends Migration {
  on = 'afterLoad';
  // Whatever the app's version: NocoBase's migrator runs it once per database (by name).
  appVersion = '';

  async up() {
    const firings = this.db.getCollection('mailWorkflowFirings');
    if (firings && !(await firings.existsInDb())) await firings.sync();
    const accounts = this.db.getCollection('mailAccounts');
    if (!accounts || !(await accounts.existsInDb())) return;
    const queryInterface = this.db.sequelize.getQueryInterface();
    const table = accounts.model.getTableName();
    const columns = await queryInterface.describeTable(table);
    for (const field of NEW_COLUMNS) {
      const attribute = accounts.model.rawAttributes[field] as ColumnAttribute;
      // addColumn, not a full sync: on SQLite an altering sync copies the whole table.
      if (!columns[attribute.field]) await queryInterface.addColumn(table, attribute.field, attribute);
    }
    // Whether the upgrade's sync or this migration added the column: accounts past their first import.
    await accounts.model.update(
      { importedAt: new Date() },
      { where: { importedAt: null, syncMark: { [Op.gte]: 1 }, syncStage: { [Op.ne]: 'importing' } }, silent: true },
    );
  }
}
