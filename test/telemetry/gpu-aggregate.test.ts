import { describe, expect, it } from 'vitest';
import { integrateEnergyJ, percentile, summarizeGpuSteps, summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import type { GpuSample } from '../../src/telemetry/types.js';
import { parseH100Trace, utc } from './fixtures.js';

const trace = parseH100Trace();
const at = (stamp: string): number => utc(`2026-11-26T${stamp}`);
const MiB = 1024 * 1024;

function only(samples: readonly GpuSample[], from: string, to: string) {
  const summaries = summarizeGpuWindow(samples, at(from), at(to));
  expect(summaries).toHaveLength(1);
  return summaries[0]!;
}

describe('summarizeGpuWindow on the real H100 trace', () => {
  it('shows the classifier ramp to ~98 % and ~690 W, power-capped, clocks down', () => {
    const s = only(trace, '18:49:00.1', '18:49:13.9');
    expect(s.name).toBe('NVIDIA H100 80GB HBM3');
    expect(s.samples).toBe(137);
    expect(s.utilPct!.max).toBe(99);
    expect(s.utilPct!.p95).toBeGreaterThanOrEqual(98);
    expect(s.powerW!.max).toBeGreaterThan(680);
    expect(s.powerW!.max).toBeLessThanOrEqual(700);
    expect(s.powerLimitW).toBe(700);
    expect(s.smClockMHz!.min).toBeLessThan(1750);
    expect(s.smClockMHz!.max).toBe(1980);
    expect(s.throttleReasons).toEqual(['sw_power_cap']);
    expect(s.throttledShare).toBeGreaterThan(0.1);
    expect(s.memUsedPeakBytes).toBe(2493 * MiB);
    expect(s.tempMaxC).toBeGreaterThan(60);
    expect(s.busyShare).toBeCloseTo(s.utilPct!.mean / 100, 10);
  });

  it('ramps: batch 1 keeps the GPU mostly idle, the last batch sizes saturate it', () => {
    const batchOne = only(trace, '18:49:00.1', '18:49:02.0');
    const lastBatches = only(trace, '18:49:11.9', '18:49:13.9');
    expect(batchOne.utilPct!.max).toBeLessThan(30);
    expect(batchOne.powerW!.mean).toBeLessThan(200);
    expect(lastBatches.utilPct!.mean).toBeGreaterThan(97);
    expect(lastBatches.powerW!.mean).toBeGreaterThan(650);
  });

  it('integrates energy close to a plain rectangle sum of the same samples', () => {
    const s = only(trace, '18:49:00.1', '18:49:13.9');
    const inside = trace.filter((x) => x.tMs >= at('18:49:00.1') && x.tMs <= at('18:49:13.9'));
    const rectangleJ = inside.reduce((sum, x) => sum + x.powerW! * 0.1, 0);
    expect(s.energyJ!).toBeGreaterThan(rectangleJ * 0.97);
    expect(s.energyJ!).toBeLessThan(rectangleJ * 1.03);
    expect(s.energyJ!).toBeGreaterThan(5000);
  });

  it('keeps the idle windows idle', () => {
    const before = only(trace, '18:48:38.6', '18:48:59.9');
    expect(before.utilPct).toEqual({ mean: 0, p95: 0, max: 0 });
    expect(before.powerW!.max).toBeLessThan(110);
    expect(before.smClockMHz).toEqual({ mean: 345, min: 345, max: 345 });
    expect(before.throttleReasons).toEqual(['gpu_idle']);
    expect(before.throttledShare).toBe(0);
    const gap = only(trace, '18:49:14.3', '18:49:17.8');
    expect(gap.utilPct!.max).toBe(0);
    expect(gap.busyShare).toBe(0);
    const settled = only(trace, '18:49:15.1', '18:49:17.8');
    expect(settled.powerW!.max).toBeLessThan(130);
  });

  it('attributes samples to steps by time and divides energy by items', () => {
    const [idle, load] = summarizeGpuSteps(trace, [
      { startMs: at('18:48:40'), endMs: at('18:48:50') },
      { startMs: at('18:49:12'), endMs: at('18:49:13'), items: 1000, queueMsMean: 12 },
    ]);
    expect(idle![0]!.samples).toBeGreaterThanOrEqual(99);
    expect(idle![0]!.energyPerItemJ).toBeNull();
    expect(load![0]!.energyPerItemJ).toBeCloseTo(load![0]!.energyJ! / 1000, 10);
    expect(load![0]!.energyJ!).toBeGreaterThan(600);
    expect(load![0]!.queueMsMean).toBe(12);
  });
});

function sample(tMs: number, gpuIndex: number, fields: Partial<GpuSample> = {}): GpuSample {
  return {
    tMs,
    gpuIndex,
    uuid: null,
    name: null,
    utilPct: 50,
    memUtilPct: 10,
    memUsedBytes: 1,
    memTotalBytes: 2,
    powerW: 100,
    powerLimitW: 300,
    tempC: 40,
    smClockMHz: 1000,
    memClockMHz: 2000,
    throttleMask: 0,
    pstate: 'P0',
    ...fields,
  };
}

describe('summarizeGpuWindow edge cases', () => {
  it('returns nothing for no samples or an empty window', () => {
    expect(summarizeGpuWindow([], 0, 1000)).toEqual([]);
    expect(summarizeGpuWindow([sample(5000, 0)], 0, 1000)).toEqual([]);
  });

  it('summarises one sample without energy (nothing to integrate)', () => {
    const [s] = summarizeGpuWindow([sample(500, 0)], 0, 1000);
    expect(s!.utilPct).toEqual({ mean: 50, p95: 50, max: 50 });
    expect(s!.energyJ).toBeNull();
  });

  it('gives exact numbers for equal samples and clips energy to the window', () => {
    const series = [0, 100, 200, 300, 400].map((t) => sample(t, 0));
    const [s] = summarizeGpuWindow(series, 50, 350);
    expect(s!.samples).toBe(3);
    expect(s!.powerW).toEqual({ mean: 100, max: 100 });
    expect(s!.energyJ).toBeCloseTo(100 * 0.3, 10);
  });

  it('does not bridge a gap (a GPU that stopped answering)', () => {
    const series = [sample(0, 0), sample(100, 0), sample(10_100, 0), sample(10_200, 0)];
    expect(integrateEnergyJ(series, 0, 10_200, 1000)).toBeCloseTo(100 * 0.2, 10);
  });

  it('keeps GPUs apart and skips nulls', () => {
    const series = [
      sample(0, 1, { utilPct: 90 }),
      sample(0, 0, { utilPct: null, powerW: null }),
      sample(100, 1, { utilPct: 70 }),
      sample(100, 0, { utilPct: null, powerW: null }),
    ];
    const [gpu0, gpu1] = summarizeGpuWindow(series, 0, 100);
    expect(gpu0!.gpuIndex).toBe(0);
    expect(gpu0!.utilPct).toBeNull();
    expect(gpu0!.busyShare).toBeNull();
    expect(gpu0!.energyJ).toBeNull();
    expect(gpu1!.utilPct).toEqual({ mean: 80, p95: 90, max: 90 });
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([1], 0.95)).toBe(1);
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(95);
  });
});
