import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server (own binary, fresh data directory, demo seed) driven by Debian's
// Chromium through playwright-core. One file at a time: each boots a server and a browser.
export default defineConfig({
  test: {
    include: ['apps/web/e2e/**/*.e2e.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
