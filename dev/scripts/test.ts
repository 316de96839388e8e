/**
 * `npm test`: every test. Unit, component and server tests (createMockServer on the database
 * DB_DIALECT names: sqlite by default, postgres or mariadb with DB_HOST etc.), then the browser
 * tests against a real app on the same database. Ends with one line: "tests: N passed, N failed".
 * On PostgreSQL or MariaDB the database-free suites (unit, component, emulator) and the browser
 * tests of what happens only in the browser (vitest.e2e.config.mts) are left to the SQLite pass;
 * ALL_SUITES=1 runs them there too.
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
  /** "file > test name" of each failure, printed again at the end so a log's tail names them */
  failures: string[];
}

function failuresOf(json: any): string[] {
  const names: string[] = [];
  for (const file of json.testResults ?? []) {
    const rel = path.relative(ROOT, file.name ?? '');
    const failedTests = (file.assertionResults ?? []).filter((t: any) => t.status === 'failed');
    for (const t of failedTests) names.push(`${rel} > ${t.fullName ?? t.title}`);
    // A file that failed to load or threw in a hook has no failed assertion of its own.
    if (!failedTests.length && file.status === 'failed') names.push(`${rel}: ${String(file.message ?? 'failed').split('\n')[0]}`);
  }
  return names;
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
    return { passed: 0, failed: 1, skipped: 0, failures: [`${label}: vitest produced no report (exit ${result.status})`] };
  }
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(report, { force: true });
  const failures = failuresOf(json);
  // vitest exits non-zero without a failed test on an unhandled error or a file that did not load.
  const silentFailure = result.status !== 0 && !json.numFailedTests;
  if (silentFailure && !failures.length) failures.push(`${label}: vitest exited ${result.status} with no failed test (unhandled error above)`);
  const counts = {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + (silentFailure ? 1 : 0),
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    failures,
  };
  console.log(`${label}: ${counts.passed} passed, ${counts.failed} failed`);
  return counts;
}

const total: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  total.failures.push(...c.failures);
};

const dialect = process.env.DB_DIALECT || 'sqlite';
// Unit, component and emulator tests never touch a database: they run in the SQLite pass (and
// whenever ALL_SUITES=1); a PostgreSQL or MariaDB pass runs what the database can change.
const databaseOnly = dialect !== 'sqlite' && process.env.ALL_SUITES !== '1' && process.argv.length <= 2;
add(runVitest(databaseOnly ? 'server' : 'unit+server', 'vitest.config.mts', databaseOnly ? ['__tests__/server'] : process.argv.slice(2)));
if (process.env.E2E !== '0') add(runVitest('browser', 'vitest.e2e.config.mts'));

console.log('');
for (const name of total.failures) console.log(`FAILED (${dialect}) ${name}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed ? 1 : 0);
