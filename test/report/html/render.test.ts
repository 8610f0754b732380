import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/analysis/compare.js';
import { DEFAULT_COMPARE_OPTIONS } from '../../../src/analysis/compare-model.js';
import { moduleEntries, singleFileBuilds } from '../../../src/report/html/chart-libraries.js';
import { renderCompareHtml, renderHtml, renderSvg } from '../../../src/report/html/index.js';
import { svgWith } from '../../../src/report/html/render-svg.js';
import { renderTable, toCsv } from '../../../src/report/html/page.js';
import { latencySamplesMs, makeRun, scaled, type StepSpec } from '../../analysis/compare-fixtures.js';
import { chartReport } from './fixture.js';
import type { TopLevelSpec } from 'vega-lite';

/** The <section id=...> blocks of a page, by id. */
function sections(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<section id="([^"]+)">([\s\S]*?)<\/section>/g)].map((m) => [m[1]!, m[2]!]));
}

/** Data marks in a chart: children of Vega's role-mark groups (axes and legends excluded). */
function dataMarks(svg: string): number {
  const groups = [...svg.matchAll(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)];
  return groups.reduce((sum, g) => sum + (g[1]!.match(/<(path|line|rect|text)\b/g)?.length ?? 0), 0);
}

describe('renderHtml', async () => {
  const html = await renderHtml(chartReport());
  const byId = sections(html);

  it('every chart as inline SVG with data marks, its table, CSV link and embedded spec', () => {
    for (const id of ['latency', 'throughput', 'queue', 'gpu', 'percentiles']) {
      const section = byId.get(id);
      expect(section, id).toBeDefined();
      expect(section).toMatch(/<svg [^>]*class="marks"/);
      expect(dataMarks(section!), id).toBeGreaterThan(3);
      expect(section).toMatch(/<table>\n<tr><th>/);
      expect(section).toMatch(/href="data:text\/csv;charset=utf-8,/);
      const spec = section!.match(/<script type="application\/json" class="vega-lite-spec" id="spec-[^"]+">([\s\S]*?)<\/script>/);
      expect(JSON.parse(spec![1]!)).toHaveProperty(
        id === 'queue' || id === 'percentiles' ? 'data' : id === 'gpu' ? 'vconcat' : id === 'throughput' ? 'hconcat' : 'concat',
      );
    }
    expect(byId.has('open-loop')).toBe(false);
  });

  it('budget lines and the recommended batch are drawn and labelled', () => {
    const latency = byId.get('latency')!;
    expect(latency).toContain('p95 budget 0.05 s');
    expect(latency).toContain('p99 budget 5 s');
    expect(latency).toContain('recommended b4');
    expect(latency).toMatch(/<td>recommended<\/td>/);
  });

  it('without a GPU timeline, one line says why', async () => {
    const noGpu = sections(await renderHtml(chartReport({ gpu: false }))).get('gpu')!;
    expect(noGpu).not.toContain('<svg');
    expect(noGpu).toContain('No GPU timeline in this report');
  });
});

describe('renderSvg', () => {
  const line = (values: readonly { x: number; y: number }[]): TopLevelSpec => ({
    data: { values: [...values] },
    mark: 'line',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  });

  it('a chart rendered lately is not rendered again (a run rewrites report.html after its last step and at its end)', async () => {
    const spec = line([
      { x: 1, y: 2 },
      { x: 2, y: 3 },
    ]);
    const first = renderSvg(spec);
    // The same render answers an equal spec, even a fresh copy of it (each report write builds new objects).
    expect(renderSvg(structuredClone(spec))).toBe(first);
    const changed = renderSvg(
      line([
        { x: 1, y: 2 },
        { x: 2, y: 3 },
        { x: 3, y: 1 },
      ]),
    );
    expect(changed).not.toBe(first);
    expect(await changed).not.toBe(await first);
    expect(await first).toMatch(/<svg [^>]*class="marks"/);
  });

  it("Vega's single-file builds (what a run loads) draw every chart of a page exactly as the packages' module entries", async () => {
    const single = await singleFileBuilds();
    expect(single?.source).toBe('single-file');
    const modules = await moduleEntries();
    const page = await renderHtml(chartReport());
    const specs = [...page.matchAll(/<script type="application\/json" class="vega-lite-spec" id="spec-[^"]+">([\s\S]*?)<\/script>/g)].map(
      (m) => JSON.parse(m[1]!) as TopLevelSpec,
    );
    expect(specs.length).toBeGreaterThanOrEqual(5);
    for (const spec of specs) {
      const svg = await svgWith(single!, spec);
      expect(svg).toMatch(/<svg [^>]*class="marks"/);
      expect(svg).toBe(await svgWith(modules, spec));
    }
  });

  it('the page rendered again from an equal report is the same page', async () => {
    const report = chartReport();
    expect(await renderHtml(structuredClone(report))).toBe(await renderHtml(report));
  });
});

describe('page parts', () => {
  it('CSV quotes every field and doubles quotes; regression rows are marked', () => {
    expect(
      toCsv({
        columns: ['a', 'b'],
        rows: [
          ['x"y', null],
          ['z', 1.5],
        ],
      }),
    ).toBe('"a","b"\r\n"x""y",""\r\n"z","1.5"\r\n');
    const table = renderTable({
      columns: ['step', 'status'],
      rows: [
        ['s1', 'regression'],
        ['s2', 'noise'],
      ],
    });
    expect(table).toContain('<tr class="regression"><td>s1</td>');
    expect(table).toContain('<tr><td>s2</td>');
  });
});

describe('renderCompareHtml', async () => {
  const samples = latencySamplesMs(400, 30, 0.2, 4);
  const windows = [80, 82, 79, 81];
  const base: StepSpec[] = [
    { stage: 'classify', batchSize: 4, samplesMs: samples, windowCounts: windows },
    { stage: 'pipeline', batchSize: 16, samplesMs: samples, windowCounts: windows },
  ];
  const slower: StepSpec[] = [base[0]!, { ...base[1]!, samplesMs: scaled(samples, 1.25) }];
  const baseline = makeRun(base, 'base-run');
  const candidate = makeRun(slower, 'cand-run');
  const result = compareRuns(baseline, candidate, { ...DEFAULT_COMPARE_OPTIONS, latencyThreshold: 0.15 });
  const html = await renderCompareHtml(result, baseline, candidate);

  it('verdict first, regressions listed, highlighted in the chart and the table', () => {
    expect(result.verdict).toBe('FAIL');
    expect(html).toContain('<span class="verdict-bad">FAIL</span>');
    const compare = sections(html).get('compare')!;
    expect(dataMarks(compare)).toBeGreaterThanOrEqual(8);
    expect(compare).toMatch(/stroke="#d62728"/);
    expect(compare).toMatch(/<tr class="regression"><td>pipeline batch 16<\/td><td>p95<\/td>/);
    expect(compare).not.toMatch(/<tr class="regression"><td>classify/);
    for (const side of ['baseline', 'candidate']) expect(sections(html).has(`latency-${side}`)).toBe(true);
  });
});
