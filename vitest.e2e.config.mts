import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Every browser test runs in the SQLite pass. On PostgreSQL and MariaDB (where the server suites
 * already run every query, lease and transaction against that database) the browser pass keeps
 * the files whose outcome the database can change through the whole app: the two kill-and-restart
 * tests (what a SIGKILL leaves committed), the mail center (thread lists, badge, changes mirrored
 * to the provider) and the CRM blocks (participant and domain filters from a popup record, bulk
 * jobs). The rest check what happens in the browser: settings and connect screens, the editor,
 * the block menus, the tracking views, the corpus in the sandboxed reader. ALL_SUITES=1 runs them
 * all on every database. This keeps CI (three databases) well inside its time budget.
 */
const databaseSensitive = ['sync-kill', 'bulk-kill', 'mail-center', 'email-blocks'].map((name) => `__tests__/e2e/${name}.e2e.ts`);
const databasePass = (process.env.DB_DIALECT || 'sqlite') !== 'sqlite' && process.env.ALL_SUITES !== '1';

/** Browser tests: a real NocoBase app + emulators, driven in headless Chromium, one file at a time. */
export default defineConfig({
  test: {
    include: databasePass ? databaseSensitive : ['__tests__/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    globalSetup: [path.resolve(__dirname, '__tests__/e2e/global-setup.ts')],
    setupFiles: [path.resolve(__dirname, '__tests__/e2e/failure-screenshots.ts')],
    env: { NODE_EXTRA_CA_CERTS: path.resolve(__dirname, 'dev/emulators/tls/cert.pem') },
  },
});
