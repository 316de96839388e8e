/**
 * `npm test`: every test. First the checks: the type check (`tsc --noEmit -p tsconfig.json`) and
 * ESLint (`eslint . --max-warnings=0`), each one failure (a FAILED line) when it finds anything;
 * then unit, component and server tests (createMockServer on the database DB_DIALECT names:
 * sqlite by default, postgres or mariadb with DB_HOST etc.), then the browser tests against a real
 * app on the same database. Ends with one line: "tests: N passed, N failed".
 * On PostgreSQL or MariaDB the database-free suites (unit, component, emulator, the IMAP provider against Dovecot) and the browser
 * tests of what happens only in the browser (vitest.e2e.config.mts) are left to the SQLite pass;
 * ALL_SUITES=1 runs them there too.
 * The checks run once per tree: CI runs `npm test` once per database on the same checkout, so after
 * both checks pass, a sha256 of their inputs (every file under src, __tests__, dev, bench and types
 * but generated ones, the root *.mts, tsconfig*.json, eslint.config.mjs, package.json and
 * package-lock.json) is written to node_modules/.cache/email-manager-checks.json; while the hash
 * is the same, "checks: unchanged since last pass (tsc + eslint skipped)".
 * CHECKS=0 skips the checks, E2E=0 the browser tests (local conveniences only; CI runs everything).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
const CHECKS_PASSED = path.join(ROOT, 'node_modules/.cache/email-manager-checks.json');
/** What the checks read: the folders they look at, and the root files that configure them. */
const CHECKED_DIRS = ['src', '__tests__', 'dev', 'bench', 'types'];
const CHECKED_ROOT_FILE = /^(tsconfig.*\.json|eslint\.config\.mjs|package(-lock)?\.json|.*\.mts)$/;
/** Generated (git-ignored) files in those folders: browser test screenshots, the emulators' certificate. */
const GENERATED = /^(__tests__\/e2e\/artifacts\/|dev\/emulators\/tls\/.*\.pem$)/;

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

/** Every checked file, relative to the root with forward slashes, sorted. */
function checkedFiles(): string[] {
  const files: string[] = fs.readdirSync(ROOT).filter((name) => CHECKED_ROOT_FILE.test(name) && fs.statSync(path.join(ROOT, name)).isFile());
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (GENERATED.test(entry.isDirectory() ? `${rel}/` : rel)) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  for (const dir of CHECKED_DIRS) if (fs.existsSync(path.join(ROOT, dir))) walk(dir);
  return files.sort();
}

function checksHash(): string {
  const hash = crypto.createHash('sha256');
  for (const file of checkedFiles()) hash.update(file).update('\0').update(fs.readFileSync(path.join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

function lastPassedHash(): string | null {
  try {
    return JSON.parse(fs.readFileSync(CHECKS_PASSED, 'utf8')).hash ?? null;
  } catch {
    return null;
  }
}

/** One check (a node script of node_modules), its output shown as it comes; a non-zero exit is one failure. */
function runCheck(label: string, args: string[]): Counts {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    console.log(`${label}: passed (${seconds} s)`);
    return { passed: 0, failed: 0, skipped: 0, failures: [] };
  }
  console.log(`${label}: failed (${seconds} s)`);
  return { passed: 0, failed: 1, skipped: 0, failures: [`${label}: ${result.error?.message ?? `exit ${result.status ?? result.signal}`} (see its output above)`] };
}

/** tsc and ESLint, unless they passed on exactly these files before. */
function runChecks(): Counts {
  const hash = checksHash();
  if (hash === lastPassedHash()) {
    console.log('checks: unchanged since last pass (tsc + eslint skipped)');
    return { passed: 0, failed: 0, skipped: 0, failures: [] };
  }
  const results = [
    runCheck('typecheck (tsc --noEmit -p tsconfig.json)', [TSC, '--noEmit', '-p', 'tsconfig.json']),
    // ESLint's own cache (per working directory) makes a re-check after a small change quick.
    runCheck('lint (eslint . --max-warnings=0)', [ESLINT, '.', '--max-warnings=0', '--cache', '--cache-location', 'node_modules/.cache/eslint/']),
  ];
  const failures = results.flatMap((r) => r.failures);
  if (!failures.length) {
    fs.mkdirSync(path.dirname(CHECKS_PASSED), { recursive: true });
    fs.writeFileSync(CHECKS_PASSED, JSON.stringify({ hash, passedAt: new Date().toISOString() }) + '\n');
  }
  return { passed: 0, failed: failures.length, skipped: 0, failures };
}

const total: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  total.failures.push(...c.failures);
};

const dialect = process.env.DB_DIALECT || 'sqlite';
if (process.env.CHECKS !== '0') add(runChecks());
// Unit, component and emulator tests never touch a database: they run in the SQLite pass (and
// whenever ALL_SUITES=1); a PostgreSQL or MariaDB pass runs what the database can change.
const databaseOnly = dialect !== 'sqlite' && process.env.ALL_SUITES !== '1' && process.argv.length <= 2;
add(runVitest(databaseOnly ? 'server' : 'unit+server', 'vitest.config.mts', databaseOnly ? ['__tests__/server'] : process.argv.slice(2)));
if (process.env.E2E !== '0') add(runVitest('browser', 'vitest.e2e.config.mts'));

console.log('');
for (const name of total.failures) console.log(`FAILED (${dialect}) ${name}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed ? 1 : 0);
