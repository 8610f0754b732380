/**
 * Rank and count look-ups on an HDR histogram, read once into its recorded buckets. The public
 * `Histogram` interface offers only percentiles; ranks (order statistics) and "how many values at
 * or below x" need the buckets themselves.
 */
import { JsHistogram } from 'hdr-histogram-js';
import { InternalError } from '../errors.js';
import type { Histogram } from '../metrics/histogram.js';

/** One non-empty bucket: every value in lowUs..highUs is recorded as the same value. */
export interface HistogramBucket {
  readonly lowUs: number;
  readonly highUs: number;
  readonly count: number;
  /** Count of this bucket and every lower one: the highest rank (1-based) in this bucket. */
  readonly cumulative: number;
}

/** Non-empty buckets in ascending value order. Our histograms are always JS ones (see createHistogram). */
export function recordedBuckets(histogram: Histogram): HistogramBucket[] {
  if (!(histogram instanceof JsHistogram)) throw new InternalError('histogram buckets need a JS-mode HDR histogram');
  const buckets: HistogramBucket[] = [];
  const iterator = histogram.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    buckets.push({
      lowUs: histogram.lowestEquivalentValue(step.valueIteratedTo),
      highUs: step.valueIteratedTo,
      count: step.countAtValueIteratedTo,
      cumulative: step.totalCountToThisValue,
    });
  }
  return buckets;
}

export function totalCount(buckets: readonly HistogramBucket[]): number {
  return buckets.at(-1)?.cumulative ?? 0;
}

/**
 * The value (high edge of its bucket, as `summarize` reads percentiles) of the sample with the given
 * 1-based rank in ascending order; ranks are clamped to 1..count. Null when the histogram is empty.
 */
export function valueAtRankUs(buckets: readonly HistogramBucket[], rank: number): number | null {
  const total = totalCount(buckets);
  if (total === 0) return null;
  const wanted = Math.min(Math.max(Math.ceil(rank), 1), total);
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((buckets[mid]?.cumulative ?? 0) >= wanted) hi = mid;
    else lo = mid + 1;
  }
  return buckets[lo]?.highUs ?? null;
}

/**
 * Samples recorded at or below `valueUs`. As HDR's getCountBetweenValues does, the bucket that
 * holds `valueUs` counts whole: a value within HDR's resolution (0.1 %) of the limit counts as met.
 */
export function countAtOrBelowUs(buckets: readonly HistogramBucket[], valueUs: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((buckets[mid]?.lowUs ?? Infinity) <= valueUs) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : (buckets[lo - 1]?.cumulative ?? 0);
}
