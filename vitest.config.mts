import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = __dirname;
const dialect = process.env.DB_DIALECT || 'sqlite';

export default defineConfig({
  resolve: {
    // @nocobase/test ships no ESM entry; point vitest at its CommonJS build.
    alias: { '@nocobase/test': path.resolve(root, 'node_modules/@nocobase/test/lib/index.js') },
  },
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['__tests__/**/*.test.{ts,tsx}'],
    exclude: ['__tests__/e2e/**', 'node_modules/**'],
    environment: 'node',
    environmentMatchGlobs: [['__tests__/client/**', 'jsdom']],
    setupFiles: [path.resolve(root, '__tests__/setup.ts')],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One shared database on postgres/mariadb: test files must not install in parallel.
    fileParallelism: dialect === 'sqlite',
    env: {
      DB_DIALECT: dialect,
      DB_STORAGE: process.env.DB_STORAGE || ':memory:',
      APP_KEY: 'test-app-key',
      APP_AES_SECRET_KEY: '0'.repeat(64),
      NODE_MODULES_PATH: path.resolve(root, 'node_modules'),
      STORAGE_PATH: path.resolve(root, 'node_modules/.test-storage'),
      LOGGER_TRANSPORT: 'console',
      LOGGER_LEVEL: process.env.LOGGER_LEVEL || 'error',
      // Expected 401/403 answers are logged as errors by NocoBase; LOGGER_SILENT=false shows them.
      LOGGER_SILENT: process.env.LOGGER_SILENT || 'true',
      NODE_EXTRA_CA_CERTS: path.resolve(root, 'dev/emulators/tls/cert.pem'),
    },
  },
});
