/**
 * `npm test`: every test. Unit, component and server tests (createMockServer on the database
 * DB_DIALECT names: sqlite by default, postgres or mariadb with DB_HOST etc.), then the browser
 * tests against a real app on the same database. Ends with one line: "tests: N passed, N failed".
 * On PostgreSQL or MariaDB the database-free suites (unit, component, emulator) are left to the
 * SQLite pass; ALL_SUITES=1 runs them there too.
 * E2E=0 skips the browser tests (local convenience only; CI runs everything).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function runVitest(label: string, config: string, extra: string[] = []): Counts {
  const report = path.join(os.tmpdir(), `email-manager-${label}-${process.pid}.json`);
  console.log(`\n=== ${label} (DB_DIALECT=${process.env.DB_DIALECT || 'sqlite'}) ===`);
  const result = spawnSync(
    process.execPath,
    [VITEST, 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
    { cwd: ROOT, stdio: 'inherit', env: process.env },
  );
  if (!fs.existsSync(report)) {
    console.error(`${label}: vitest produced no report (exit ${result.status})`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(report, { force: true });
  const counts = {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + (result.status !== 0 && !json.numFailedTests ? 1 : 0),
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
  };
  console.log(`${label}: ${counts.passed} passed, ${counts.failed} failed`);
  return counts;
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};

const dialect = process.env.DB_DIALECT || 'sqlite';
// Unit, component and emulator tests never touch a database: they run in the SQLite pass (and
// whenever ALL_SUITES=1); a PostgreSQL or MariaDB pass runs what the database can change.
const databaseOnly = dialect !== 'sqlite' && process.env.ALL_SUITES !== '1' && process.argv.length <= 2;
add(runVitest(databaseOnly ? 'server' : 'unit+server', 'vitest.config.mts', databaseOnly ? ['__tests__/server'] : process.argv.slice(2)));
if (process.env.E2E !== '0') add(runVitest('browser', 'vitest.e2e.config.mts'));

console.log('');
console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed ? 1 : 0);
