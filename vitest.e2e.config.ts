import { defineConfig } from 'vitest/config';

// End-to-end tests: real headless Chromium, one file at a time (the machine has 2 cores
// and each file launches its own browser).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
