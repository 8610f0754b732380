/**
 * How far a few measurement windows of a steady process spread by sampling alone. A window holds
 * ~20 model calls (metrics/window-sizing.ts), so its p95 is about its largest call: three such
 * windows from a perfectly stationary server often differ by 10-20 %. That is noise, not drift, and
 * a stability check that ignores it cannot pass on a steady server.
 *
 * The noise is read from the windows themselves. Each window's calls are scaled by that window's
 * median and pooled: the shape of the latency distribution, with any shift between windows taken
 * out (pooling them unscaled would count a drift between windows as noise, and excuse it). Each
 * seeded replicate then draws every window again with its own call count: its p95 as that order
 * statistic of the pooled shape (one Beta draw, as bootstrap.ts resamples percentiles), its rate
 * from a counting process whose variance per call is the calls' dispersion (a closed loop's
 * completions are a renewal process: the squared coefficient of variation of the call latency;
 * Poisson arrivals count with at least 1). A window's calls are its independent samples: items of
 * one model call share its latency. The sampling error is the spread (max / min - 1) that such
 * windows exceed only 1 - `level` of the time.
 */
import type { WindowStat } from '../core/measurement.js';
import { decodeForReading } from '../metrics/histogram.js';
import { mulberry32 } from '../random.js';
import {
  cumulativeCounts,
  nearestRankQuantile,
  percentileUs,
  resampledPercentileUs,
  sampleNormal,
  type CumulativeCounts,
} from './bootstrap.js';

export interface SamplingErrorOptions {
  /** The share of steady replicates whose spread stays within the sampling error. */
  readonly level?: number;
  readonly replicates?: number;
  readonly seed?: number;
  /** Variance per expected count of the arrivals in a window: 1 for Poisson arrivals, 0 for a closed loop or a constant rate. */
  readonly arrivalDispersion?: number;
}

/** Spreads (max / min - 1, as fractions) that steady windows of these call counts reach by chance. */
export interface SamplingErrors {
  readonly p95: number;
  readonly throughput: number;
}

export const SAMPLING_ERROR_LEVEL = 0.95;
const DEFAULT_REPLICATES = 1000;
/** Fixed, so a verdict is the same on every machine and every re-judgement of the same windows. */
const DEFAULT_SEED = 16;
/** A window's median maps to this value in the pooled shape (a unit-free scale; the spreads are ratios). */
const SHAPE_MEDIAN = 10_000;

/** One value of the pooled shape (a window's value over its median, times SHAPE_MEDIAN) and how many calls had it. */
interface ShapeValue {
  readonly value: number;
  readonly count: number;
}

/** The pooled shape in the form the percentile resampler reads: sorted values, running counts. */
function pooledCounts(shape: ShapeValue[]): CumulativeCounts {
  shape.sort((a, b) => a.value - b.value);
  const cumulative = new Float64Array(shape.length);
  let running = 0;
  shape.forEach((entry, i) => (cumulative[i] = running += entry.count));
  return { valuesUs: Float64Array.from(shape, (entry) => entry.value), cumulative, total: running };
}

/** Variance over squared mean of the pooled shape: a renewal count's dispersion per call. */
function squaredVariation(shape: readonly ShapeValue[], total: number): number {
  let sum = 0;
  for (const { value, count } of shape) sum += value * count;
  const mean = sum / total;
  let squares = 0;
  for (const { value, count } of shape) squares += count * (value - mean) ** 2;
  return mean > 0 ? squares / total / mean ** 2 : 0;
}

/**
 * The windows' sampling errors, or null when a window carries no e2e histogram or call count
 * (windows of reports written before they were kept): then nothing says how noisy they are.
 */
export function windowSamplingErrors(windows: readonly WindowStat[], options: SamplingErrorOptions = {}): SamplingErrors | null {
  const level = options.level ?? SAMPLING_ERROR_LEVEL;
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const shape: ShapeValue[] = [];
  const callCounts: number[] = [];
  for (const window of windows) {
    if (window.e2eHistogram === undefined || window.calls === undefined || !(window.calls > 0)) return null;
    const own = cumulativeCounts(decodeForReading(window.e2eHistogram));
    const medianUs = percentileUs(own, 50);
    if (medianUs === null || !(medianUs > 0)) return null;
    let below = 0;
    for (let i = 0; i < own.valuesUs.length; i++) {
      const cumulative = own.cumulative[i] as number;
      shape.push({ value: ((own.valuesUs[i] as number) / medianUs) * SHAPE_MEDIAN, count: cumulative - below });
      below = cumulative;
    }
    // A window holds at least one call; a share below one is a batch split over a window edge.
    callCounts.push(Math.max(1, Math.round(window.calls)));
  }
  if (shape.length === 0) return null;
  const counts = pooledCounts(shape);
  const dispersion = Math.max(squaredVariation(shape, counts.total), options.arrivalDispersion ?? 0);
  const random = mulberry32(options.seed ?? DEFAULT_SEED);
  const p95Spreads = new Float64Array(replicates);
  const rateSpreads = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    let p95Min = Infinity;
    let p95Max = 0;
    let logRateMin = Infinity;
    let logRateMax = -Infinity;
    for (const calls of callCounts) {
      const p95Us = resampledPercentileUs(counts, Math.min(calls, counts.total), 95, random);
      p95Min = Math.min(p95Min, p95Us);
      p95Max = Math.max(p95Max, p95Us);
      // Relative count noise sqrt(dispersion / calls), drawn on the log scale so no rate goes negative.
      const logRate = Math.sqrt(dispersion / calls) * sampleNormal(random);
      logRateMin = Math.min(logRateMin, logRate);
      logRateMax = Math.max(logRateMax, logRate);
    }
    p95Spreads[r] = p95Min > 0 ? p95Max / p95Min - 1 : 0;
    rateSpreads[r] = Math.exp(logRateMax - logRateMin) - 1;
  }
  return { p95: nearestRankQuantile(p95Spreads.sort(), level), throughput: nearestRankQuantile(rateSpreads.sort(), level) };
}
