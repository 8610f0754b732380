/**
 * A run's host samples as a bounded timeline: each bucket keeps its fields' extremes in time order
 * (downsample-extremes.ts), so an RSS spike or a CPU stall survives.
 */
import { downsampleExtremes } from './downsample-extremes.js';
import type { HostSample } from '../core/report/telemetry.js';

export const DEFAULT_HOST_POINTS = 2000;

type SampleField = Exclude<keyof HostSample, 'tMs'>;

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

/** Time-ordered samples to at most `limit` (at least 2) points, each field's extremes kept. */
export function downsampleHostSamples(samples: readonly HostSample[], limit: number): HostSample[] {
  return downsampleExtremes(samples, limit, ORDER_BY);
}
