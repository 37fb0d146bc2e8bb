import { defineConfig } from 'vitest/config';

// Integration tests use a real database: PGlite by default, PostgreSQL when DATABASE_URL is set.
// The schema is migrated once (global setup) and every test file starts from a copy of that template.
export default defineConfig({
  test: {
    include: [
      'apps/server/src/**/*.test.ts',
      'apps/server/test/*.test.ts',
      'packages/*/src/**/*.test.ts',
      // Server-mode process tests need PostgreSQL: they belong to the DATABASE_URL run.
      ...(process.env.DATABASE_URL ? ['apps/server/test/server-mode/*.test.ts'] : []),
    ],
    globalSetup: ['apps/server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Each worker loads the application once and runs file after file in it: loading it per file cost ~3 s each,
    // about 45 % of the suite. Every file still gets its own database (test/support.ts), and the two caches a
    // process keeps about its database are dropped when a test context is made.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
