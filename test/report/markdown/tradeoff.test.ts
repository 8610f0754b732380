import { describe, expect, it } from 'vitest';
import { buildRunReport } from '../../../src/analysis/analyze-run.js';
import { renderMarkdown } from '../../../src/report/markdown/index.js';
import type { StabilityReport, StepReport } from '../../../src/core/report/step.js';
import { parseAlertRule } from '../../../src/workload/budgets-schema.js';
import { type AlertRule } from '../../../src/core/alert-rule.js';
import { syntheticParts } from '../synthetic-run.js';

const unstable: StabilityReport = {
  kind: 'unstable',
  reason: 'the last 3 windows disagree past 10 %',
  p95Spread: 0.14,
  throughputSpread: 0.03,
  extendedMs: 2000,
};

function rule(text: string): AlertRule {
  const parsed = parseAlertRule(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function withSteps(change: (step: StepReport) => StepReport): ReturnType<typeof syntheticParts> {
  const parts = syntheticParts();
  return { ...parts, steps: parts.steps.map(change) };
}

const section = (md: string, name: string): string => md.split(`## ${name}\n`)[1]?.split('\n## ')[0] ?? '';

describe('report.md trade-off, honesty and run sections', () => {
  const md = renderMarkdown(buildRunReport(syntheticParts()));

  it('states the recommendation sentence once per stage, then the trade-off table with CI, goodput, queue share, Pareto', () => {
    const classify = section(md, 'classify');
    expect(classify).toContain(
      '**Recommendation:** batch 4 is the largest within budget (400 items/s at p95 8 ms): 8 breaks p95 3 s (4 s).',
    );
    expect(classify).toContain(
      '| batch | items/s | speedup | efficiency | gain per doubling | p95 e2e (95 % CI) | goodput | queue share p50 | Pareto | within budget |',
    );
    expect(classify).toContain('| 2 | 200 | 2.00 | 1.00 | 100 % | 6 ms (6 ms–6 ms) | 200 | 25 % | ● | ✓ |');
    expect(classify).toContain('| 8 | 420 | 4.20 | 0.53 | - | 4 s (4 s–4 s) | 0 | 25 % | ● | ✗ |');
    expect(classify).toContain('Kneedle point (largest bend of the log2 curve): batch 4.');
  });

  it('marks a thin p95 in the trade-off table and says so in the sentence, never as if exact', () => {
    const generate = section(md, 'generate');
    // 10 single-item samples; the upper side of a p95 interval cannot be bounded by them.
    expect(generate).toMatch(/\| 1 \| 10 \| .* \| 500 ms† \(500 ms–\?\) \|/);
    expect(generate).toContain("its p95 rests on too few samples (MLPerf's early-stopping rule needs 90, it has 10)");
    expect(generate).toContain("† step 4 (batch 1): 10 samples; MLPerf's early-stopping rule needs 90 for a p95 and 459 for a p99.");
  });

  it('marks unstable steps in both tables, footnotes why, and the recommendation says it rests on one', () => {
    const report = buildRunReport(withSteps((step) => (step.index === 2 ? { ...step, stability: unstable } : step)));
    const classify = section(renderMarkdown(report), 'classify');
    expect(classify).toMatch(/^\| 4‡ \| 8 ms \|/m);
    expect(classify).toMatch(/^\| 4‡ \| 400 \|/m);
    expect(classify).toContain(
      '‡ step 2 (batch 4) did not settle: the last 3 windows disagree past 10 %; p95 spread 14 %; throughput spread 3 %; extended 2 s.',
    );
    expect(classify).toContain('; it rests on an unstable step 2 (the last 3 windows disagree past 10 %).');
    expect(report.recommendation[0]?.reason).toContain('it rests on an unstable step 2');
    expect(md).not.toContain('‡');
  });

  it('a verdict judged with sampling error is footnoted by its reason, which already gives each spread beside it', () => {
    const reason = 'last 3 windows: p95 spread 40.0 % over 10.0 % + sampling error 9.1 %';
    const judged = { ...unstable, reason, p95Spread: 0.4, p95SamplingError: 0.091, throughputSamplingError: 0.04 };
    const report = buildRunReport(withSteps((step) => (step.index === 2 ? { ...step, stability: judged } : step)));
    const classify = section(renderMarkdown(report), 'classify');
    expect(classify).toContain(`‡ step 2 (batch 4) did not settle: ${reason}; extended 2 s.`);
  });

  it('shows a spread column only when steps repeated', () => {
    expect(md).not.toContain('items/s spread');
    const report = buildRunReport(
      withSteps((step) =>
        step.stage === 'classify' ? { ...step, repeats: { itemsPerSec: [390, 400, 412], p95Ms: [7.9, null, 8.4] } } : step,
      ),
    );
    const classify = section(renderMarkdown(report), 'classify');
    expect(classify).toContain('| repeats | items/s spread | p95 spread |');
    expect(classify).toMatch(/\| 3 \| 390–412 \| 7\.9 ms–8\.4 ms \|/);
    expect(section(renderMarkdown(report), 'generate')).not.toContain('spread');
  });

  it('a search section with the answer and what it saved', () => {
    expect(md).not.toContain('## Search');
    const report = buildRunReport({
      ...syntheticParts(),
      search: [
        {
          stage: 'classify',
          axis: 'batchSize',
          answer: 64,
          stepsRun: 5,
          fullSweepSteps: 9,
          itemsMeasured: 12_300,
          fullSweepItemsEstimate: 20_100,
          tried: [
            { value: 1, withinBudget: true },
            { value: 128, withinBudget: false },
            { value: 64, withinBudget: true },
          ],
        },
      ],
    });
    expect(section(renderMarkdown(report), 'Search')).toContain(
      '- classify: the largest batch size within budget is 64. 5 steps instead of 9 (12.3k items instead of ~20.1k). Tried in order: 1 ✓, 128 ✗, 64 ✓.',
    );
  });

  it('per-stage budgets as a table only when they differ; each step judged by its own stage', () => {
    expect(section(md, 'Budget').trim()).toBe('p95 e2e ≤ 3 s, p99 e2e ≤ 5 s, error rate ≤ 1 %');
    const tight = { p95Ms: 7, p99Ms: 20, maxErrorRate: 0.01 };
    const loose = { p95Ms: 3000, p99Ms: 5000, maxErrorRate: 0.1 };
    const report = buildRunReport({ ...syntheticParts(), stageBudgets: { classify: tight, generate: loose, pipeline: loose } });
    const budgetMd = section(renderMarkdown(report), 'Budget');
    expect(budgetMd).toContain('| classify | 7 ms | 20 ms | 1 % |');
    expect(budgetMd).toContain('| generate | 3 s | 5 s | 10 % |');
    expect(budgetMd).not.toContain('pipeline');
    expect(report.steps.filter((s) => s.stage === 'classify').map((s) => s.withinBudget)).toEqual([true, true, false, false]);
    // generate batch 2 had a 5.3 % error rate: within the loose 10 %.
    expect(report.steps.find((s) => s.index === 5)?.withinBudget).toBe(true);
  });

  it('an alerts section listing fired rules first when rules were evaluated', () => {
    expect(md).not.toContain('## Alerts');
    const report = buildRunReport({
      ...syntheticParts(),
      alertRules: [rule('p95(api_response_time) > 1000ms for 2s'), rule('error_rate > 1% for 10m')],
    });
    const alerts = section(renderMarkdown(report), 'Alerts');
    expect(alerts.split('\n')[1]).toMatch(/^\*\*1 alert finding fired\.\*\*$/);
    expect(alerts).toMatch(/- ✗ alert "p95\(api_response_time\) > 1000ms for 2s" on step 3 \(classify batch 8\): fired/);
    expect(alerts).toContain('- alert "error_rate > 1% for 10m" on step 0 (classify batch 1): not evaluated (step shorter than 10m)');
  });
});

describe('the knee line', () => {
  it('says why there is no knee: the last doubling still gains, or no doubling was measured', () => {
    const md = renderMarkdown(buildRunReport(syntheticParts()));
    expect(section(md, 'classify')).toContain(
      'Knee (every later doubling gains < 5 %): none within the sweep (the last measured doubling still gains ≥ 5 %).',
    );
    const parts = syntheticParts();
    const lone = buildRunReport({ ...parts, steps: parts.steps.filter((step) => step.index === 0) });
    expect(section(renderMarkdown(lone), 'classify')).toContain(
      'Knee (every later doubling gains < 5 %): not known (no batch size and its double were both measured).',
    );
  });
});

describe('a stage with several curves', () => {
  it('states the stage-wide recommendation, then one labelled sentence and table per load level', () => {
    const parts = syntheticParts();
    const classify = parts.steps.filter((step) => step.stage === 'classify' && step.batchSize <= 2);
    // The same two batch sizes again at another in-flight level.
    const steps = [...classify, ...classify.map((step, i) => ({ ...step, index: 10 + i, concurrency: 16 }))];
    const workload = {
      ...parts.workload,
      stages: [
        {
          stage: 'classify' as const,
          mode: 'dynamic' as const,
          batchSizes: [1, 2],
          concurrency: [2, 4, 16],
          maxQueueDelayMs: 5,
          maxNewTokens: 64,
        },
      ],
    };
    const md = section(renderMarkdown(buildRunReport({ ...parts, workload, steps })), 'classify');
    expect(md).toContain('**Recommendation:** batch 2: 200 items/s at p95 6 ms, the largest batch size measured.');
    expect(md).toMatch(/\*\*Curve dynamic, x2:\*\* batch 1: 100 items\/s at p95 5 ms, the largest batch size measured\./);
    expect(md).toMatch(/\*\*Curve dynamic, x16:\*\* batch 2: 200 items\/s/);
    expect(md.match(/\| batch \| items\/s \| speedup/g)).toHaveLength(3);
  });
});
