import { describe, expect, it } from 'vitest';
import {
  gpuChartData,
  latencyChartData,
  openLoopChartData,
  percentileCurveData,
  queueChartData,
  seriesOf,
  throughputChartData,
} from '../../../src/report/html/chart-data.js';
import type { RunReport } from '../../../src/core/report/run.js';
import type { StepReport } from '../../../src/core/report/step.js';
import { chartReport } from './fixture.js';

const report = chartReport();
const step = (index: number): StepReport => report.steps[index]!;

describe('latencyChartData', () => {
  const data = latencyChartData(report);

  it("p50/p95/p99 of every complete step, per stage, with the step's own numbers", () => {
    // classify b1..b8 complete; generate b1, b2 complete, b4 incomplete (left out).
    expect(data.rows).toHaveLength(6 * 3);
    expect(data.rows.filter((r) => r.stage === 'generate').map((r) => r.batchSize)).toEqual([1, 1, 1, 2, 2, 2]);
    const b8p99 = data.rows.find((r) => r.stage === 'classify' && r.batchSize === 8 && r.percentile === 'p99');
    expect(b8p99?.latencyMs).toBe(step(3).latencyMs.e2e?.p99);
  });

  it('budget lines from the per-stage budgets, not the run budget', () => {
    expect(data.budgets).toEqual([
      { stage: 'classify', percentile: 'p95', latencyMs: 50 },
      { stage: 'classify', percentile: 'p99', latencyMs: 80 },
      { stage: 'generate', percentile: 'p95', latencyMs: 3000 },
      { stage: 'generate', percentile: 'p99', latencyMs: 5000 },
    ]);
  });

  it("the recommended batch from the trade-offs, placed at its step's p95", () => {
    expect(report.tradeoffs[0]!.recommendation.batchSize).toBe(4);
    expect(data.recommended).toContainEqual({
      stage: 'classify',
      series: 'classify',
      batchSize: 4,
      p95Ms: step(2).latencyMs.e2e!.p95,
      itemsPerSec: step(2).throughput.itemsPerSec,
    });
    // A trade-off that says 2 is drawn at 2: the chart follows the analysis, it does not redo it.
    const moved = { ...report.tradeoffs[0]!, recommendation: { ...report.tradeoffs[0]!.recommendation, batchSize: 2, p95Ms: null } };
    const redrawn = latencyChartData({ ...report, tradeoffs: [moved] });
    expect(redrawn.recommended.map((r) => [r.stage, r.batchSize])).toEqual([['classify', 2]]);
  });

  it('no step, one step: empty, then one point per percentile', () => {
    const empty: RunReport = { ...report, steps: [], tradeoffs: [], recommendation: [] };
    expect(latencyChartData(empty)).toEqual({ rows: [], budgets: [], recommended: [] });
    expect(latencyChartData({ ...empty, steps: [step(0)] }).rows).toHaveLength(3);
  });
});

describe('throughputChartData', () => {
  it('items/s and efficiency per complete step; the knee only where the trade-off has one', () => {
    const data = throughputChartData(report);
    expect(data.rows.map((r) => [r.stage, r.batchSize, r.efficiency])).toEqual(
      report.steps.filter((s) => s.complete).map((s) => [s.stage, s.batchSize, s.efficiency]),
    );
    expect(data.knees).toEqual([]);
    const kneed = throughputChartData({ ...report, tradeoffs: [{ ...report.tradeoffs[0]!, knee: 4 }] });
    expect(kneed.knees.map((k) => [k.stage, k.batchSize, k.itemsPerSec])).toEqual([['classify', 4, step(2).throughput.itemsPerSec]]);
  });
});

describe('queueChartData', () => {
  it('mean queue and inference per step (the synthetic split is 25 / 75 %)', () => {
    const rows = queueChartData(report).filter((r) => r.series === 'classify' && r.batchSize === 4);
    expect(rows.map((r) => r.phase)).toEqual(['queue', 'inference']);
    expect(rows[0]!.meanMs / (rows[0]!.meanMs + rows[1]!.meanMs)).toBeCloseTo(0.25, 2);
  });
});

describe('percentileCurveData', () => {
  it('percentiles as far as the count resolves them, then the max at 1 in count', () => {
    const rows = percentileCurveData(report);
    const b1 = rows.filter((r) => r.step.startsWith('#0 '));
    expect(b1.map((r) => r.percentile)).toEqual([0, 50, 75, 90, 95, 99]); // 100 samples: 1 in 100 at most
    const b8 = rows.filter((r) => r.step.startsWith('#3 '));
    expect(b8.map((r) => r.oneInN).at(-1)).toBe(4200);
    expect(b8.at(-2)!.percentile).toBe(99.9);
    for (const r of b8) expect(r.latencyMs).toBeCloseTo(4000, -1);
  });
});

describe('series', () => {
  it('one series per stage; stage @ load when a batch size ran at several load levels', () => {
    expect(seriesOf(report)(step(0))).toBe('classify');
    const twice: RunReport = { ...report, steps: [...report.steps, { ...step(1), index: 7, concurrency: 16 }] };
    expect(seriesOf(twice)(step(1))).toBe('classify @ c4');
    expect(seriesOf(twice)(step(4))).toBe('generate');
  });
});

describe('openLoopChartData', () => {
  it('closed-loop runs have none; an open-loop step gives target vs achieved', () => {
    expect(openLoopChartData(report)).toEqual([]);
    const openLoop = {
      process: 'poisson' as const,
      targetRatePerSec: 50,
      achievedRatePerSec: 47.5,
      maxInFlight: 64,
      sends: 100,
      lateSends: 3,
      lateShare: 0.03,
      lateThresholdMs: 5,
      maxLateMs: 20,
    };
    const open: RunReport = { ...report, steps: [{ ...step(0), concurrency: null, openLoop }] };
    expect(openLoopChartData(open)).toEqual([
      { step: '#0 classify b1 50/s', series: 'classify', targetRatePerSec: 50, achievedRatePerSec: 47.5, lateShare: 0.03 },
    ]);
  });
});

describe('gpuChartData', () => {
  it('four metrics per point, seconds from the first step, one band per measured step', () => {
    const data = gpuChartData(report)!;
    const timeline = report.gpuTelemetry!.timeline!.gpus[0]!;
    expect(data.rows.filter((r) => r.metric === 'power W')).toHaveLength(timeline.points.filter((p) => p.powerW !== null).length);
    expect(Math.min(...data.rows.map((r) => r.tS))).toBe(0);
    expect(data.bands).toHaveLength(report.steps.filter((s) => s.endedAtMs > s.startedAtMs).length);
    expect(data.bands[0]!.startS).toBe(0);
    const mem = data.rows.find((r) => r.metric === 'memory GiB' && r.value > 0)!;
    expect(mem.value).toBeLessThan(81);
  });

  it('no telemetry or no timeline: null', () => {
    expect(gpuChartData(chartReport({ gpu: false }))).toBeNull();
    expect(gpuChartData({ ...report, gpuTelemetry: { ...report.gpuTelemetry!, timeline: null } })).toBeNull();
  });
});
