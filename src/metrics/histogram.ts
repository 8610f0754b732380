/**
 * HDR histograms of integer microseconds (1 us .. 1 h, 3 significant digits), in hdr-histogram-js's
 * JS mode: no async wasm init, and every histogram here can be added to every other.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../core/measurement.js';

export type { Histogram } from 'hdr-histogram-js';

export const LOWEST_US = 1;
export const HIGHEST_US = 3_600_000_000; // one hour
const US_PER_MS = 1000;

/** A fixed-range histogram: values outside 1 us .. 1 h are clamped by `recordUs`, never resized. */
export function createHistogram(significantDigits: 1 | 2 | 3 = 3): Histogram {
  return build({
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: significantDigits,
    autoResize: false,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
}

/** Hot path: one clamp and one record, no allocation. */
export function recordUs(histogram: Histogram, valueUs: number): void {
  const clamped = valueUs < LOWEST_US ? LOWEST_US : valueUs > HIGHEST_US ? HIGHEST_US : Math.round(valueUs);
  histogram.recordValue(clamped);
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = decodeFromCompressedBase64(encoded, 32, false);
  // Copy into our fixed range so decoded histograms add exactly to recorded ones.
  const histogram = createHistogram();
  histogram.add(decoded);
  return histogram;
}

/**
 * An encoded histogram decoded as it was encoded, to read its values only: 6x cheaper than
 * `decodeHistogram`, whose copy into our fixed range is what lets it be added to others.
 */
export function decodeForReading(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, 32, false);
}

/** Exact sum of several encoded histograms (counts add bucket by bucket), encoded again. */
export function mergeEncoded(encoded: readonly string[]): string {
  const total = createHistogram();
  for (const one of encoded) total.add(decodeFromCompressedBase64(one, 32, false));
  return encodeHistogram(total);
}

/**
 * Summary in ms, to HDR's resolution (within 0.1 % of what was recorded; min reads the low edge
 * of its bucket, the rest the high edge). Undefined for an
 * empty histogram: zeros would read as "instant", not "not measured".
 */
export function summarize(histogram: Histogram): LatencySummary | undefined {
  if (histogram.totalCount === 0) return undefined;
  return {
    count: histogram.totalCount,
    mean: histogram.mean / US_PER_MS,
    p50: histogram.getValueAtPercentile(50) / US_PER_MS,
    p90: histogram.getValueAtPercentile(90) / US_PER_MS,
    p95: histogram.getValueAtPercentile(95) / US_PER_MS,
    p99: histogram.getValueAtPercentile(99) / US_PER_MS,
    // Read from the buckets (not the exact extremes a live histogram tracks), so a decoded or
    // merged histogram summarises to exactly the same numbers as the one that was recorded.
    max: histogram.getValueAtPercentile(100) / US_PER_MS,
    min: histogram.getValueAtPercentile(0) / US_PER_MS,
  };
}

/** One percentile in ms, or null when nothing was recorded. */
export function percentileMs(histogram: Histogram, percentile: number): number | null {
  return histogram.totalCount === 0 ? null : histogram.getValueAtPercentile(percentile) / US_PER_MS;
}
