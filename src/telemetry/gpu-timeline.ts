/**
 * A run's GPU samples as a small timeline per GPU; each bucket keeps its fields' extremes in time
 * order (downsample-extremes.ts), so a one-sample power spike or clock drop survives.
 */
import { downsampleExtremes } from './downsample-extremes.js';
import type { GpuSample } from './types.js';
import type { GpuTimeline, GpuTimelinePoint, GpuTimelineSeries } from '../core/report/telemetry.js';

export const DEFAULT_TIMELINE_POINTS = 1000;

/** Null when there are no samples. `maxPointsPerGpu` is at least 2. */
export function buildGpuTimeline(samples: readonly GpuSample[], maxPointsPerGpu = DEFAULT_TIMELINE_POINTS): GpuTimeline | null {
  if (samples.length === 0) return null;
  const limit = Math.max(2, Math.floor(maxPointsPerGpu));
  const byGpu = new Map<number, GpuSample[]>();
  for (const sample of samples) {
    const list = byGpu.get(sample.gpuIndex);
    if (list === undefined) byGpu.set(sample.gpuIndex, [sample]);
    else list.push(sample);
  }
  const gpus: GpuTimelineSeries[] = [...byGpu.entries()]
    .sort(([a], [b]) => a - b)
    .map(([gpuIndex, list]) => {
      const ordered = [...list].sort((a, b) => a.tMs - b.tMs);
      return {
        gpuIndex,
        name: ordered.find((s) => s.name !== null)?.name ?? null,
        samples: ordered.length,
        points: downsample(ordered.map(pointOf), limit),
      };
    });
  return { maxPointsPerGpu: limit, gpus };
}

function pointOf(sample: GpuSample): GpuTimelinePoint {
  return {
    tMs: sample.tMs,
    utilPct: sample.utilPct,
    memUsedBytes: sample.memUsedBytes,
    powerW: sample.powerW,
    smClockMHz: sample.smClockMHz,
  };
}

const EXTREMES = {
  utilPct: (p) => p.utilPct,
  memUsedBytes: (p) => p.memUsedBytes,
  powerW: (p) => p.powerW,
  smClockMHz: (p) => p.smClockMHz,
} satisfies Record<Exclude<keyof GpuTimelinePoint, 'tMs'>, (point: GpuTimelinePoint) => number | null>;

/** Time-ordered points to at most `limit` points, each field's extremes kept. */
export function downsample(points: readonly GpuTimelinePoint[], limit: number): GpuTimelinePoint[] {
  return downsampleExtremes(points, limit, EXTREMES);
}
