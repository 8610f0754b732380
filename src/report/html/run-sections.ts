/** The chart sections of a run's report.html: chart data -> spec -> SVG, with the table behind each. */
import type { RunReport } from '../../core/report/run.js';
import {
  gpuChartData,
  latencyChartData,
  openLoopChartData,
  percentileCurveData,
  queueChartData,
  seriesOf,
  throughputChartData,
} from './chart-data.js';
import { escapeHtml } from './escape.js';
import type { PageSection } from './page.js';
import { renderSvg } from './render-svg.js';
import { scenarioSection } from './scenario-chart.js';
import { serverSection } from './server-section.js';
import { serverSweepSection } from './server-sweep-chart.js';
import { gpuSpec, latencySpec, openLoopSpec, percentileCurveSpec, queueSpec, throughputSpec } from './specs.js';
import type { TopLevelSpec } from 'vega-lite';

type ChartSection = Extract<PageSection, { kind: 'chart' }>;

async function chart(id: string, title: string, caption: string, spec: TopLevelSpec, table: ChartSection['table']): Promise<ChartSection> {
  return { kind: 'chart', id, title, caption, spec, table, svg: await renderSvg(spec) };
}

function note(id: string, title: string, text: string): PageSection {
  return { kind: 'html', id, title, html: `<p class="muted">${escapeHtml(text)}</p>` };
}

async function latencySection(report: RunReport): Promise<PageSection> {
  const data = latencyChartData(report);
  if (data.rows.length === 0) return note('latency', 'Latency vs batch size', 'No step measured an e2e latency.');
  const series = seriesOf(report);
  const steps = report.steps.filter((s) => s.complete && s.latencyMs.e2e !== undefined);
  const budgetOf = (stage: string, p: 'p95' | 'p99') =>
    data.budgets.find((b) => b.stage === stage && b.percentile === p)?.latencyMs ?? null;
  const table = {
    columns: ['series', 'batch size', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 budget ms', 'p99 budget ms', 'mark'],
    rows: steps.map((s) => [
      series(s),
      s.batchSize,
      s.latencyMs.e2e?.p50 ?? null,
      s.latencyMs.e2e?.p95 ?? null,
      s.latencyMs.e2e?.p99 ?? null,
      budgetOf(s.stage, 'p95'),
      budgetOf(s.stage, 'p99'),
      data.recommended.some((r) => r.series === series(s) && r.batchSize === s.batchSize) ? 'recommended' : '',
    ]),
  };
  const caption =
    "Dashed red: the stage's p95 and p99 budgets. Green diamond: the recommended batch size (best throughput within budget), at its p95.";
  return chart('latency', 'Latency vs batch size', caption, latencySpec(data), table);
}

async function throughputSection(report: RunReport): Promise<PageSection> {
  const data = throughputChartData(report);
  if (data.rows.length === 0) return note('throughput', 'Throughput and efficiency', 'No step completed.');
  const table = {
    columns: ['series', 'batch size', 'items/s', 'efficiency', 'mark'],
    rows: data.rows.map((r) => [
      r.series,
      r.batchSize,
      r.itemsPerSec,
      r.efficiency,
      data.knees.some((k) => k.series === r.series && k.batchSize === r.batchSize) ? 'knee' : '',
    ]),
  };
  const caption = 'Green triangle: the knee, the smallest batch from which every doubling gains less than the trade-off threshold.';
  return chart('throughput', 'Throughput and batch efficiency vs batch size', caption, throughputSpec(data), table);
}

async function queueSection(report: RunReport): Promise<PageSection | null> {
  const rows = queueChartData(report);
  if (rows.length === 0) return null;
  const keys = [...new Set(rows.map((r) => `${r.series}\u0000${r.batchSize}`))];
  const table = {
    columns: ['series', 'batch size', 'queue ms (mean)', 'inference ms (mean)'],
    rows: keys.map((key) => {
      const [series = '', batch = '0'] = key.split('\u0000');
      const of = (phase: 'queue' | 'inference') =>
        rows.find((r) => r.series === series && r.batchSize === Number(batch) && r.phase === phase)?.meanMs ?? null;
      return [series, Number(batch), of('queue'), of('inference')];
    }),
  };
  const caption =
    'Orange: time an item waited for its batch to start; blue: the model call. A growing orange share is waiting for the accelerator.';
  return chart('queue', 'Queue vs inference time', caption, queueSpec(rows), table);
}

async function gpuSection(report: RunReport): Promise<PageSection> {
  const data = gpuChartData(report);
  if (data === null) {
    const reason = report.gpuTelemetry?.reason ?? 'GPU telemetry was not recorded';
    return note('gpu', 'GPU over time', `No GPU timeline in this report (${reason}).`);
  }
  const table = { columns: ['GPU', 'metric', 't s', 'value'], rows: data.rows.map((r) => [r.gpu, r.metric, r.tS, r.value]) };
  const caption =
    'Shaded bands: the measured window of each step, alternating shades. Points are min/max-preserving downsamples of the samples.';
  return chart('gpu', 'GPU utilisation, memory, power and SM clock over time', caption, gpuSpec(data), table);
}

async function percentileSection(report: RunReport): Promise<PageSection | null> {
  const rows = percentileCurveData(report);
  if (rows.length === 0) return null;
  const table = { columns: ['step', 'percentile %', 'e2e ms'], rows: rows.map((r) => [r.step, r.percentile, r.latencyMs]) };
  const caption = "Each step's e2e latency at 0, 50, 75, 90, 95, 99, 99.9 … % as far as its sample count resolves, ending at its max.";
  return chart('percentiles', 'Latency distribution per step', caption, percentileCurveSpec(rows), table);
}

async function openLoopSection(report: RunReport): Promise<PageSection | null> {
  const rows = openLoopChartData(report);
  if (rows.length === 0) return null;
  const table = {
    columns: ['step', 'target sends/s', 'achieved sends/s', 'late share'],
    rows: rows.map((r) => [r.step, r.targetRatePerSec, r.achievedRatePerSec, r.lateShare]),
  };
  const caption = 'Dashed: achieved = target. Points below it: the driver could not send at the rate asked for.';
  return chart('open-loop', 'Open loop: target vs achieved rate', caption, openLoopSpec(rows), table);
}

/**
 * A scenario drives one batch size through load stages: its timeline replaces the charts against
 * batch size (one point each, and "recommended" would mean nothing there).
 */
export async function runSections(report: RunReport): Promise<PageSection[]> {
  const sweepOnly = report.scenario ? [] : [latencySection(report), throughputSection(report), queueSection(report)];
  const sections = await Promise.all([
    scenarioSection(report),
    serverSweepSection(report),
    ...sweepOnly,
    gpuSection(report),
    serverSection(report),
    percentileSection(report),
    openLoopSection(report),
  ]);
  return sections.filter((s): s is PageSection => s !== null);
}
