import { defineConfig } from 'vitest/config';

// End-to-end tests in real Chromium and Firefox ESR with the BUILT extension.
// Browsers are heavy and the machine has 2 cores: one file at a time, one worker.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // Browser startup and timing depend on machine load; a flaky e2e must be fixed, not retried.
    retry: 0,
  },
});
