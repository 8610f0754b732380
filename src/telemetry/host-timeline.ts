/**
 * A run's host samples as a bounded timeline. Long series are cut into buckets of consecutive
 * samples; each bucket becomes two points (its first and last sample times) carrying, per field,
 * the bucket's min and max in the order they occurred, so an RSS spike or a CPU stall survives
 * (the same rule as the GPU timeline in gpu-timeline.ts).
 */
import type { HostSample } from './types.js';

export const DEFAULT_HOST_POINTS = 2000;

type SampleField = Exclude<keyof HostSample, 'tMs'>;
type MutableSample = { -readonly [K in keyof HostSample]: HostSample[K] };

/** What each field's extremes are judged by; tfMemory by its tensor count (a leak shows there first). */
const ORDER_BY = {
  processCpuPct: (s) => s.processCpuPct,
  systemCpuPct: (s) => s.systemCpuPct,
  rssBytes: (s) => s.rssBytes,
  heapUsedBytes: (s) => s.heapUsedBytes,
  eventLoopDelayP99Ms: (s) => s.eventLoopDelayP99Ms,
  netRxBytesPerSec: (s) => s.netRxBytesPerSec,
  netTxBytesPerSec: (s) => s.netTxBytesPerSec,
  tfMemory: (s) => s.tfMemory?.numTensors ?? null,
} satisfies Record<SampleField, (sample: HostSample) => number | null>;

const FIELDS = Object.keys(ORDER_BY) as SampleField[];

/** Time-ordered samples to at most `limit` (at least 2) points, each field's extremes kept. */
export function downsampleHostSamples(samples: readonly HostSample[], limit: number): HostSample[] {
  const bounded = Math.max(2, Math.floor(limit));
  if (samples.length <= bounded) return [...samples];
  const buckets = Math.floor(bounded / 2);
  const size = Math.ceil(samples.length / buckets);
  const out: HostSample[] = [];
  for (let start = 0; start < samples.length; start += size) {
    out.push(...bucketExtremes(samples.slice(start, start + size)));
  }
  return out;
}

function bucketExtremes(bucket: readonly HostSample[]): HostSample[] {
  const first = bucket[0];
  const last = bucket[bucket.length - 1];
  if (first === undefined || last === undefined) return [];
  if (bucket.length === 1) return [first];
  const early: MutableSample = { ...first };
  const late: MutableSample = { ...last };
  for (const field of FIELDS) {
    const value = ORDER_BY[field];
    let minAt = -1;
    let maxAt = -1;
    bucket.forEach((sample, i) => {
      const v = value(sample);
      if (v === null) return;
      if (minAt < 0 || v < (value(bucket[minAt] as HostSample) ?? v)) minAt = i;
      if (maxAt < 0 || v > (value(bucket[maxAt] as HostSample) ?? v)) maxAt = i;
    });
    if (minAt < 0) continue;
    copyField(early, bucket[Math.min(minAt, maxAt)] as HostSample, field);
    copyField(late, bucket[Math.max(minAt, maxAt)] as HostSample, field);
  }
  return [early, late];
}

function copyField<K extends SampleField>(to: MutableSample, from: HostSample, field: K): void {
  to[field] = from[field];
}
