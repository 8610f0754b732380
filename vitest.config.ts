import { readFile } from 'node:fs/promises';
import { configDefaults, defineConfig, type Plugin } from 'vitest/config';

/**
 * Tests whose verdict depends on two runs measuring the same thing alike (compare's "noise is not a
 * regression"): they run last and alone, as a user's two runs would on a quiet machine. Beside
 * other test files on two cores, run-to-run drift of 20-50 % swamps any noise estimate.
 */
const QUIET = ['test/cli/compare.test.ts', 'test/cli/compare-served.test.ts'];

/**
 * @actions/workflow-parser (test/ci/ lints the GPU workflow with it) imports its schema JSON without an
 * import attribute, which Node's own loader refuses, so Vite inlines it (server.deps.inline below). Its
 * source maps name .ts files the package does not ship: loaded without them, Vite does not print a
 * "points to missing source files" warning per module.
 */
const WORKFLOW_PARSER = '/node_modules/@actions/workflow-parser/dist/';
const workflowParserWithoutSourceMaps: Plugin = {
  name: 'workflow-parser-without-source-maps',
  async load(id) {
    if (!id.includes(WORKFLOW_PARSER) || !id.endsWith('.js')) return null;
    const code = await readFile(id, 'utf8');
    return { code: code.replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null };
  },
};

export default defineConfig({
  plugins: [workflowParserWithoutSourceMaps],
  test: {
    // Model workers and CLI tests spawn the built output: build once before any test runs.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two shared cores: model-heavy files would starve each other's timing assertions.
    maxWorkers: 2,
    server: { deps: { inline: ['@actions/workflow-parser'] } },
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
