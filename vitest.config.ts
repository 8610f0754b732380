import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Model workers and CLI tests spawn the built output: build once before any test runs.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two shared cores: model-heavy files would starve each other's timing assertions.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
