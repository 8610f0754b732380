/**
 * How much generated text each item received (HTTP answers whose protocol can tell), in characters.
 * A server that shortens its answers (BetterPrompts' generator cuts the enhanced prompt to about
 * 4 x max_tokens characters) shows here, where latency alone would look fine.
 *
 * Lengths go into the same fixed-range HDR histogram as latencies (exact below 2048, within 0.1 %
 * above), so repeats merge exactly and report.json can be re-read.
 */
import { decodeHistogram, encodeHistogram, mergeEncoded, type Histogram } from './histogram.js';
import type { OutputTextSummary } from '../core/measurement.js';

/** Hot path: one record per item (a batch's items each get the request's mean). */
export function recordChars(histogram: Histogram, chars: number): void {
  histogram.recordValue(chars <= 0 ? 0 : Math.round(chars));
}

/** The summary of a histogram of per-item lengths; undefined when no item reported one. */
export function summarizeTextLengths(histogram: Histogram): OutputTextSummary | undefined {
  if (histogram.totalCount === 0) return undefined;
  return {
    items: histogram.totalCount,
    meanChars: histogram.mean,
    p50Chars: histogram.getValueAtPercentile(50),
    p95Chars: histogram.getValueAtPercentile(95),
    // From the buckets, so a merged or decoded histogram summarises to the same numbers.
    minChars: histogram.getValueAtPercentile(0),
    maxChars: histogram.getValueAtPercentile(100),
    histogram: encodeHistogram(histogram),
  };
}

/** Several steps' (or repeats') lengths as one: histograms added bucket by bucket. */
export function mergeTextLengths(parts: readonly (OutputTextSummary | undefined)[]): OutputTextSummary | undefined {
  const present = parts.filter((part): part is OutputTextSummary => part !== undefined);
  if (present.length <= 1) return present[0];
  return summarizeTextLengths(decodeHistogram(mergeEncoded(present.map((part) => part.histogram))));
}
