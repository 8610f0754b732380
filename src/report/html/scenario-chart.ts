/**
 * report.html's scenario chart: window p50/p95/p99 and the load level over time, each load stage
 * a shaded band with its name, the p95 budget a dashed line. Data, spec and section in one place
 * so the sweep charts' files stay as they were.
 */
import type { TopLevelSpec } from 'vega-lite';
import { placeStages } from '../../load/placed-stages.js';
import type { RunReport } from '../../core/report/run.js';
import type { ScenarioReport } from '../../core/report/scenario.js';
import type { PageSection } from './page.js';
import { renderSvg } from './render-svg.js';

export interface ScenarioLatencyRow {
  readonly tS: number;
  readonly percentile: 'p50' | 'p95' | 'p99';
  readonly latencyMs: number;
}
export interface ScenarioLevelRow {
  readonly tS: number;
  readonly level: number;
}
export interface StageBand {
  readonly stage: string;
  readonly startS: number;
  readonly endS: number;
  readonly shade: 'even' | 'odd';
}

export interface ScenarioChartData {
  readonly latency: readonly ScenarioLatencyRow[];
  readonly levels: readonly ScenarioLevelRow[];
  readonly bands: readonly StageBand[];
  readonly p95BudgetMs: number;
  readonly levelTitle: string;
}

const MS_PER_S = 1000;

/** Windows placed at their middle, in seconds from the scenario's start; windows without a p95 drop out of the lines only. */
export function scenarioChartData(scenario: ScenarioReport, p95BudgetMs: number): ScenarioChartData {
  const at = (epochMs: number): number => (epochMs - scenario.startedAtMs) / MS_PER_S;
  const latency: ScenarioLatencyRow[] = [];
  for (const w of scenario.timeline) {
    const tS = at((w.startMs + w.endMs) / 2);
    for (const [percentile, value] of [
      ['p50', w.p50Ms],
      ['p95', w.p95Ms],
      ['p99', w.p99Ms],
    ] as const) {
      if (value !== null) latency.push({ tS, percentile, latencyMs: value });
    }
  }
  return {
    latency,
    levels: scenario.timeline.map((w) => ({ tS: at((w.startMs + w.endMs) / 2), level: w.level })),
    bands: placeStages(scenario.stages, scenario.startedAtMs).map((s, i) => ({
      stage: s.name,
      startS: at(s.startMs),
      endS: at(s.endMs),
      shade: i % 2 === 0 ? 'even' : 'odd',
    })),
    p95BudgetMs,
    levelTitle: scenario.axis === 'rate' ? 'load (requests/s)' : 'load (requests in flight)',
  };
}

export function scenarioSpec(data: ScenarioChartData): TopLevelSpec {
  const time = { field: 'tS', type: 'quantitative', title: "time since the scenario's start (s)" } as const;
  const budget = [{ latencyMs: data.p95BudgetMs, label: `p95 budget ${data.p95BudgetMs / MS_PER_S} s` }];
  return {
    title: 'Scenario: window latency and load over time',
    width: 760,
    height: 280,
    layer: [
      {
        data: { values: data.bands },
        layer: [
          {
            mark: { type: 'rect', opacity: 0.15 },
            encoding: {
              x: { field: 'startS', type: 'quantitative' },
              x2: { field: 'endS' },
              color: { field: 'shade', type: 'nominal', scale: { domain: ['even', 'odd'], range: ['#7f7f7f', '#bcbd22'] }, legend: null },
            },
          },
          {
            mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10, color: '#555' },
            encoding: { x: { field: 'startS', type: 'quantitative' }, text: { field: 'stage' } },
          },
        ],
      },
      {
        layer: [
          {
            data: { values: data.latency },
            mark: { type: 'line', strokeWidth: 1.4 },
            encoding: {
              x: time,
              y: { field: 'latencyMs', type: 'quantitative', title: 'window e2e latency (ms)' },
              stroke: {
                field: 'percentile',
                type: 'nominal',
                title: 'percentile',
                scale: { domain: ['p50', 'p95', 'p99'], range: ['#9ecae1', '#1f77b4', '#08306b'] },
              },
            },
          },
          {
            data: { values: budget },
            mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] },
            encoding: { y: { field: 'latencyMs', type: 'quantitative' } },
          },
          {
            data: { values: budget },
            mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, dy: -6, x: 0 },
            encoding: { y: { field: 'latencyMs', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values: data.levels },
        mark: { type: 'line', color: '#ff7f0e', strokeDash: [3, 2] },
        encoding: {
          x: time,
          y: { field: 'level', type: 'quantitative', title: data.levelTitle, axis: { orient: 'right', titleColor: '#ff7f0e' } },
        },
      },
    ],
    resolve: { scale: { y: 'independent', color: 'independent' } },
  } as TopLevelSpec;
}

/** null for a sweep, or a scenario without a timeline. */
export async function scenarioSection(report: RunReport): Promise<PageSection | null> {
  const scenario = report.scenario;
  if (scenario === null || scenario.timeline.length === 0) return null;
  const data = scenarioChartData(scenario, report.stageBudgets[scenario.stage].p95Ms);
  const spec = scenarioSpec(data);
  const table = {
    columns: ['t s (window middle)', 'load', 'completed', 'errors', 'p50 ms', 'p95 ms', 'p99 ms'],
    rows: scenario.timeline.map((w) => [
      ((w.startMs + w.endMs) / 2 - scenario.startedAtMs) / MS_PER_S,
      w.level,
      w.completed,
      w.errors,
      w.p50Ms,
      w.p95Ms,
      w.p99Ms,
    ]),
  };
  const caption = `${scenario.verdict.passed ? 'Passed' : 'Failed'}: ${scenario.verdict.summary} Shaded bands: the load stages; dashed orange: the load asked for (right axis); dashed red: the p95 budget.`;
  return { kind: 'chart', id: 'scenario', title: `Scenario: ${scenario.kind}`, caption, spec, table, svg: await renderSvg(spec) };
}
