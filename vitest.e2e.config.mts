import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The corpus test renders 109 fixture mails in the reader: what it checks (DOMPurify, the sandbox,
 * no outside requests) happens in the browser, and the corpus's storage on every database is
 * sync-corpus.test.ts. It runs in the SQLite pass, and on the others with ALL_SUITES=1.
 */
const browserOnly = ['__tests__/e2e/mail-corpus.e2e.ts'];
const databasePass = (process.env.DB_DIALECT || 'sqlite') !== 'sqlite' && process.env.ALL_SUITES !== '1';

/** Browser tests: a real NocoBase app + emulators, driven in headless Chromium, one file at a time. */
export default defineConfig({
  test: {
    include: ['__tests__/e2e/**/*.e2e.ts'],
    exclude: databasePass ? browserOnly : [],
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
