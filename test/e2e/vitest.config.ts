import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests (npm run test:e2e): each file starts the real server (`shuan serve` on a fresh embedded
// PostgreSQL with the demo city) and Debian's chromium through playwright-core; see test/e2e/helpers.ts.
// No globalSetup: the unit suite's shared test database is not used here. One file at a time, one worker.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    retry: 0,
  },
});
