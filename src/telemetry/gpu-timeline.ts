/**
 * A run's GPU samples as a small timeline per GPU. Long series are cut into buckets of consecutive
 * samples; each bucket becomes two points (its first and last sample times) that carry, per field,
 * the bucket's min and max in the order they occurred, so a spike or a dip survives downsampling
 * (an average would hide the one-sample power spike or clock drop a reader is looking for).
 */
import type { GpuSample, GpuTimeline, GpuTimelinePoint, GpuTimelineSeries } from './types.js';

export const DEFAULT_TIMELINE_POINTS = 1000;

type TimelineField = 'utilPct' | 'memUsedBytes' | 'powerW' | 'smClockMHz';
const FIELDS = ['utilPct', 'memUsedBytes', 'powerW', 'smClockMHz'] as const satisfies readonly TimelineField[];

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
  return { tMs: sample.tMs, utilPct: sample.utilPct, memUsedBytes: sample.memUsedBytes, powerW: sample.powerW, smClockMHz: sample.smClockMHz };
}

/** Time-ordered points to at most `limit` points, each field's extremes kept. */
export function downsample(points: readonly GpuTimelinePoint[], limit: number): GpuTimelinePoint[] {
  if (points.length <= limit) return [...points];
  const buckets = Math.floor(limit / 2);
  const size = Math.ceil(points.length / buckets);
  const out: GpuTimelinePoint[] = [];
  for (let start = 0; start < points.length; start += size) {
    out.push(...bucketExtremes(points.slice(start, start + size)));
  }
  return out;
}

function bucketExtremes(bucket: readonly GpuTimelinePoint[]): GpuTimelinePoint[] {
  const first = bucket[0];
  const last = bucket[bucket.length - 1];
  if (first === undefined || last === undefined) return [];
  if (bucket.length === 1) return [first];
  const early: Record<TimelineField, number | null> = { utilPct: null, memUsedBytes: null, powerW: null, smClockMHz: null };
  const late: Record<TimelineField, number | null> = { utilPct: null, memUsedBytes: null, powerW: null, smClockMHz: null };
  for (const field of FIELDS) {
    let minAt = -1;
    let maxAt = -1;
    bucket.forEach((point, i) => {
      const value = point[field];
      if (value === null) return;
      if (minAt < 0 || value < (bucket[minAt]?.[field] ?? value)) minAt = i;
      if (maxAt < 0 || value > (bucket[maxAt]?.[field] ?? value)) maxAt = i;
    });
    if (minAt < 0) continue;
    const [before, after] = minAt <= maxAt ? [minAt, maxAt] : [maxAt, minAt];
    early[field] = bucket[before]?.[field] ?? null;
    late[field] = bucket[after]?.[field] ?? null;
  }
  return [
    { tMs: first.tMs, ...early },
    { tMs: last.tMs, ...late },
  ];
}
