import { describe, expect, it } from 'vitest';
import { exitCodeForRun } from '../../src/cli/exit-code.js';
import { ExitCode } from '../../src/errors.js';
import type { RunReport } from '../../src/core/report/run.js';
import { reanalyze } from '../../src/analysis/reanalyze.js';
import { parseBudgetsFile } from '../../src/workload/budgets-file.js';
import { syntheticReport } from '../report/synthetic-run.js';
import { summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import { gpuStepNotes } from '../../src/telemetry/gpu-notes.js';
import { parseH100Trace, utc } from '../telemetry/fixtures.js';

/** The re-analysis's verdict as `pipebench report` turns it into an exit code. */
function passes(report: RunReport): boolean {
  return exitCodeForRun({ ...report, interruptedBy: null }) === ExitCode.ok;
}

const GUIDE = `performance_budgets:
  api_response_time: { p95: 300ms, p99: 500ms, degradation_threshold: 10% }
  ml_pipeline:       { p95: 3000ms, p99: 5000ms, degradation_threshold: 15% }
  error_rate:        { max: 1%, alert_threshold: 0.5% }
`;

/** classify tight (10 ms), pipeline loose (1 s): classify batch 4 and pipeline batch 1 pass. */
const SPLIT = `performance_budgets:
  api_response_time: { p95: 10ms, p99: 20ms }
  ml_pipeline:       { p95: 1s, p99: 2s }
`;

describe('reanalyze', () => {
  const report = syntheticReport();
  // The synthetic generate steps, relabelled as pipeline steps: judged by ml_pipeline instead.
  const withPipeline = { ...report, steps: report.steps.map((s) => (s.stage === 'generate' ? { ...s, stage: 'pipeline' as const } : s)) };

  it('without a budgets file reproduces the run under its own budget', () => {
    const { report: again, alerts, stageBudgets } = reanalyze(report, null);
    expect(again.steps).toEqual(report.steps);
    expect(again.recommendation).toEqual(report.recommendation);
    expect(again.budgetMet).toBe(report.budgetMet);
    expect(again.warnings).toEqual(report.warnings);
    expect(passes(again)).toBe(report.budgetMet);
    expect(alerts).toEqual([]);
    expect(stageBudgets.classify).toEqual(report.budget);
  });

  it("judges classify and generate by api_response_time: the guide's 300 ms fails generate", () => {
    const { report: again } = reanalyze(report, parseBudgetsFile(GUIDE, 'guide.yaml'));
    expect(report.steps.find((s) => s.stage === 'generate' && s.batchSize === 1)!.withinBudget).toBe(true);
    const generate1 = again.steps.find((s) => s.stage === 'generate' && s.batchSize === 1)!;
    expect(generate1.budgetChecks).toEqual({ p95: false, p99: generate1.latencyMs.e2e!.p99 <= 500, errorRate: true });
    expect(again.recommendation.map((r) => [r.stage, r.batchSize])).toEqual([
      ['classify', 4],
      ['generate', null],
    ]);
    expect(again.budgetMet).toBe(false);
    expect(passes(again)).toBe(false);
    expect(again.budget).toEqual({ p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.01 });
    expect(again.warnings).toContain(
      "budgets from guide.yaml: classify: p95 300 ms, p99 500 ms, error rate 1 %; generate: p95 300 ms, p99 500 ms, error rate 1 %; pipeline: p95 3000 ms, p99 5000 ms, error rate 1 % (the report's budget field shows the pipeline's)",
    );
    // generate batch 2 failed 1 of 20 items: above the 0.5 % alert threshold.
    expect(again.warnings.some((w) => w.startsWith('error rate above the alert threshold: step 5 (generate batch 2)'))).toBe(true);
  });

  it('applies each stage its own budget, keeping step order and scaling', () => {
    const { report: again, stageBudgets } = reanalyze(withPipeline, parseBudgetsFile(SPLIT, 'split.yaml'));
    expect(again.steps.map((s) => [s.index, s.stage])).toEqual(withPipeline.steps.map((s) => [s.index, s.stage]));
    expect(again.steps.map((s) => s.speedup)).toEqual(report.steps.map((s) => s.speedup));
    expect(again.steps.map((s) => s.withinBudget)).toEqual([true, true, true, false, true, false, true]);
    expect(again.recommendation.map((r) => [r.stage, r.batchSize])).toEqual([
      ['classify', 4],
      ['pipeline', 1],
    ]);
    expect(stageBudgets.pipeline.p95Ms).toBe(1000);
    // One budget for all (api_response_time's) would fail the pipeline steps.
    expect(
      reanalyze(withPipeline, parseBudgetsFile('performance_budgets:\n  api_response_time: { p95: 10ms, p99: 20ms }\n', 'one.yaml')).report
        .budgetMet,
    ).toBe(false);
    expect(again.budgetMet).toBe(true);
    expect(passes(again)).toBe(true);
  });

  it('a fired alert fails the re-analysis even when every budget is met', () => {
    const withAlerts = `${SPLIT}alerts:\n  - p95(api_response_time) > 1000ms for 2s\n  - p95(ml_pipeline_time) > 1s for 1s\n  - error_rate > 1% for 10m\n`;
    const { report: again, alerts } = reanalyze(withPipeline, parseBudgetsFile(withAlerts, 'a.yaml'));
    expect(again.budgetMet).toBe(true);
    const fired = alerts.filter((f) => f.kind === 'fired');
    expect(fired.map((f) => [f.rule.text, f.stepIndex])).toEqual([['p95(api_response_time) > 1000ms for 2s', 3]]);
    expect(alerts.filter((f) => f.rule.metric === 'ml_pipeline_time').map((f) => [f.stepIndex, f.kind])).toEqual([
      [4, 'quiet'],
      [5, 'quiet'],
      [6, 'quiet'],
    ]);
    expect(passes(again)).toBe(false);
    expect(
      again.warnings.some((w) => w.startsWith('alert "p95(api_response_time) > 1000ms for 2s" on step 3 (classify batch 8): fired')),
    ).toBe(true);
    expect(again.warnings).toContain(
      'alert "error_rate > 1% for 10m": not evaluated on 7 step(s) (step shorter than 10m); it needs 10m of windows',
    );
  });

  it('re-analysing a re-analysed report replaces its own warnings instead of piling them up', () => {
    const budgets = parseBudgetsFile(GUIDE, 'guide.yaml');
    const once = reanalyze(report, budgets).report;
    const twice = reanalyze(once, parseBudgetsFile(SPLIT, 'split.yaml')).report;
    expect(twice.warnings.filter((w) => w.startsWith('budgets from '))).toHaveLength(1);
    expect(twice.warnings.some((w) => w.startsWith('error rate above the alert threshold'))).toBe(false);
    expect(reanalyze(twice, null).report.warnings.filter((w) => w.startsWith('budgets from '))).toEqual([]);
  });

  it('a run with no steps never meets a budget', () => {
    expect(reanalyze({ ...report, steps: [] }, parseBudgetsFile(GUIDE, 'g.yaml')).report.budgetMet).toBe(false);
  });
});

describe('reanalyze a report written before bottleneck verdicts and GPU placement', () => {
  const trace = parseH100Trace();
  // Batch 1 on the H100 with 40 ms of queue: what the old host-side note fired on for a wasm run.
  const gpus = summarizeGpuWindow(trace, utc('2026-11-26T18:49:00.1'), utc('2026-11-26T18:49:02.0'), { queueMsMean: 40 });
  const fresh = syntheticReport();
  const old: RunReport = {
    ...fresh,
    steps: fresh.steps.map(({ bottleneck: _dropped, ...step }) => ({
      ...step,
      gpu: { gpus, processesAtStart: null, processesAtEnd: null, notes: gpuStepNotes(gpus[0]!) },
    })),
  };

  it('the wasm run\'s GPU gets "not used by the model" instead of the host-side note, and every step a verdict', () => {
    expect(old.steps[0]!.gpu!.notes[0]).toMatch(/holds the GPU back/);
    const { report } = reanalyze(old, null);
    for (const step of report.steps) {
      expect(step.gpu!.notes).toEqual(['GPU 0: not used by the model (backend wasm)']);
      expect(step.bottleneck?.verdict).toBe(fresh.steps[step.index]!.bottleneck!.verdict);
    }
  });
});
