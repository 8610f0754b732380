/** The start line of a server sweep says what will run: configurations x load levels, and for a search at most how many runs. */
import { describe, expect, it } from 'vitest';
import { progressListener } from '../../src/cli/progress.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Step } from '../../src/core/workload.js';

function plainIo(): { io: CliIo; lines: string[] } {
  const lines: string[] = [];
  return { io: { stdout: { write: () => true }, stderr: { write: (s: string) => lines.push(s) }, env: {}, cwd: '/' }, lines };
}

const steps = [{ index: 0 }, { index: 1 }] as unknown as Step[];
const start = (server: { gridConfigurations: number; maxRuns: number; searchAxis: string | null }) =>
  ({ kind: 'run-start', runId: 'r', outDir: '/o', steps, backend: 'HTTP', repeat: 1, search: false, server }) as const;

describe('a server sweep on the CLI start line', () => {
  it('a grid: configurations x load levels and the steps that makes', () => {
    const { io, lines } = plainIo();
    progressListener(io, { quiet: false })(start({ gridConfigurations: 6, maxRuns: 6, searchAxis: null }));
    expect(lines).toEqual(['pipebench run r: a grid of 6 server configurations x 2 load levels (12 steps) on HTTP; writing /o\n']);
  });

  it('a search: up to N runs of a grid of M, each x the load levels', () => {
    const { io, lines } = plainIo();
    progressListener(io, { quiet: false })(start({ gridConfigurations: 18, maxRuns: 10, searchAxis: 'maxBatchSize' }));
    expect(lines).toEqual([
      'pipebench run r: a search along maxBatchSize: up to 10 runs of a grid of 18 server configurations, each x 2 load levels on HTTP; writing /o\n',
    ]);
  });
});
