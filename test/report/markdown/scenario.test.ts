import { describe, expect, it } from 'vitest';
import { buildRunReport } from '../../../src/analysis/analyze-run.js';
import { renderScenarioSection } from '../../../src/report/markdown/scenario.js';
import type { ScenarioFacts } from '../../../src/core/report/scenario.js';
import { hostReport, hostSample, scenarioFacts, scenarioStep, T0, timeline, type StageRow } from '../../analysis/scenario-fixtures.js';
import { syntheticParts, syntheticReport } from '../synthetic-run.js';

const SPIKE: StageRow[] = [
  ['ramp-up', 2000, 100],
  ['hold', 4000, 100],
  ['spike', 1000, 300],
  ['fall', 1000, 100],
  ['after', 4000, 100],
];

function reportOf(facts: ScenarioFacts, rows: readonly StageRow[], stagesRun = rows.length, host = hostReport([])) {
  const steps = rows.slice(0, stagesRun).map((_, i) => scenarioStep(rows, i, { count: 400, e2eMs: 100, spanMs: 4000 }));
  return buildRunReport({ ...syntheticParts(), steps, scenario: facts, host });
}

const tableRows = (section: string, header: string): string[] => {
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('| '));
  return lines.slice(start, end < 0 ? undefined : end);
};

describe('renderScenarioSection', () => {
  it('a bottleneck line per load stage under the stages table', () => {
    const windows = timeline(Array.from({ length: 12 }, () => ({ p95Ms: 100, level: 100 })));
    const report = reportOf(scenarioFacts('spike', SPIKE, windows), SPIKE);
    const md = renderScenarioSection(report);
    const lines = md.split('\n').filter((line) => line.startsWith('- load stage "'));
    expect(lines.map((line) => /^- load stage "([^"]+)": \*\*([a-z-]+)\*\*/.exec(line)?.slice(1))).toEqual(
      report.steps.map((step) => [step.profile!.name, step.bottleneck!.verdict]),
    );
    expect(lines).toHaveLength(SPIKE.length);
    expect(md).toContain('What limited each step:');
  });

  it('is empty for a sweep', () => {
    expect(renderScenarioSection(syntheticReport())).toBe('');
  });

  it('spike: the verdict first, the stages as run, recovery, and the whole timeline of a short run', () => {
    const windows = timeline(Array.from({ length: 12 }, (_, i) => ({ p95Ms: i === 6 || i === 7 || i === 8 ? 900 : 100, level: 100 })));
    const md = renderScenarioSection(reportOf(scenarioFacts('spike', SPIKE, windows), SPIKE));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## Scenario: spike');
    expect(lines[2]).toBe(
      '**Passed.** Spike: worst window p95 900 ms and errors 0 % during the spike (6 s to 8 s); p95 was back within 10 % of its pre-spike 100 ms after 1 s (target 30 s).',
    );
    expect(md).toContain('- classify at batch 8, load as in flight, time scale 1, load scale 1; all 5 stages ran');
    const stages = tableRows(md, '| stage |');
    expect(stages[0]).toBe('| stage | in flight | duration | items/s | p95 e2e | p99 e2e | errors | within budget |');
    expect(stages).toHaveLength(2 + 5);
    expect(stages[2]).toBe('| ramp-up | 0 -> 100 | 2 s | 100 | 100 ms | 100 ms | 0 (0 %) | ✓ |');
    expect(stages[4]).toBe('| spike | 100 -> 300 | 1 s | 100 | 100 ms | 100 ms | 0 (0 %) | ✓ |');
    expect(md).toContain('- Recovery (p95 back within 10 % of pre-spike, for 3 windows running): 1 s, target 30 s');
    const timelineRows = tableRows(md, '| at |');
    expect(timelineRows).toHaveLength(2 + 12);
    expect(timelineRows[8]).toBe('| 6 s | 100 | 100 | 0 | 450 ms | 900 ms | 1.08 s |');
  });

  it('marks stages that did not run and the early stop', () => {
    const facts = {
      ...scenarioFacts('spike', SPIKE, timeline(Array.from({ length: 5 }, () => ({ p95Ms: 100 })))),
      stagesRun: 2,
      stoppedEarly: 'SIGINT',
    };
    const md = renderScenarioSection(reportOf(facts, SPIKE, 2));
    expect(md).toContain('2 of 5 stages ran to their end (stopped early: SIGINT)');
    expect(md).toContain('| after | 100 -> 100 | 4 s | - | - | - | - | not run |');
    expect(md.split('\n')[2]).toMatch(/^\*\*Failed\.\*\* Spike: the run ended before the spike began/);
  });

  it('stress: the levels table with the breaking point and max sustainable marked', () => {
    const rows: StageRow[] = [
      ['ramp', 1000, 50],
      ['hold-50', 4000, 50],
      ['ramp', 1000, 100],
      ['hold-100', 4000, 100],
      ['ramp', 1000, 200],
      ['hold-200', 4000, 200],
    ];
    const steps = [
      scenarioStep(rows, 1, { count: 400, e2eMs: 100, spanMs: 4000 }),
      scenarioStep(rows, 3, { count: 800, e2eMs: 200, spanMs: 4000 }),
      scenarioStep(rows, 5, { count: 800, e2eMs: 3500, spanMs: 4000 }),
    ];
    const md = renderScenarioSection(buildRunReport({ ...syntheticParts(), steps, scenario: scenarioFacts('stress', rows, []) }));
    expect(md).toContain('| level (in flight) | items/s | p95 e2e | p99 e2e | error rate | within budget |  |');
    expect(md).toContain('| 100 | 200 | 200 ms | 200 ms | 0 % | ✓ | max sustainable |');
    expect(md).toContain('| 200 | 200 | 3.5 s | 3.5 s | 0 % | ✗ | breaking point |');
    expect(md).toContain('- Breaking point: 200 (p95 3.5 s > 3 s)');
    expect(md).toContain('- Graceful degradation: yes');
    expect(md).toContain('| ramp | 50 -> 100 | 1 s | - | - | - | - | not run |');
    expect(md).toContain('No timeline windows were recorded.');
  });

  it('soak: drift and leak lines, and a note instead of a long timeline', () => {
    const rows: StageRow[] = [
      ['ramp-up', 5000, 200],
      ['soak', 95_000, 200],
    ];
    const windows = timeline(Array.from({ length: 100 }, (_, i) => ({ p95Ms: i < 5 ? 10 : 100 })));
    const MiB = 1024 ** 2;
    const host = hostReport(
      Array.from({ length: 101 }, (_, i) => hostSample(T0 + i * 1000, 300 * MiB, 40 * MiB, { numTensors: 40 + i, numBytes: 1024 })),
    );
    const md = renderScenarioSection(reportOf(scenarioFacts('soak', rows, windows), rows, 2, host));
    expect(md.split('\n')[2]).toMatch(/^\*\*Failed\.\*\* Soak: p95 \+0 % over the run \(flat\)/);
    expect(md).toContain('- p95 drift: +0 ms per hour (+0 %/h, +0 % over the run, flat; Theil-Sen over 95 points)');
    expect(md).toContain('- Leak: **leak**: TF.js tensors rose from 40 to 140 and never fell back');
    expect(md).toContain('- Memory: RSS 300.0 MiB -> 300.0 MiB; heap +0 B per hour');
    expect(md).toContain('TF.js tensors 40 -> 140');
    expect(md).toContain(
      '100 timeline windows of 1 s: see report.html for the chart and report.json `scenario.timeline` for every window.',
    );
    expect(md).not.toContain('| at |');
  });

  it('steady: the hold percentiles and windows judged', () => {
    const rows: StageRow[] = [
      ['ramp-up', 2000, 100],
      ['hold', 4000, 100],
    ];
    const windows = timeline(Array.from({ length: 6 }, (_, i) => ({ p95Ms: i === 4 ? 3500 : 100 })));
    const md = renderScenarioSection(reportOf(scenarioFacts('steady', rows, windows), rows));
    expect(md).toContain('- Over the hold: p50 100 ms, p95 100 ms, p99 100 ms, errors 0 %');
    expect(md).toContain('- Windows within budget: 3 of 4 judged (windows with fewer than 20 items are not judged); first breach at 4 s');
  });
});
