import { describe, expect, it } from 'vitest';
import { quantileRanks } from '../../src/analysis/percentile-confidence.js';
import { StepRecorder } from '../../src/metrics/recorder.js';
import type { StepMeasurement } from '../../src/core/measurement.js';
import { buildRunReport, buildStepReport } from '../../src/analysis/analyze-run.js';
import type { StabilityReport } from '../../src/core/report/step.js';
import { parseAlertRule } from '../../src/workload/budgets-schema.js';
import type { Step, Workload } from '../../src/core/workload.js';
import { budget, syntheticParts, workload } from '../report/synthetic-run.js';

const T0 = 1_750_000_000_000;

/** Items with e2e latencies 1, 2, ..., n ms (rank k is k ms), each run in a model call of `callSize` items. */
function ramp(n: number, callSize: number, e2eMs: (k: number) => number = (k) => k): StepMeasurement {
  const recorder = new StepRecorder({ clock: () => T0 });
  for (let k = 1; k <= n; k++) {
    const tArrivalMs = T0 + k;
    const ms = e2eMs(k);
    recorder.record({ ok: true, tArrivalMs, tResponseMs: tArrivalMs + ms, queueMs: 0, inferenceMs: ms, batchSize: callSize });
  }
  return recorder.finish();
}

function step(index: number, batchSize: number, concurrency: number | null = 2 * batchSize): Step {
  return {
    index,
    stage: 'classify',
    mode: 'dynamic',
    batchSize,
    concurrency,
    arrivals: null,
    maxQueueDelayMs: 5,
    maxNewTokens: 64,
    warmup: { requests: 1 },
    measure: { durationMs: 1000, maxDurationMs: 5000 },
  };
}

describe('buildStepReport e2e confidence', () => {
  it('1000 independent samples: the p95 interval is the order statistics at the exact binomial ranks', () => {
    const report = buildStepReport(step(0, 1), ramp(1000, 1), budget);
    const conf = report.e2eConfidence!;
    expect(conf.confidence).toBe(0.95);
    const ranks = quantileRanks(1000, 0.95, 0.95);
    expect(conf.p95.lowMs).toBeCloseTo(ranks.lower, -0.5); // HDR keeps 3 significant digits
    expect(conf.p95.highMs).toBeCloseTo(ranks.upper, -0.5);
    expect(conf.p95.lowMs!).toBeLessThanOrEqual(conf.p95.valueMs);
    expect(conf.p95.highMs!).toBeGreaterThanOrEqual(conf.p95.valueMs);
    expect([conf.p50.samples, conf.p50.minSamples, conf.p95.minSamples, conf.p99.minSamples]).toEqual([1000, 7, 90, 459]);
    expect([conf.p50.supported, conf.p95.supported, conf.p99.supported]).toEqual([true, true, true]);
  });

  it('items sharing a model call count once: 1000 items in calls of 8 are 125 samples, a wider interval, no p99', () => {
    const single = buildStepReport(step(0, 1), ramp(1000, 1), budget).e2eConfidence!;
    const batched = buildStepReport(step(0, 8), ramp(1000, 8), budget).e2eConfidence!;
    expect(batched.p95.samples).toBe(125);
    expect(batched.p95.supported).toBe(true);
    expect(batched.p99.supported).toBe(false);
    const width = (c: typeof single) => (c.p95.highMs ?? Infinity) - (c.p95.lowMs ?? 0);
    expect(width(batched)).toBeGreaterThan(2 * width(single));
  });

  it('one sample, all-equal samples, nothing measured', () => {
    const one = buildStepReport(step(0, 1), ramp(1, 1), budget).e2eConfidence!;
    // One sample lies below the true p99 with probability 0.99: it bounds it from below, nothing bounds it above.
    expect([one.p50.samples, one.p50.supported, one.p99.lowMs, one.p99.highMs]).toEqual([1, false, 1, null]);
    const equal = buildStepReport(
      step(0, 1),
      ramp(500, 1, () => 7),
      budget,
    ).e2eConfidence!;
    expect(equal.p95.lowMs).toBeCloseTo(7, 1);
    expect(equal.p95.highMs).toBeCloseTo(7, 1);
    expect(buildStepReport(step(0, 1), new StepRecorder({ clock: () => T0 }).finish(), budget).e2eConfidence).toBeNull();
  });

  it('stability and repeats come through the options; absent they are null', () => {
    const stability: StabilityReport = { kind: 'stable', reason: 'settled', p95Spread: 0.02, throughputSpread: 0.01, extendedMs: 0 };
    const repeats = { itemsPerSec: [10, 11], p95Ms: [3, 4] };
    const report = buildStepReport(step(0, 1), ramp(10, 1), budget, true, null, null, { stability, repeats });
    expect([report.stability, report.repeats]).toEqual([stability, repeats]);
    const bare = buildStepReport(step(0, 1), ramp(10, 1), budget);
    expect([bare.stability, bare.repeats]).toEqual([null, null]);
  });
});

describe('buildRunReport sign-off fields', () => {
  it('defaults: every stage under the run budget, no alerts, no search, a trade-off per stage', () => {
    const report = buildRunReport(syntheticParts());
    expect(report.stageBudgets).toEqual({ classify: budget, generate: budget, pipeline: budget });
    expect([report.alerts, report.search]).toEqual([[], []]);
    expect(report.tradeoffs.map((t) => [t.stage, t.label, t.recommendation.batchSize])).toEqual([
      ['classify', null, 4],
      ['generate', null, 1],
    ]);
    // The incomplete generate step (batch 4) is no point of the curve.
    expect(report.tradeoffs[1]?.points.map((p) => p.batchSize)).toEqual([1, 2]);
  });

  it('judges each step against its own stage budget, and the trade-off too', () => {
    const tight = { p95Ms: 7, p99Ms: 20, maxErrorRate: 0.01 };
    const report = buildRunReport({ ...syntheticParts(), stageBudgets: { classify: tight, generate: budget, pipeline: budget } });
    expect(report.steps.map((s) => s.withinBudget)).toEqual([true, true, false, false, true, false, true]);
    expect(report.recommendation.map((r) => r.batchSize)).toEqual([2, 1]);
    expect(report.tradeoffs[0]?.points.map((p) => p.withinBudget)).toEqual([true, true, false, false]);
    expect(report.budget).toEqual(budget);
  });

  it('one trade-off per load level when a stage lists several concurrencies', () => {
    const levels: Workload = {
      ...workload,
      stages: [{ stage: 'classify', mode: 'dynamic', batchSizes: [1, 2], concurrency: [2, 8], maxQueueDelayMs: 5, maxNewTokens: 64 }],
    };
    const steps = [step(0, 1, 2), step(1, 2, 2), step(2, 1, 8), step(3, 2, 8)].map((s, i) =>
      buildStepReport(s, ramp(100 * (i + 1), 1), budget),
    );
    const report = buildRunReport({ ...syntheticParts(), workload: levels, steps });
    expect(report.tradeoffs.map((t) => t.label)).toEqual(['dynamic, x2', 'dynamic, x8']);
    expect(report.tradeoffs.map((t) => t.points.map((p) => p.batchSize))).toEqual([
      [1, 2],
      [1, 2],
    ]);
    // Each curve's speedup is against its own smallest batch size.
    expect(report.tradeoffs.map((t) => t.points[0]?.speedup)).toEqual([1, 1]);
  });

  it('evaluates alert rules over the steps it watches', () => {
    const rule = parseAlertRule('p95(api_response_time) > 1000ms for 2s');
    if ('error' in rule) throw new Error(rule.error);
    const report = buildRunReport({ ...syntheticParts(), alertRules: [rule] });
    expect(report.alerts.map((a) => [a.stepIndex, a.kind])).toEqual([
      [0, 'not-evaluated'],
      [1, 'not-evaluated'],
      [2, 'not-evaluated'],
      [3, 'fired'],
      [4, 'not-evaluated'],
      [5, 'not-evaluated'],
      [6, 'not-evaluated'],
    ]);
  });
});
