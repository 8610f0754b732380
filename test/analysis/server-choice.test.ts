import { describe, expect, it } from 'vitest';
import { judgeServerSweep, paretoSet } from '../../src/analysis/server-choice.js';
import type { ServerConfigRun, ServerConfigScore } from '../../src/core/report/server-sweep.js';
import type { StepReport } from '../../src/core/report/step.js';
import type { LaunchServerSpec } from '../../src/core/server-config.js';
import { makeStep } from './compare-fixtures.js';

const SPEC: LaunchServerSpec = {
  kind: 'launch',
  command: 'serve --port {port} --max-batch-size {maxBatchSize}',
  healthPath: '/health',
  params: { maxBatchSize: [8, 32, 64] },
  readyTimeoutMs: 1000,
  stopGraceMs: 100,
  passEnv: [],
  searchAxis: 'maxBatchSize',
};

/** A step measuring `itemsPerSec` at a p95 near `p95Ms`. */
function step(index: number, itemsPerSec: number, p95Ms: number, withinBudget: boolean): StepReport {
  const base = makeStep(index, { samplesMs: Array.from({ length: 200 }, (_, i) => (p95Ms * (i + 1)) / 190) });
  return { ...base, throughput: { itemsPerSec, outputTokensPerSec: null }, withinBudget };
}

function config(maxBatchSize: number, stepIndexes: number[], state: ServerConfigRun['state'] = 'measured'): ServerConfigRun {
  return {
    params: { maxBatchSize },
    command: `serve --port 1 --max-batch-size ${maxBatchSize}`,
    logPath: `servers/maxBatchSize-${maxBatchSize}.log`,
    state,
    failure: state === 'failed' ? 'server exited' : null,
    logTail: [],
    stepIndexes,
    stop: 'terminated',
  };
}

describe('judgeServerSweep', () => {
  it('chooses the highest throughput within budget, says what the next value up adds and costs, and gives the command line', () => {
    const steps = [step(0, 5000, 20, true), step(1, 9800, 41, true), step(2, 10000, 66, false)];
    const sweep = judgeServerSweep(
      {
        strategy: 'search',
        searchAxis: 'maxBatchSize',
        gridConfigurations: 4,
        gridSteps: 4,
        configurations: [config(8, [0]), config(32, [1]), config(64, [2]), config(16, [], 'failed')],
      },
      steps,
      SPEC,
    );
    expect(sweep.runsSpent).toBe(4);
    expect(sweep.stepsRun).toBe(3);
    expect(sweep.chosen?.params).toEqual({ maxBatchSize: 32 });
    expect(sweep.chosen?.reason).toMatch(
      /^maxBatchSize=32: 9\.8k items\/s at p95 4\d ms; maxBatchSize 64 adds 2 % for 1\.6x the p95 \(over budget\)$/,
    );
    expect(sweep.chosen?.serverTerms).toBe('serve --port {port} --max-batch-size 32');
    // The failed configuration has no score; every measured one is on the Pareto front here (faster costs p95).
    expect(sweep.scores.map((s) => s.params.maxBatchSize)).toEqual([8, 32, 64]);
    expect(sweep.pareto.map((s) => s.params.maxBatchSize)).toEqual([8, 32, 64]);
  });

  it('no configuration within budget: no choice', () => {
    const sweep = judgeServerSweep(
      { strategy: 'grid', searchAxis: null, gridConfigurations: 1, gridSteps: 1, configurations: [config(8, [0])] },
      [step(0, 100, 900, false)],
      SPEC,
    );
    expect(sweep.chosen).toBeNull();
  });
});

describe('paretoSet', () => {
  const score = (maxBatchSize: number, itemsPerSec: number, p95Ms: number): ServerConfigScore => ({
    params: { maxBatchSize },
    stepIndex: 0,
    itemsPerSec,
    p95Ms,
    p99Ms: null,
    withinBudget: true,
    serverBatchMean: null,
  });
  it('drops a configuration another beats on both items/s and p95; keeps ties on one side', () => {
    const set = paretoSet([score(1, 100, 50), score(2, 200, 40), score(3, 150, 60), score(4, 300, 80)]);
    expect(set.map((s) => s.params.maxBatchSize)).toEqual([2, 4]);
  });
});
