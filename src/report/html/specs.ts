/**
 * The Vega-Lite specs of report.html's charts, data inline so each spec opens as it is in an editor.
 * Titles and labels are built from stage names and numbers only, never from workload strings.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { GpuChartData, LatencyChartData, OpenLoopRow, PercentileCurveRow, QueueRow, ThroughputChartData } from './chart-data.js';
import { GPU_METRICS } from './chart-data.js';

const WIDTH = 380;
const HEIGHT = 240;
const BUDGET_COLOR = '#d62728';
const MARK_COLOR = '#2ca02c';
const REGRESSION_COLOR = '#d62728';

/** Log2 x with a tick at each batch size measured (the default ticks would read 1.5, 2.5, ...). */
const batchAxisFor = (rows: readonly { readonly batchSize: number }[]) =>
  ({
    field: 'batchSize',
    type: 'quantitative',
    scale: { type: 'log', base: 2 },
    title: 'batch size (log2 scale)',
    axis: { values: [...new Set(rows.map((r) => r.batchSize))].sort((a, b) => a - b), format: 'd' },
  }) as const;

const groupBy = <T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> => {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list === undefined) groups.set(key(row), [row]);
    else list.push(row);
  }
  return groups;
};

/** p50/p95/p99 vs batch per stage, the stage's p95/p99 budget lines and its recommended batch. */
export function latencySpec(data: LatencyChartData): TopLevelSpec {
  const panels = [...groupBy(data.rows, (r) => r.stage)].map(([stage, rows]) => {
    const budgets = data.budgets
      .filter((b) => b.stage === stage)
      .map((b) => ({ ...b, label: `${b.percentile} budget ${b.latencyMs / 1000} s` }));
    const recommended = data.recommended
      .filter((p) => p.stage === stage && p.p95Ms !== null)
      .map((p) => ({ ...p, label: `recommended b${p.batchSize}` }));
    const batchAxis = batchAxisFor(rows);
    return {
      title: `${stage}: e2e latency vs batch size`,
      width: WIDTH,
      height: HEIGHT,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', point: true },
          encoding: {
            x: batchAxis,
            y: { field: 'latencyMs', type: 'quantitative', scale: { type: 'log' }, title: 'e2e latency (ms, log scale)' },
            color: { field: 'percentile', type: 'nominal', title: 'percentile', scale: { domain: ['p50', 'p95', 'p99'] } },
            detail: { field: 'series', type: 'nominal' },
          },
        },
        {
          data: { values: budgets },
          mark: { type: 'rule', color: BUDGET_COLOR, strokeDash: [6, 4] },
          encoding: { y: { field: 'latencyMs', type: 'quantitative' } },
        },
        {
          data: { values: budgets },
          mark: { type: 'text', color: BUDGET_COLOR, align: 'left', dx: 4, dy: -6, x: 0 },
          encoding: { y: { field: 'latencyMs', type: 'quantitative' }, text: { field: 'label' } },
        },
        {
          data: { values: recommended },
          mark: { type: 'point', shape: 'diamond', size: 220, filled: false, strokeWidth: 2.5, color: MARK_COLOR },
          encoding: { x: batchAxis, y: { field: 'p95Ms', type: 'quantitative' } },
        },
        {
          data: { values: recommended },
          mark: { type: 'text', color: MARK_COLOR, align: 'left', dx: 9, dy: 12, fontWeight: 'bold' },
          encoding: { x: batchAxis, y: { field: 'p95Ms', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    };
  });
  return { concat: panels, columns: 2, resolve: { scale: { color: 'shared' } } } as TopLevelSpec;
}

/** Items/s and batch efficiency vs batch size, the knee marked. */
export function throughputSpec(data: ThroughputChartData): TopLevelSpec {
  const knees = data.knees.map((k) => ({ ...k, label: `knee b${k.batchSize}` }));
  const series = { field: 'series', type: 'nominal', title: 'series' } as const;
  const batchAxis = batchAxisFor(data.rows);
  return {
    hconcat: [
      {
        title: 'Throughput vs batch size',
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            data: { values: data.rows },
            mark: { type: 'line', point: true },
            encoding: { x: batchAxis, y: { field: 'itemsPerSec', type: 'quantitative', title: 'throughput (items/s)' }, color: series },
          },
          {
            data: { values: knees },
            mark: { type: 'point', shape: 'triangle-up', size: 200, filled: false, strokeWidth: 2.5, color: MARK_COLOR },
            encoding: { x: batchAxis, y: { field: 'itemsPerSec', type: 'quantitative' } },
          },
          {
            data: { values: knees },
            mark: { type: 'text', color: MARK_COLOR, align: 'left', dx: 9, dy: 12, fontWeight: 'bold' },
            encoding: { x: batchAxis, y: { field: 'itemsPerSec', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
      {
        title: 'Batch efficiency vs batch size (1.0 = linear scaling)',
        width: WIDTH,
        height: HEIGHT,
        layer: [
          {
            data: { values: data.rows.filter((r) => r.efficiency !== null) },
            mark: { type: 'line', point: true },
            encoding: {
              x: batchAxis,
              y: { field: 'efficiency', type: 'quantitative', title: 'efficiency (speedup / batch ratio)' },
              color: series,
            },
          },
          {
            data: { values: [{ efficiency: 1 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
            encoding: { y: { field: 'efficiency', type: 'quantitative' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** Mean queue and inference time stacked per batch size, one panel per series. */
export function queueSpec(rows: readonly QueueRow[]): TopLevelSpec {
  return {
    title: 'Queue vs inference time per batch size (mean per item)',
    data: { values: rows },
    facet: { column: { field: 'series', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: HEIGHT,
      mark: 'bar',
      encoding: {
        x: { field: 'batchSize', type: 'ordinal', title: 'batch size' },
        y: { field: 'meanMs', type: 'quantitative', stack: 'zero', title: 'mean time per item (ms)' },
        color: {
          field: 'phase',
          type: 'nominal',
          title: 'phase',
          scale: { domain: ['queue', 'inference'], range: ['#ff7f0e', '#1f77b4'] },
        },
        order: { field: 'phase', sort: 'descending' },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}

/** GPU utilisation, memory, power and SM clock over time; steps shaded alternately. */
export function gpuSpec(data: GpuChartData): TopLevelSpec {
  const bands = data.bands.map((b, i) => ({ ...b, shade: i % 2 === 0 ? 'even' : 'odd' }));
  const present = GPU_METRICS.filter((metric) => data.rows.some((r) => r.metric === metric));
  const time = { field: 'tS', type: 'quantitative', title: 'time since the first step (s)' } as const;
  return {
    vconcat: present.map((metric) => ({
      title: `GPU ${metric.split(' ')[0] === 'SM' ? 'SM clock' : metric.split(' ')[0]} over time`,
      width: WIDTH * 2,
      height: 110,
      layer: [
        {
          data: { values: bands },
          mark: { type: 'rect', opacity: 0.18 },
          encoding: {
            x: { field: 'startS', type: 'quantitative' },
            x2: { field: 'endS' },
            color: { field: 'shade', type: 'nominal', scale: { domain: ['even', 'odd'], range: ['#7f7f7f', '#bcbd22'] }, legend: null },
          },
        },
        {
          data: { values: data.rows.filter((r) => r.metric === metric) },
          mark: { type: 'line', strokeWidth: 1.2 },
          encoding: {
            x: time,
            y: { field: 'value', type: 'quantitative', title: metric, axis: { format: '~g' } },
            stroke: { field: 'gpu', type: 'nominal', title: 'GPU' },
          },
        },
      ],
      resolve: { scale: { color: 'independent' } },
    })),
  } as TopLevelSpec;
}

/** Latency at each percentile per step, x = 1 in N on a log scale (the HDR percentile plot). */
export function percentileCurveSpec(rows: readonly PercentileCurveRow[]): TopLevelSpec {
  return {
    title: 'e2e latency by percentile, per step (from the HDR histograms)',
    width: WIDTH * 2,
    height: HEIGHT + 40,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'oneInN',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'percentile (log scale of 1 / (1 - p))',
        axis: { values: [1, 2, 10, 100, 1000, 10000, 100000], labelExpr: "format(100 - 100 / datum.value, '.3~f') + '%'" },
      },
      y: { field: 'latencyMs', type: 'quantitative', scale: { type: 'log' }, title: 'e2e latency (ms, log scale)' },
      color: { field: 'step', type: 'nominal', title: 'step', scale: { scheme: 'tableau20' }, legend: { labelLimit: 240 } },
    },
  } as TopLevelSpec;
}

/** Open loop: the rate asked for against the rate sent, with the ideal diagonal. */
export function openLoopSpec(rows: readonly OpenLoopRow[]): TopLevelSpec {
  const top = Math.max(1, ...rows.map((r) => Math.max(r.targetRatePerSec, r.achievedRatePerSec)));
  return {
    title: 'Open loop: target vs achieved send rate',
    width: WIDTH,
    height: WIDTH,
    layer: [
      {
        data: {
          values: [
            { targetRatePerSec: 0, achievedRatePerSec: 0 },
            { targetRatePerSec: top, achievedRatePerSec: top },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#888' },
        encoding: { x: { field: 'targetRatePerSec', type: 'quantitative' }, y: { field: 'achievedRatePerSec', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'targetRatePerSec', type: 'quantitative', title: 'target rate (sends/s)' },
          y: { field: 'achievedRatePerSec', type: 'quantitative', title: 'achieved rate (sends/s)' },
          color: { field: 'series', type: 'nominal', title: 'series' },
        },
      },
    ],
  } as TopLevelSpec;
}

export interface CompareBarRow {
  readonly step: string;
  readonly metric: string;
  readonly side: 'baseline' | 'candidate';
  readonly value: number;
  readonly regression: 'yes' | 'no';
}

/** Baseline vs candidate per step, one panel per metric; regressions outlined in red. */
export function compareSpec(rows: readonly CompareBarRow[], metricTitles: Readonly<Record<string, string>>): TopLevelSpec {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  return {
    concat: metrics.map((metric) => ({
      title: `${metricTitles[metric] ?? metric}: baseline vs candidate`,
      width: { step: 18 },
      height: HEIGHT,
      data: { values: rows.filter((r) => r.metric === metric) },
      mark: { type: 'bar', strokeWidth: 3 },
      encoding: {
        x: { field: 'step', type: 'nominal', title: 'step', axis: { labelAngle: -35 } },
        xOffset: { field: 'side', type: 'nominal', scale: { domain: ['baseline', 'candidate'] } },
        y: { field: 'value', type: 'quantitative', title: metricTitles[metric] ?? metric },
        color: {
          field: 'side',
          type: 'nominal',
          title: 'run',
          scale: { domain: ['baseline', 'candidate'], range: ['#9ecae1', '#3182bd'] },
        },
        stroke: {
          field: 'regression',
          type: 'nominal',
          title: 'regression',
          scale: { domain: ['no', 'yes'], range: ['transparent', REGRESSION_COLOR] },
        },
      },
    })),
    columns: 2,
  } as TopLevelSpec;
}
