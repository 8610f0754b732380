import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests whose verdict depends on two runs measuring the same thing alike (compare's "noise is not a
 * regression"): they run last and alone, as a user's two runs would on a quiet machine. Beside
 * other test files on two cores, run-to-run drift of 20-50 % swamps any noise estimate.
 */
const QUIET = ['test/cli/compare.test.ts', 'test/cli/compare-served.test.ts'];

export default defineConfig({
  test: {
    // Model workers and CLI tests spawn the built output: build once before any test runs.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two shared cores: model-heavy files would starve each other's timing assertions.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...QUIET], fileParallelism: true, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'quiet', include: QUIET, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
