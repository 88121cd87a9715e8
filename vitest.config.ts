import { defineConfig } from 'vitest/config';

// Unit and API tests. One PostgreSQL per run (embedded, or DATABASE_URL), one database per test file
// cloned from a migrated template: see test/global-setup.ts and test/helpers/db.ts.
// Browser tests have their own config (test/e2e/vitest.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**', 'web/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 60_000,
  },
});
