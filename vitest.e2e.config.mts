import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** Browser tests: a real NocoBase app + emulators, driven in headless Chromium, one file at a time. */
export default defineConfig({
  test: {
    include: ['__tests__/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    globalSetup: [path.resolve(__dirname, '__tests__/e2e/global-setup.ts')],
    env: { NODE_EXTRA_CA_CERTS: path.resolve(__dirname, 'dev/emulators/tls/cert.pem') },
  },
});
