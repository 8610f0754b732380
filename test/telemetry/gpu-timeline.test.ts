import { describe, expect, it } from 'vitest';
import { buildGpuTimeline, downsample } from '../../src/telemetry/gpu-timeline.js';
import type { GpuSample } from '../../src/telemetry/types.js';
import type { GpuTimelinePoint } from '../../src/core/report/telemetry.js';
import { parseH100Trace } from './fixtures.js';

function sample(tMs: number, gpuIndex: number, utilPct: number | null, powerW: number | null = 100): GpuSample {
  return {
    tMs,
    gpuIndex,
    uuid: null,
    name: `GPU ${gpuIndex}`,
    utilPct,
    memUtilPct: null,
    memUsedBytes: 1e9,
    memTotalBytes: 8e10,
    powerW,
    powerLimitW: 700,
    tempC: null,
    smClockMHz: 1980,
    memClockMHz: null,
    throttleMask: null,
    pstate: null,
  };
}

const point = (tMs: number, utilPct: number | null): GpuTimelinePoint => ({
  tMs,
  utilPct,
  memUsedBytes: null,
  powerW: null,
  smClockMHz: null,
});

describe('buildGpuTimeline', () => {
  it('no samples: null', () => {
    expect(buildGpuTimeline([])).toBeNull();
  });

  it('one sample, and a short series, pass through unchanged', () => {
    const one = buildGpuTimeline([sample(5, 0, 40)]);
    expect(one?.gpus).toEqual([
      { gpuIndex: 0, name: 'GPU 0', samples: 1, points: [{ tMs: 5, utilPct: 40, memUsedBytes: 1e9, powerW: 100, smClockMHz: 1980 }] },
    ]);
    const short = buildGpuTimeline(
      [1, 2, 3].map((t) => sample(t, 0, t)),
      10,
    );
    expect(short?.gpus[0]?.points.map((p) => p.utilPct)).toEqual([1, 2, 3]);
  });

  it('splits GPUs, orders each by time', () => {
    const timeline = buildGpuTimeline([sample(3, 1, 30), sample(2, 0, 20), sample(1, 1, 10)]);
    expect(timeline?.gpus.map((g) => [g.gpuIndex, g.points.map((p) => p.tMs)])).toEqual([
      [0, [2]],
      [1, [1, 3]],
    ]);
  });

  it('the real H100 trace (696 samples) to 100 points keeps every field extreme and the time span', () => {
    const samples = parseH100Trace();
    const timeline = buildGpuTimeline(samples, 100);
    const series = timeline!.gpus[0]!;
    expect(series.samples).toBe(samples.length);
    expect(series.points.length).toBeLessThanOrEqual(100);
    expect(series.points.length).toBeGreaterThan(80);
    for (const field of ['utilPct', 'memUsedBytes', 'powerW', 'smClockMHz'] as const) {
      const raw = samples.map((s) => s[field]).filter((v): v is number => v !== null);
      const kept = series.points.map((p) => p[field]).filter((v): v is number => v !== null);
      expect(Math.max(...kept)).toBe(Math.max(...raw));
      expect(Math.min(...kept)).toBe(Math.min(...raw));
    }
    expect(series.points[0]!.tMs).toBe(samples[0]!.tMs);
    expect(series.points.at(-1)!.tMs).toBe(samples.at(-1)!.tMs);
  });
});

describe('downsample', () => {
  it('a one-sample spike inside a bucket survives; a fall reads as a fall', () => {
    const flat = Array.from({ length: 1000 }, (_, i) => point(i, 50));
    flat[537] = point(537, 100);
    const out = downsample(flat, 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out.some((p) => p.utilPct === 100)).toBe(true);
    const falling = downsample(
      Array.from({ length: 100 }, (_, i) => point(i, 100 - i)),
      2,
    );
    expect(falling.map((p) => p.utilPct)).toEqual([100, 1]);
  });

  it('all equal, and all null, stay so', () => {
    expect(
      new Set(
        downsample(
          Array.from({ length: 50 }, (_, i) => point(i, 7)),
          10,
        ).map((p) => p.utilPct),
      ),
    ).toEqual(new Set([7]));
    expect(
      downsample(
        Array.from({ length: 50 }, (_, i) => point(i, null)),
        10,
      ).every((p) => p.utilPct === null),
    ).toBe(true);
  });
});
