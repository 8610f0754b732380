import { describe, expect, it } from 'vitest';
import { downsampleHostSamples } from '../../src/telemetry/host-timeline.js';
import type { HostSample } from '../../src/core/report/telemetry.js';

const sample = (i: number, over: Partial<HostSample> = {}): HostSample => ({
  tMs: 1000 * i,
  processCpuPct: 10,
  systemCpuPct: 20,
  rssBytes: 100,
  heapUsedBytes: 50,
  eventLoopDelayP99Ms: 1,
  netRxBytesPerSec: 0,
  netTxBytesPerSec: 0,
  tfMemory: { numTensors: 40, numBytes: 4000 },
  ...over,
});

describe('host timeline downsampling', () => {
  it('keeps short series as they are (empty, one sample, exactly the limit)', () => {
    expect(downsampleHostSamples([], 10)).toEqual([]);
    expect(downsampleHostSamples([sample(0)], 10)).toEqual([sample(0)]);
    const ten = Array.from({ length: 10 }, (_, i) => sample(i));
    expect(downsampleHostSamples(ten, 10)).toEqual(ten);
  });

  it('bounds long series and keeps each field min and max in time order', () => {
    const samples = Array.from({ length: 7200 }, (_, i) => sample(i));
    samples[1234] = sample(1234, { rssBytes: 999_999, processCpuPct: 0 });
    samples[1240] = sample(1240, { processCpuPct: 400 });
    samples[5000] = sample(5000, { tfMemory: { numTensors: 41, numBytes: 4100 }, eventLoopDelayP99Ms: 250 });
    const points = downsampleHostSamples(samples, 100);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(Math.max(...points.map((p) => p.rssBytes))).toBe(999_999);
    expect(Math.max(...points.map((p) => p.processCpuPct ?? 0))).toBe(400);
    expect(Math.min(...points.map((p) => p.processCpuPct ?? Infinity))).toBe(0);
    expect(Math.max(...points.map((p) => p.tfMemory?.numTensors ?? 0))).toBe(41);
    expect(Math.max(...points.map((p) => p.eventLoopDelayP99Ms ?? 0))).toBe(250);
    // The low CPU came before the high one: the bucket's first point carries it.
    const cpuOrder = points.map((p) => p.processCpuPct).filter((v) => v === 0 || v === 400);
    expect(cpuOrder).toEqual([0, 400]);
    const times = points.map((p) => p.tMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(points[0]?.tMs).toBe(0);
    expect(points[points.length - 1]?.tMs).toBe(7_199_000);
  });

  it('keeps null for a field no sample in a bucket had, and all-equal series unchanged in value', () => {
    const samples = Array.from({ length: 50 }, (_, i) => sample(i, { systemCpuPct: null, tfMemory: null }));
    const points = downsampleHostSamples(samples, 4);
    expect(points).toHaveLength(4);
    for (const p of points) {
      expect(p.systemCpuPct).toBeNull();
      expect(p.tfMemory).toBeNull();
      expect(p.rssBytes).toBe(100);
    }
  });
});
