/** compare.html: the verdict, baseline vs candidate per step with regressions highlighted, both runs' latency curves. */
import type { CompareResult, JudgedMetric } from '../../analysis/compare-model.js';
import type { RunReport } from '../../core/report/run.js';
import { latencyChartData } from './chart-data.js';
import { escapeHtml } from './escape.js';
import type { Cell, PageSection } from './page.js';
import { renderSvg } from './render-svg.js';
import { compareSpec, latencySpec, type CompareBarRow } from './specs.js';

const METRIC_TITLES: Readonly<Record<string, string>> = {
  p50: 'e2e p50 (ms)',
  p95: 'e2e p95 (ms)',
  p99: 'e2e p99 (ms)',
  throughput: 'throughput (items/s)',
  errorRate: 'error rate',
};

/** Charted metrics: the budgeted percentile and throughput; the table holds every metric. */
const CHARTED = new Set(['p95', 'throughput']);

export function compareHeader(result: CompareResult): string {
  const lines = (title: string, items: readonly string[], cls: string) =>
    items.length === 0
      ? ''
      : `<h3>${escapeHtml(title)}</h3><ul class="${cls}">${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  return [
    `<h1>pipebench compare: <span class="${result.verdict === 'PASS' ? 'verdict-ok' : 'verdict-bad'}">${result.verdict}</span></h1>`,
    `<p class="muted">baseline ${escapeHtml(result.runs.baseline)} · candidate ${escapeHtml(result.runs.candidate)} · thresholds: latency ${result.thresholds.latency * 100} %, throughput ${result.thresholds.throughput * 100} %</p>`,
    lines('Regressions', result.reasons, 'warnings'),
    lines('Improvements', result.improvements, 'improvements'),
    lines('Inconclusive', result.inconclusive, 'inconclusive'),
    lines('Warnings', result.warnings, 'warnings'),
  ]
    .filter((part) => part !== '')
    .join('\n');
}

const judged = (result: CompareResult) =>
  result.pairs.flatMap((pair) => pair.metrics.filter((m): m is JudgedMetric => m.kind !== 'missing').map((metric) => ({ pair, metric })));

export async function compareSections(result: CompareResult, baseline: RunReport, candidate: RunReport): Promise<PageSection[]> {
  const all = judged(result);
  const bars: CompareBarRow[] = all
    .filter(({ metric }) => CHARTED.has(metric.metric))
    .flatMap(({ pair, metric }) => {
      const regression = metric.status === 'regression' ? 'yes' : 'no';
      return [
        { step: pair.label, metric: metric.metric, side: 'baseline' as const, value: metric.baseline, regression: 'no' as const },
        { step: pair.label, metric: metric.metric, side: 'candidate' as const, value: metric.candidate, regression },
      ];
    });
  const table = {
    columns: ['step', 'metric', 'baseline', 'candidate', 'change %', 'status'],
    rows: all.map(({ pair, metric }): Cell[] => [
      pair.label,
      metric.metric,
      metric.baseline,
      metric.candidate,
      metric.change * 100,
      metric.status,
    ]),
  };
  const sections: PageSection[] = [];
  if (bars.length > 0) {
    const spec = compareSpec(bars, METRIC_TITLES);
    sections.push({
      kind: 'chart',
      id: 'compare',
      title: 'Baseline vs candidate per step',
      spec,
      table,
      svg: await renderSvg(spec),
      caption:
        'Light: baseline; dark: candidate. A red outline marks a regression (past the threshold and beyond noise). The table holds every compared metric; regressions in red.',
    });
  }
  for (const [side, report] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    const data = latencyChartData(report);
    if (data.rows.length === 0) continue;
    const spec = latencySpec(data);
    sections.push({
      kind: 'chart',
      id: `latency-${side}`,
      title: `Latency vs batch size: ${side}`,
      spec,
      svg: await renderSvg(spec),
      caption: `The ${side} run's e2e percentiles with its budgets and recommended batch.`,
      table: {
        columns: ['series', 'batch size', 'percentile', 'ms'],
        rows: data.rows.map((r) => [r.series, r.batchSize, r.percentile, r.latencyMs]),
      },
    });
  }
  if (result.unpaired.length > 0) {
    const items = result.unpaired.map((u) => `<li>${escapeHtml(`${u.side} step ${u.index}: ${u.label}`)}</li>`).join('');
    sections.push({ kind: 'html', id: 'unpaired', title: 'Steps without a partner', html: `<ul>${items}</ul>` });
  }
  return sections;
}
