import type Database from '@nocobase/database';

/**
 * SQLite allows one writer at a time. Sequelize runs each transaction on a connection of its own,
 * DEFERRED: it reads under a shared lock and asks for the write lock at its first write. When
 * another connection holds the write lock at that moment (a sync step, the bulk runner, or
 * NocoBase saving a page), SQLite answers SQLITE_BUSY at once rather than wait (waiting could
 * deadlock), Sequelize's retries fail the same way, and the user's request ends in a 500.
 * An IMMEDIATE transaction takes the write lock at BEGIN, where SQLite's busy timeout and
 * Sequelize's retries apply, so writers queue instead of failing. This plugin's background work
 * makes concurrent writers common, so it switches the app's SQLite database to IMMEDIATE
 * transactions. PostgreSQL and MariaDB have row locks and are left as they are.
 */
export function queueSqliteWriters(db: Database) {
  if (db.sequelize.getDialect() !== 'sqlite') return;
  ((db.sequelize as unknown as { options: { transactionType?: string } }).options).transactionType = 'IMMEDIATE';
}
