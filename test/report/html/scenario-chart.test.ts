import { describe, expect, it } from 'vitest';
import { buildRunReport } from '../../../src/analysis/analyze-run.js';
import { renderHtml } from '../../../src/report/html/index.js';
import { scenarioChartData, scenarioSection } from '../../../src/report/html/scenario-chart.js';
import { scenarioFacts, scenarioStep, timeline, type StageRow } from '../../analysis/scenario-fixtures.js';
import { syntheticParts, syntheticReport } from '../synthetic-run.js';

const ROWS: StageRow[] = [
  ['ramp-up', 2000, 100],
  ['hold', 4000, 100],
  ['spike', 1000, 300],
  ['fall', 1000, 100],
  ['after', 4000, 100],
];
const windows = timeline(
  Array.from({ length: 12 }, (_, i) => ({ p95Ms: i === 4 ? null : 100 + i, completed: i === 4 ? 0 : 100, level: i < 2 ? 50 : 100 })),
);
const report = buildRunReport({
  ...syntheticParts(),
  steps: ROWS.map((_, i) => scenarioStep(ROWS, i, { count: 400, e2eMs: 100, spanMs: 4000 })),
  scenario: scenarioFacts('spike', ROWS, windows),
});

describe('scenario chart', () => {
  it('data: windows at their middle in s from the start, a window without a p95 left out of the lines, one band per stage', () => {
    const scenario = report.scenario;
    if (scenario === null) throw new Error('no scenario');
    const data = scenarioChartData(scenario, 3000);
    expect(data.latency.filter((r) => r.percentile === 'p95').map((r) => r.tS)).toEqual([
      0.5, 1.5, 2.5, 3.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5,
    ]);
    expect(data.latency.find((r) => r.percentile === 'p99' && r.tS === 0.5)?.latencyMs).toBe(120);
    expect(data.levels).toHaveLength(12);
    expect(data.levels[0]).toEqual({ tS: 0.5, level: 50 });
    expect(data.bands.map((b) => [b.stage, b.startS, b.endS])).toEqual([
      ['ramp-up', 0, 2],
      ['hold', 2, 6],
      ['spike', 6, 7],
      ['fall', 7, 8],
      ['after', 8, 12],
    ]);
    expect(data.levelTitle).toBe('load (requests in flight)');
  });

  it('renders an SVG with the stage names and the budget, in place of the charts against batch size', async () => {
    const section = await scenarioSection(report);
    expect(section?.kind).toBe('chart');
    if (section?.kind !== 'chart') return;
    expect(section.svg).toMatch(/^<svg /);
    for (const text of ['ramp-up', 'spike', 'after', 'p95 budget 3 s']) expect(section.svg).toContain(text);
    expect(section.table.rows).toHaveLength(12);
    expect(section.caption.startsWith('Passed: Spike:')).toBe(true);
    const html = await renderHtml(report);
    expect(html.indexOf('<section id="scenario">')).toBeGreaterThan(0);
    // One batch size through load stages: no latency/throughput/queue-vs-batch-size charts.
    for (const sweepOnly of ['latency', 'throughput', 'queue']) expect(html).not.toContain(`<section id="${sweepOnly}">`);
    expect(html.indexOf('<section id="scenario">')).toBeLessThan(html.indexOf('<section id="gpu">'));
  });

  it('no section for a sweep or an empty timeline', async () => {
    expect(await scenarioSection(syntheticReport())).toBeNull();
    const empty = buildRunReport({ ...syntheticParts(), steps: [], scenario: scenarioFacts('spike', ROWS, []) });
    expect(await scenarioSection(empty)).toBeNull();
  });
});
