/**
 * Seeded bootstrap intervals for a relative change between two runs, from what report.json keeps:
 * HDR histograms (percentiles) and 1 s windows (throughput). Pure: the same inputs and seed give
 * the same interval on every machine.
 */
import { JsHistogram, type Histogram } from 'hdr-histogram-js';
import { mulberry32 } from '../random.js';
import { minSamplesFor } from './percentile-confidence.js';
import type { WindowStat } from '../core/measurement.js';

/** A histogram as sorted distinct values with the running count up to and including each. */
export interface CumulativeCounts {
  readonly valuesUs: Float64Array;
  readonly cumulative: Float64Array;
  readonly total: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface BootstrapOptions {
  readonly resamples: number;
  readonly seed: number;
  /** Two-sided coverage, e.g. 0.95. */
  readonly confidence: number;
}

/** Which way a change is worse: latency up (`higher`), throughput down (`lower`). */
export type WorseWhen = 'higher' | 'lower';

/** Each bucket's value reads its high edge, as `getValueAtPercentile` (and so the report) does. */
export function cumulativeCounts(histogram: Histogram): CumulativeCounts {
  if (!(histogram instanceof JsHistogram)) throw new TypeError('cumulativeCounts needs a JS-mode histogram (decodeHistogram makes one)');
  const values: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  for (let i = 0; i < histogram.countsArrayLength; i++) {
    const count = histogram.getCountAtIndex(i);
    if (count === 0) continue;
    running += count;
    values.push(histogram.highestEquivalentValue(histogram.valueFromIndex(i)));
    cumulative.push(running);
  }
  return { valuesUs: Float64Array.from(values), cumulative: Float64Array.from(cumulative), total: running };
}

/** Rank (1-based) of the sample HDR reports as percentile `pct` of `total` samples. */
export function percentileRank(pct: number, total: number): number {
  return Math.min(total, Math.max(1, Math.ceil((pct / 100) * total - 1e-9)));
}

/** The value of the sample at 0-based sorted position `position`, by binary search on the counts. */
export function valueAtPosition(counts: CumulativeCounts, position: number): number {
  let lo = 0;
  let hi = counts.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((counts.cumulative[mid] as number) > position) hi = mid;
    else lo = mid + 1;
  }
  return counts.valuesUs[lo] as number;
}

export function percentileUs(counts: CumulativeCounts, pct: number): number | null {
  return counts.total === 0 ? null : valueAtPosition(counts, percentileRank(pct, counts.total) - 1);
}

/**
 * One bootstrap replicate of a percentile from `draws` independent values. Resampling n values with
 * replacement and taking the k-th smallest equals taking the empirical quantile at the k-th
 * smallest of n uniforms, which is Beta(k, n - k + 1): one Beta draw and one binary search per
 * replicate, whatever n is.
 */
export function resampledPercentileUs(counts: CumulativeCounts, draws: number, pct: number, random: () => number): number {
  const k = percentileRank(pct, draws);
  const u = sampleBeta(k, draws - k + 1, random);
  return valueAtPosition(counts, Math.min(counts.total - 1, Math.floor(u * counts.total)));
}

/**
 * A side's values and how many of them are independent: items that ran in one model call share
 * its latency, so a step of n items at mean batch size b carries about n / b independent values.
 */
export interface PercentileSample {
  readonly counts: CumulativeCounts;
  readonly independent: number;
}

/** Every value independent. */
export function independentSample(counts: CumulativeCounts): PercentileSample {
  return { counts, independent: counts.total };
}

/**
 * Percentile-bootstrap interval of the relative change (positive = worse) of a percentile,
 * resampling `independent` values from each side's distribution. Null when either side has fewer
 * independent values than MLPerf's early-stopping minimum at this confidence (`minSamplesFor`): a p99 from 24 samples is their maximum, and
 * its noise is unknown.
 */
export function percentileChangeInterval(
  baseline: PercentileSample,
  candidate: PercentileSample,
  pct: number,
  options: BootstrapOptions,
): Interval | null {
  const needed = minSamplesFor(pct / 100, options.confidence);
  const bDraws = Math.min(baseline.counts.total, Math.floor(baseline.independent));
  const cDraws = Math.min(candidate.counts.total, Math.floor(candidate.independent));
  if (bDraws < needed || cDraws < needed) return null;
  const random = mulberry32(options.seed);
  const changes = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    const b = resampledPercentileUs(baseline.counts, bDraws, pct, random);
    const c = resampledPercentileUs(candidate.counts, cDraws, pct, random);
    changes[r] = relativeChange(b, c, 'higher');
  }
  return quantileInterval(changes, options.confidence);
}

/** Fewer windows than this on a side and throughput noise cannot be judged. */
export const MIN_WINDOWS = 3;

/** Items per second over a set of windows: sum of items over sum of time (a short last window weighs less). */
function windowsRatePerSec(windows: readonly WindowStat[], picks: ArrayLike<number> | null): number {
  let items = 0;
  let ms = 0;
  const n = picks === null ? windows.length : picks.length;
  for (let i = 0; i < n; i++) {
    const window = windows[picks === null ? i : (picks[i] as number)] as WindowStat;
    items += window.completed;
    ms += window.endMs - window.startMs;
  }
  return ms > 0 ? (items * 1000) / ms : 0;
}

/**
 * Interval of the relative throughput change (positive = slower), resampling each side's windows.
 * Each replicate scales the side's reported rate by its resampled/observed window rate, so the
 * interval sits around the reported change. Null below MIN_WINDOWS windows on a side.
 */
export function throughputChangeInterval(
  baseline: { readonly itemsPerSec: number; readonly windows: readonly WindowStat[] },
  candidate: { readonly itemsPerSec: number; readonly windows: readonly WindowStat[] },
  options: BootstrapOptions,
): Interval | null {
  const sides = [baseline, candidate].map((side) => ({
    ...side,
    windows: side.windows.filter((w) => w.endMs > w.startMs),
  }));
  const [b, c] = sides as [(typeof sides)[number], (typeof sides)[number]];
  if (b.windows.length < MIN_WINDOWS || c.windows.length < MIN_WINDOWS || b.itemsPerSec <= 0) return null;
  const observedB = windowsRatePerSec(b.windows, null);
  const observedC = windowsRatePerSec(c.windows, null);
  if (observedB <= 0) return null;
  const random = mulberry32(options.seed);
  const picksB = new Uint32Array(b.windows.length);
  const picksC = new Uint32Array(c.windows.length);
  const changes = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < picksB.length; i++) picksB[i] = Math.floor(random() * picksB.length);
    for (let i = 0; i < picksC.length; i++) picksC[i] = Math.floor(random() * picksC.length);
    const rateB = (b.itemsPerSec * windowsRatePerSec(b.windows, picksB)) / observedB;
    // A candidate that completed nothing stays at 0 items/s in every replicate.
    const rateC = observedC > 0 ? (c.itemsPerSec * windowsRatePerSec(c.windows, picksC)) / observedC : 0;
    changes[r] = relativeChange(rateB, rateC, 'lower');
  }
  return quantileInterval(changes, options.confidence);
}

/** (candidate - baseline) / baseline, signed so that positive is worse. */
export function relativeChange(baseline: number, candidate: number, worseWhen: WorseWhen): number {
  if (baseline === 0) return candidate === 0 ? 0 : worseWhen === 'higher' ? Infinity : -Infinity;
  return worseWhen === 'higher' ? (candidate - baseline) / baseline : (baseline - candidate) / baseline;
}

/** Nearest-rank quantiles of the replicates at (1 - confidence) / 2 and 1 - that. */
export function quantileInterval(replicates: Float64Array, confidence: number): Interval {
  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - confidence) / 2;
  return { low: nearestRankQuantile(sorted, tail), high: nearestRankQuantile(sorted, 1 - tail) };
}

/** The q-quantile (nearest rank) of values sorted ascending. */
export function nearestRankQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b); here a, b >= 1. */
export function sampleBeta(a: number, b: number, random: () => number): number {
  const x = sampleGamma(a, random);
  const y = sampleGamma(b, random);
  return x / (x + y);
}

/** Marsaglia and Tsang (2000) for shape >= 1. */
function sampleGamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Box-Muller; 1 - random() keeps the log's argument in (0, 1]. */
export function sampleNormal(random: () => number): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
