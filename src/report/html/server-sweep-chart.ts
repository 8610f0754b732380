/**
 * report.html's server sweep chart (issue 15): every measured configuration as a point of p95
 * against items/s, the Pareto set joined by a line, the chosen one marked, the p95 budget dashed.
 * Data, spec and section in one place. Points carry numbers only; configuration names (workload
 * strings) go to the table below the chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import { sameServerConfig, serverConfigLabel } from '../../core/server-config.js';
import type { RunReport } from '../../core/report/run.js';
import type { ServerSweepReport } from '../../core/report/server-sweep.js';
import type { PageSection } from './page.js';
import { renderSvg } from './render-svg.js';

export interface ServerPointRow {
  readonly itemsPerSec: number;
  readonly p95Ms: number;
  readonly kind: 'pareto' | 'dominated' | 'chosen';
}

export function serverSweepChartData(sweep: ServerSweepReport): ServerPointRow[] {
  return sweep.scores.flatMap((score) => {
    if (score.p95Ms === null) return [];
    const chosen = sweep.chosen !== null && sameServerConfig(sweep.chosen.params, score.params);
    const pareto = sweep.pareto.some((point) => sameServerConfig(point.params, score.params));
    return [{ itemsPerSec: score.itemsPerSec, p95Ms: score.p95Ms, kind: chosen ? 'chosen' : pareto ? 'pareto' : 'dominated' }];
  });
}

export function serverSweepSpec(rows: readonly ServerPointRow[], p95BudgetMs: number): TopLevelSpec {
  const x = { field: 'itemsPerSec', type: 'quantitative', title: 'items/s' } as const;
  const y = { field: 'p95Ms', type: 'quantitative', title: 'e2e p95 (ms)' } as const;
  return {
    title: 'Server configurations: p95 vs throughput',
    width: 520,
    height: 300,
    layer: [
      {
        data: { values: rows.filter((r) => r.kind !== 'dominated') },
        mark: { type: 'line', color: '#1f77b4' },
        encoding: { x, y, order: { field: 'itemsPerSec' } },
      },
      {
        data: { values: [...rows] },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x,
          y,
          color: {
            field: 'kind',
            type: 'nominal',
            title: 'configuration',
            scale: { domain: ['chosen', 'pareto', 'dominated'], range: ['#2ca02c', '#1f77b4', '#aaaaaa'] },
          },
          shape: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['chosen', 'pareto', 'dominated'], range: ['diamond', 'circle', 'circle'] },
          },
        },
      },
      {
        data: { values: [{ p95Ms: p95BudgetMs }] },
        mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] },
        encoding: { y: { field: 'p95Ms', type: 'quantitative' } },
      },
    ],
  };
}

export async function serverSweepSection(report: RunReport): Promise<PageSection | null> {
  const sweep = report.serverSweep;
  if (!sweep) return null;
  const rows = serverSweepChartData(sweep);
  const spec = serverSweepSpec(rows, report.budget.p95Ms);
  const table = {
    columns: ['configuration', 'items/s', 'p95 ms', 'within budget', 'mark'],
    rows: sweep.scores.map((score) => [
      serverConfigLabel(score.params),
      score.itemsPerSec,
      score.p95Ms,
      score.withinBudget ? 'yes' : 'no',
      sweep.chosen !== null && sameServerConfig(sweep.chosen.params, score.params)
        ? 'chosen'
        : sweep.pareto.some((p) => sameServerConfig(p.params, score.params))
          ? 'pareto'
          : '',
    ]),
  };
  const caption =
    'Each point: a configuration at its best step within budget (else its best step). Blue line: the Pareto set (no other is both faster and lower in p95). Green diamond: the chosen configuration. Dashed red: the p95 budget.';
  return {
    kind: 'chart',
    id: 'server-configs',
    title: 'Server configurations: p95 vs items/s',
    caption,
    spec,
    table,
    svg: await renderSvg(spec),
  };
}
