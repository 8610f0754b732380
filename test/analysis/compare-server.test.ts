import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/analysis/compare.js';
import type { RunReport } from '../../src/core/report/run.js';
import { latencySamplesMs, makeRun, scaled } from './compare-fixtures.js';

/** A server sweep's run: the same client step (classify batch 1) once per server configuration. */
function sweepRun(
  runId: string,
  configs: readonly Record<string, number>[],
  factorFor: (config: Record<string, number>) => number,
): RunReport {
  const base = latencySamplesMs(400, 20, 0.2, 7);
  const run = makeRun(
    configs.map((config) => ({ samplesMs: scaled(base, factorFor(config)), windowCounts: [100, 100, 100, 100] })),
    runId,
  );
  return { ...run, steps: run.steps.map((step, i) => ({ ...step, serverConfig: configs[i] })) };
}

describe('compare: server sweeps', () => {
  it('pairs steps by server configuration, whatever order each run measured them in or listed its parameters in', () => {
    const a = [
      { maxBatchSize: 8, maxQueueDelayMs: 0 },
      { maxBatchSize: 32, maxQueueDelayMs: 0 },
    ];
    const b = [
      { maxQueueDelayMs: 0, maxBatchSize: 32 },
      { maxQueueDelayMs: 0, maxBatchSize: 8 },
    ];
    // Only max batch 32 got slower in the candidate: only its pair may say so.
    const baseline = sweepRun('a', a, () => 1);
    const candidate = sweepRun('b', b, (config) => (config.maxBatchSize === 32 ? 1.5 : 1));
    const result = compareRuns(baseline, candidate);
    expect(result.pairs.map((pair) => [pair.label, pair.baselineIndex, pair.candidateIndex])).toEqual([
      ['classify batch 1 server maxBatchSize=8 maxQueueDelayMs=0', 0, 1],
      ['classify batch 1 server maxBatchSize=32 maxQueueDelayMs=0', 1, 0],
    ]);
    expect(result.unpaired).toEqual([]);
    expect(result.reasons.join('\n')).toContain('classify batch 1 server maxBatchSize=32 maxQueueDelayMs=0: p95');
    expect(result.reasons.join('\n')).not.toContain('maxBatchSize=8 maxQueueDelayMs=0:');
  });

  it('a configuration only one run measured is unpaired, not compared with another configuration', () => {
    const baseline = sweepRun('a', [{ maxBatchSize: 8 }], () => 1);
    const candidate = sweepRun('b', [{ maxBatchSize: 16 }], () => 1);
    const result = compareRuns(baseline, candidate);
    expect(result.pairs).toEqual([]);
    expect(result.unpaired.map((u) => [u.side, u.label])).toEqual([
      ['baseline', 'classify batch 1 server maxBatchSize=8'],
      ['candidate', 'classify batch 1 server maxBatchSize=16'],
    ]);
  });
});
