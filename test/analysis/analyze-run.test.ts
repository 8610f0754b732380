import { describe, expect, it } from 'vitest';
import { buildRunReport, buildStepReport } from '../../src/analysis/analyze-run.js';
import { REPORT_SCHEMA_VERSION } from '../../src/core/report/run.js';
import { StepRecorder } from '../../src/metrics/recorder.js';
import { budget, environment, syntheticReport, syntheticSteps, workload } from '../report/synthetic-run.js';

describe('buildRunReport', () => {
  const report = syntheticReport();

  it('fills speedup and efficiency per stage against its smallest batch size', () => {
    const classify = report.steps.filter((s) => s.stage === 'classify');
    expect(classify.map((s) => s.throughput.itemsPerSec)).toEqual([100, 200, 400, 420]);
    expect(classify.map((s) => s.speedup)).toEqual([1, 2, 4, 4.2]);
    expect(classify.map((s) => s.efficiency)).toEqual([1, 1, 1, 0.525]);
    const generate = report.steps.filter((s) => s.stage === 'generate');
    expect(generate[0]?.speedup).toBe(1);
    expect(generate[1]?.speedup).toBeCloseTo(18 / 10, 9); // 18 ok items in the same second
  });

  it("leaves an incomplete step out of the scaling curve: it gets no speedup and is nobody's base", () => {
    const steps = syntheticSteps();
    const classify = steps.filter((s) => s.stage === 'classify');
    const interrupted = steps.map((s) => (s === classify[0] ? { ...s, complete: false } : s));
    const rebuilt = buildRunReport({ ...baseParts(), steps: interrupted });
    const curve = rebuilt.steps.filter((s) => s.stage === 'classify');
    expect(curve[0]?.speedup).toBeNull();
    expect(curve[0]?.efficiency).toBeNull();
    expect(curve.slice(1).map((s) => s.speedup)).toEqual([1, 2, 2.1]);
  });

  it('judges every step against the budget', () => {
    expect(report.steps.map((s) => s.withinBudget)).toEqual([true, true, true, false, true, false, true]);
    expect(report.steps[3]?.budgetChecks).toEqual({ p95: false, p99: true, errorRate: true });
    expect(report.steps[5]?.budgetChecks).toEqual({ p95: true, p99: true, errorRate: false });
  });

  it('recommends per stage present, leaving incomplete steps out', () => {
    expect(report.recommendation.map((r) => [r.stage, r.batchSize])).toEqual([
      ['classify', 4],
      ['generate', 1],
    ]);
    expect(report.recommendation[0]?.reason).toBe('batch 4 is the largest within budget (400 items/s at p95 8 ms): 8 breaks p95 3 s (4 s)');
    // Step 6 (batch 4) is within budget but incomplete: it must not be the recommendation or named in it.
    expect(report.recommendation[1]?.reason).toBe(
      'batch 1 is the largest within budget (10 items/s at p95 500 ms): 2 breaks the error rate 1 % (5.3 %)',
    );
    expect(report.steps[6]?.complete).toBe(false);
    expect(report.budgetMet).toBe(true);
  });

  it('keeps given warnings first and adds the incomplete and failing steps', () => {
    expect(report.warnings).toEqual([
      'the sampler could not start: nvidia-smi not found',
      'step 5 (generate batch 2) had 1 failed items (timeout 1)',
      'step 6 (generate batch 4) did not complete; it is kept in the report but left out of the recommendation',
    ]);
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.budget).toEqual(budget);
  });

  it('a stricter budget re-judges the same steps; no batch size within it means budget not met', () => {
    const strict = buildRunReport({
      ...baseParts(),
      steps: syntheticSteps(),
      budget: { p95Ms: 5.5, p99Ms: 5000, maxErrorRate: 0.01 }, // 5 ms items read 5.003 ms in HDR
    });
    expect(strict.steps.map((s) => s.withinBudget)).toEqual([true, false, false, false, false, false, false]);
    expect(strict.recommendation.map((r) => r.batchSize)).toEqual([1, null]);
    expect(strict.recommendation[1]?.reason).toBe('no batch size met the budget: best p95 was 500 ms at batch 1 (budget 5.5 ms)');
    expect(strict.budgetMet).toBe(false);
  });

  it('no steps: no recommendation and budget not met', () => {
    const empty = buildRunReport({ ...baseParts(), steps: [] });
    expect(empty.recommendation).toEqual([]);
    expect(empty.budgetMet).toBe(false);
  });
});

describe('buildStepReport', () => {
  it('a step that measured nothing is incomplete and outside the budget, whatever the caller says', () => {
    const step = buildStepReport(
      {
        index: 0,
        stage: 'classify',
        mode: 'static',
        batchSize: 16,
        concurrency: 1,
        arrivals: null,
        maxQueueDelayMs: 0,
        maxNewTokens: 64,
        warmup: {},
        measure: { requests: 10, maxDurationMs: 1000 },
      },
      new StepRecorder({ clock: () => 0 }).finish(),
      budget,
      true,
    );
    expect(step.complete).toBe(false);
    expect(step.withinBudget).toBe(false);
    expect(step.maxNewTokens).toBeNull();
    expect(step.latencyMs).toEqual({});
    expect(step.throughput.itemsPerSec).toBe(0);
  });

  it('a step whose every item failed ran to its end: complete, error rate 1, outside the budget', () => {
    const recorder = new StepRecorder({ clock: () => 0 });
    for (let i = 0; i < 10; i++)
      recorder.record({ ok: false, errorClass: 'http_5xx', tArrivalMs: i, tResponseMs: i + 2, queueMs: 0, inferenceMs: 2, batchSize: 1 });
    const step = buildStepReport(
      {
        index: 0,
        stage: 'classify',
        mode: 'dynamic',
        batchSize: 1,
        concurrency: 1,
        arrivals: null,
        maxQueueDelayMs: 0,
        maxNewTokens: 64,
        warmup: {},
        measure: { requests: 10, maxDurationMs: 1000 },
      },
      recorder.finish(),
      budget,
      true,
    );
    expect(step.complete).toBe(true);
    expect(step.errors).toEqual({ total: 10, rate: 1, byClass: { http_5xx: 10 } });
    expect(step.budgetChecks).toEqual({ p95: false, p99: false, errorRate: false });
    const run = buildRunReport({ ...baseParts(), steps: [step] });
    expect(run.budgetMet).toBe(false);
    expect(run.recommendation[0]?.reason).toBe('no batch size met the budget: no item succeeded (error rate 100 % at batch 1; budget 1 %)');
    expect(run.warnings).toEqual(['step 0 (classify batch 1) had 10 failed items (http_5xx 10)']);
  });
});

function baseParts() {
  return {
    runId: 'r',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    partial: false,
    interruptedBy: null,
    environment,
    target: { kind: 'inprocess', description: 'in process', url: null, protocol: null },
    backend: null,
    models: [],
    workload,
    warnings: [],
  } as const;
}
