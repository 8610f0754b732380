/**
 * What each chart of report.html draws, as plain rows: pure functions of a RunReport. The knee and
 * the recommended batch come from the report's trade-offs (never recomputed here), the budget
 * lines from its per-stage budgets.
 */
import { decodeHistogram, percentileMs } from '../../metrics/histogram.js';
import type { Stage } from '../../core/stage.js';
import type { StageTradeoff } from '../../core/report/verdicts.js';
import type { Budget } from '../../core/workload.js';
import type { RunReport } from '../../core/report/run.js';
import type { StepReport } from '../../core/report/step.js';

export type PercentileName = 'p50' | 'p95' | 'p99';
const PERCENTILES: readonly PercentileName[] = ['p50', 'p95', 'p99'];

export interface LatencyRow {
  readonly series: string;
  readonly stage: Stage;
  readonly batchSize: number;
  readonly percentile: PercentileName;
  readonly latencyMs: number;
}
export interface BudgetLine {
  readonly stage: Stage;
  readonly percentile: 'p95' | 'p99';
  readonly latencyMs: number;
}
export interface MarkedPoint {
  readonly stage: Stage;
  readonly series: string;
  readonly batchSize: number;
  readonly p95Ms: number | null;
  readonly itemsPerSec: number | null;
}
export interface ThroughputRow {
  readonly series: string;
  readonly stage: Stage;
  readonly batchSize: number;
  readonly itemsPerSec: number;
  readonly efficiency: number | null;
}
export interface QueueRow {
  readonly series: string;
  readonly batchSize: number;
  readonly phase: 'queue' | 'inference';
  readonly meanMs: number;
}
export interface PercentileCurveRow {
  readonly step: string;
  readonly percentile: number;
  /** 1 / (1 - percentile): the log-x position. */ readonly oneInN: number;
  readonly latencyMs: number;
}
export interface OpenLoopRow {
  readonly step: string;
  readonly series: string;
  readonly targetRatePerSec: number;
  readonly achievedRatePerSec: number;
  readonly lateShare: number;
}

export const GPU_METRICS = ['util %', 'memory GiB', 'power W', 'SM clock MHz'] as const;
export type GpuMetric = (typeof GPU_METRICS)[number];
export interface GpuRow {
  readonly gpu: string;
  readonly metric: GpuMetric;
  readonly tS: number;
  readonly value: number;
}
export interface StepBand {
  readonly step: string;
  readonly startS: number;
  readonly endS: number;
}

export interface LatencyChartData {
  readonly rows: readonly LatencyRow[];
  readonly budgets: readonly BudgetLine[];
  readonly recommended: readonly MarkedPoint[];
}

export interface ThroughputChartData {
  readonly rows: readonly ThroughputRow[];
  readonly knees: readonly MarkedPoint[];
}

export interface GpuChartData {
  readonly rows: readonly GpuRow[];
  readonly bands: readonly StepBand[];
}

const measured = (report: RunReport): StepReport[] => report.steps.filter((step) => step.complete && step.completed > 0);

/** "c8" for a closed-loop level, "50/s" for an open-loop one. */
function loadLabel(step: StepReport): string {
  if (step.openLoop !== null) return `${step.openLoop.targetRatePerSec}/s`;
  return step.concurrency === null ? 'closed' : `c${step.concurrency}`;
}

/**
 * The series a step belongs to: its stage, or stage @ load level when a stage ran one batch size at
 * several load levels (closed-loop concurrency usually grows with the batch, which stays one series).
 */
export function seriesOf(report: RunReport): (step: StepReport) => string {
  const multiLoad = new Set<Stage>();
  const seen = new Set<string>();
  for (const step of measured(report)) {
    const key = `${step.stage}/${step.batchSize}`;
    if (seen.has(key)) multiLoad.add(step.stage);
    seen.add(key);
  }
  return (step) => (multiLoad.has(step.stage) ? `${step.stage} @ ${loadLabel(step)}` : step.stage);
}

export function stepLabel(step: StepReport): string {
  const load = step.openLoop !== null ? ` ${step.openLoop.targetRatePerSec}/s` : step.concurrency === null ? '' : ` c${step.concurrency}`;
  return `#${step.index} ${step.stage} b${step.batchSize}${load}`;
}

function stageBudget(report: RunReport, stage: Stage): Budget {
  return report.stageBudgets?.[stage] ?? report.budget;
}

function tradeoffsOf(report: RunReport): readonly StageTradeoff[] {
  return report.tradeoffs ?? [];
}

/** The step a trade-off's batch size points at (the one with that p95 when load levels repeat it). */
function pointFor(report: RunReport, stage: Stage, batchSize: number, p95Ms: number | null): MarkedPoint | null {
  const series = seriesOf(report);
  const candidates = measured(report).filter((s) => s.stage === stage && s.batchSize === batchSize);
  const step = candidates.find((s) => p95Ms !== null && s.latencyMs.e2e?.p95 === p95Ms) ?? candidates[0];
  if (step === undefined) return null;
  return { stage, series: series(step), batchSize, p95Ms: step.latencyMs.e2e?.p95 ?? null, itemsPerSec: step.throughput.itemsPerSec };
}

export function latencyChartData(report: RunReport): LatencyChartData {
  const series = seriesOf(report);
  const steps = measured(report);
  const rows = steps.flatMap((step) => {
    const e2e = step.latencyMs.e2e;
    if (e2e === undefined) return [];
    return PERCENTILES.map((percentile) => ({
      series: series(step),
      stage: step.stage,
      batchSize: step.batchSize,
      percentile,
      latencyMs: e2e[percentile],
    }));
  });
  const stages = [...new Set(steps.map((s) => s.stage))];
  const budgets = stages.flatMap((stage): BudgetLine[] => {
    const budget = stageBudget(report, stage);
    return [
      { stage, percentile: 'p95', latencyMs: budget.p95Ms },
      { stage, percentile: 'p99', latencyMs: budget.p99Ms },
    ];
  });
  const fromTradeoffs = tradeoffsOf(report).map((t) => t.recommendation);
  const recommendations = fromTradeoffs.length > 0 ? fromTradeoffs : report.recommendation;
  const recommended = recommendations.flatMap((r) => {
    if (r.batchSize === null) return [];
    const point = pointFor(report, r.stage, r.batchSize, r.p95Ms);
    return point === null ? [] : [point];
  });
  return { rows, budgets, recommended };
}

export function throughputChartData(report: RunReport): ThroughputChartData {
  const series = seriesOf(report);
  const rows = measured(report).map((step) => ({
    series: series(step),
    stage: step.stage,
    batchSize: step.batchSize,
    itemsPerSec: step.throughput.itemsPerSec,
    efficiency: step.efficiency,
  }));
  const knees = tradeoffsOf(report).flatMap((t) => {
    if (t.knee === null) return [];
    const kneePoint = t.points.find((p) => p.batchSize === t.knee);
    const point = pointFor(report, t.stage, t.knee, kneePoint?.p95Ms ?? null);
    return point === null ? [] : [point];
  });
  return { rows, knees };
}

export function queueChartData(report: RunReport): QueueRow[] {
  const series = seriesOf(report);
  return measured(report).flatMap((step) => {
    const queue = step.latencyMs.queue;
    const inference = step.latencyMs.inference;
    if (queue === undefined || inference === undefined) return [];
    return [
      { series: series(step), batchSize: step.batchSize, phase: 'queue' as const, meanMs: queue.mean },
      { series: series(step), batchSize: step.batchSize, phase: 'inference' as const, meanMs: inference.mean },
    ];
  });
}

/** Percentiles a step's count can resolve (1 in N needs N samples), then the max at 1 in count. */
const CURVE_PERCENTILES = [0, 50, 75, 90, 95, 99, 99.9, 99.99, 99.999];

export function percentileCurveData(report: RunReport): PercentileCurveRow[] {
  return measured(report).flatMap((step) => {
    const encoded = step.histograms.e2e;
    if (encoded === undefined) return [];
    const histogram = decodeHistogram(encoded);
    const count = histogram.totalCount;
    if (count === 0) return [];
    const rows: PercentileCurveRow[] = [];
    for (const percentile of CURVE_PERCENTILES) {
      const oneInN = Math.round(1e6 / (1 - percentile / 100)) / 1e6; // 99 % is 1 in 100, not 99.99999999999991
      if (oneInN > count) break;
      const latencyMs = percentileMs(histogram, percentile);
      if (latencyMs !== null) rows.push({ step: stepLabel(step), percentile, oneInN, latencyMs });
    }
    const maxMs = percentileMs(histogram, 100);
    const lastOneInN = rows.at(-1)?.oneInN ?? 1;
    if (maxMs !== null && count > lastOneInN)
      rows.push({ step: stepLabel(step), percentile: 100 * (1 - 1 / count), oneInN: count, latencyMs: maxMs });
    return rows;
  });
}

export function openLoopChartData(report: RunReport): OpenLoopRow[] {
  const series = seriesOf(report);
  return report.steps.flatMap((step) =>
    step.openLoop === null || step.openLoop.sends === 0
      ? []
      : [
          {
            step: stepLabel(step),
            series: series(step),
            targetRatePerSec: step.openLoop.targetRatePerSec,
            achievedRatePerSec: step.openLoop.achievedRatePerSec,
            lateShare: step.openLoop.lateShare,
          },
        ],
  );
}

const GIB = 1024 ** 3;

/** GPU timeline rows in seconds from the run's first step (or first sample); null without a timeline. */
export function gpuChartData(report: RunReport): GpuChartData | null {
  const timeline = report.gpuTelemetry?.timeline ?? null;
  if (timeline === null || timeline.gpus.every((g) => g.points.length === 0)) return null;
  const stepStarts = report.steps.filter((s) => s.endedAtMs > s.startedAtMs).map((s) => s.startedAtMs);
  const firstPoints = timeline.gpus.flatMap((g) => (g.points[0] === undefined ? [] : [g.points[0].tMs]));
  const t0Ms = Math.min(...stepStarts, ...firstPoints);
  const seconds = (tMs: number) => (tMs - t0Ms) / 1000;
  const rows: GpuRow[] = [];
  for (const series of timeline.gpus) {
    const gpu = `GPU ${series.gpuIndex}`;
    for (const p of series.points) {
      const values: Record<GpuMetric, number | null> = {
        'util %': p.utilPct,
        'memory GiB': p.memUsedBytes === null ? null : p.memUsedBytes / GIB,
        'power W': p.powerW,
        'SM clock MHz': p.smClockMHz,
      };
      for (const metric of GPU_METRICS) {
        const value = values[metric];
        if (value !== null) rows.push({ gpu, metric, tS: seconds(p.tMs), value });
      }
    }
  }
  const bands = report.steps
    .filter((s) => s.endedAtMs > s.startedAtMs)
    .map((s) => ({ step: stepLabel(s), startS: seconds(s.startedAtMs), endS: seconds(s.endedAtMs) }));
  return { rows, bands };
}
