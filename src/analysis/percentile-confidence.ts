/**
 * How far a measured percentile can be trusted.
 *
 * (a) A distribution-free confidence interval from order statistics: with n samples and B ~
 *     Binomial(n, q) the number of samples below the true q-quantile, the interval
 *     [X_(l), X_(u)] covers it with probability P(l <= B < u) = F(u - 1) - F(l - 1). We take the
 *     equal-tailed ranks: the largest l with F(l - 1) <= alpha/2 and the smallest u with
 *     F(u - 1) >= 1 - alpha/2. A rank outside 1..n means the samples cannot bound that side: null.
 * (b) Whether n supports the percentile at all: MLPerf's early-stopping rule.
 */
import { InputError } from '../errors.js';
import { decodeHistogram, type Histogram } from '../metrics/histogram.js';
import { recordedBuckets, totalCount, valueAtRankUs } from './histogram-buckets.js';

const US_PER_MS = 1000;

/** Above this many samples the binomial is replaced by its normal approximation (exact sums cost O(n)). */
export const EXACT_BINOMIAL_MAX_N = 10_000;

export interface OrderStatisticRanks {
  /** 1-based rank of the lower bound; 0 when no sample bounds it from below. */
  readonly lower: number;
  /** 1-based rank of the upper bound; n + 1 when no sample bounds it from above. */
  readonly upper: number;
  readonly method: 'exact-binomial' | 'normal-approximation';
}

export interface PercentileInterval {
  readonly quantile: number;
  readonly confidence: number;
  readonly count: number;
  /** Null when the samples cannot bound this side (too few samples for this percentile). */
  readonly lowMs: number | null;
  readonly highMs: number | null;
  readonly ranks: OrderStatisticRanks;
}

function checkFraction(where: string, value: number): void {
  if (!(value > 0 && value < 1)) throw new InputError(where, `expected a fraction strictly between 0 and 1, got ${value}`);
}

/** Binomial(n, p) pmf for k = 0..n, computed in log space and normalised (no under/overflow). */
function binomialPmf(n: number, p: number): Float64Array {
  const logs = new Float64Array(n + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  logs[0] = n * Math.log1p(-p);
  let maxLog = logs[0];
  for (let k = 0; k < n; k++) {
    const next = (logs[k] ?? 0) + Math.log((n - k) / (k + 1)) + logOdds;
    logs[k + 1] = next;
    if (next > maxLog) maxLog = next;
  }
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const weight = Math.exp((logs[k] ?? 0) - maxLog);
    logs[k] = weight;
    sum += weight;
  }
  for (let k = 0; k <= n; k++) logs[k] = (logs[k] ?? 0) / sum;
  return logs;
}

function exactRanks(n: number, q: number, alpha: number): OrderStatisticRanks {
  const pmf = binomialPmf(n, q);
  // Walk k = 0..n-1 with cdf = F(k): lower = 1 + the last k with F(k) <= alpha/2 (0: none),
  // upper = 1 + the first k with F(k) >= 1 - alpha/2 (n + 1: none).
  let lower = 0;
  let cdf = 0;
  for (let k = 0; k < n; k++) {
    cdf += pmf[k] ?? 0;
    if (cdf <= alpha / 2) lower = k + 1;
    if (cdf >= 1 - alpha / 2) return { lower, upper: k + 1, method: 'exact-binomial' };
  }
  return { lower, upper: n + 1, method: 'exact-binomial' };
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  checkFraction('normalQuantile p', p);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (t: number) => (((((c0 * t + c1) * t + c2) * t + c3) * t + c4) * t + c5) / ((((d0 * t + d1) * t + d2) * t + d3) * t + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const t = p - 0.5;
  const r = t * t;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * t) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** B ~ N(nq, nq(1-q)); rounded outward so the interval is no narrower than the exact one by more than a rank. */
function normalRanks(n: number, q: number, alpha: number): OrderStatisticRanks {
  const z = normalQuantile(1 - alpha / 2);
  const sd = Math.sqrt(n * q * (1 - q));
  const lower = Math.floor(n * q - z * sd + 0.5);
  const upper = Math.ceil(n * q + z * sd + 0.5);
  return { lower: Math.max(lower, 0), upper: Math.min(upper, n + 1), method: 'normal-approximation' };
}

/** Ranks of the order statistics bounding the q-quantile with the given confidence. */
export function quantileRanks(n: number, q: number, confidence = 0.95, exactMaxN = EXACT_BINOMIAL_MAX_N): OrderStatisticRanks {
  checkFraction('quantile', q);
  checkFraction('confidence', confidence);
  if (n <= 0) return { lower: 0, upper: 1, method: 'exact-binomial' };
  const alpha = 1 - confidence;
  return n <= exactMaxN ? exactRanks(n, q, alpha) : normalRanks(n, q, alpha);
}

/**
 * The confidence interval of the q-quantile (q as a fraction: 0.95 for p95) of an encoded e2e
 * histogram, in ms. `independentSamples` (default: the histogram's count) is how many of its
 * values are independent: items of one model call share a latency, so a batched step's ranks are
 * taken over fewer samples and scaled back onto the histogram (a wider, honest interval).
 */
export function percentileCi(encodedHistogram: string, q: number, confidence = 0.95, independentSamples?: number): PercentileInterval {
  return percentileCiOf(decodeHistogram(encodedHistogram), q, confidence, independentSamples);
}

/** percentileCi of a histogram in hand (a step's, while it runs). */
export function percentileCiOf(histogram: Histogram, q: number, confidence = 0.95, independentSamples?: number): PercentileInterval {
  const buckets = recordedBuckets(histogram);
  const count = totalCount(buckets);
  const n = independentSamples === undefined ? count : Math.min(count, Math.max(0, Math.floor(independentSamples)));
  const ranks = quantileRanks(n, q, confidence);
  const scale = n > 0 ? count / n : 1;
  const read = (rank: number) => {
    if (rank < 1 || rank > n) return null;
    const us = valueAtRankUs(buckets, Math.min(count, Math.ceil(rank * scale)));
    return us === null ? null : us / US_PER_MS;
  };
  return { quantile: q, confidence, count: n, lowMs: read(ranks.lower), highMs: read(ranks.upper), ranks };
}

/**
 * P(at most `overTarget` of `underTarget + overTarget` samples exceed the q-quantile), i.e. the
 * chance of a sample at least this good if the true q-quantile were just at the target:
 * sum_{k=0}^{t} C(h+t, k) (1-q)^k q^(h+t-k) = I_q(h, t + 1), summed in log space.
 */
function earlyStoppingOdds(underTarget: number, overTarget: number, q: number): number {
  const total = underTarget + overTarget;
  let logChoose = 0;
  let sum = 0;
  for (let k = 0; k <= overTarget; k++) {
    sum += Math.exp(logChoose + k * Math.log1p(-q) + (total - k) * Math.log(q));
    logChoose += Math.log((total - k) / (k + 1));
  }
  return sum;
}

/**
 * MLPerf's early-stopping rule (mlcommons/inference, loadgen/early_stopping.cc
 * MinPassingQueriesFinder, applied in loadgen/results.cc for the Server scenario with tolerance 0
 * and 99 % confidence): with t samples over the latency target, a run supports the q-percentile
 * only with at least h + t samples, h the smallest count with I_q(h, t + 1) <= 1 - confidence.
 * At t = 0 this is ceil(ln(1 - c) / ln q): p90 needs 44 samples, p95 90, p99 459, p99.9 4603.
 * (Single-stream runs use t = 1: 64 samples for p90, 662 for p99, the "Processed at least 64
 * queries" line of a loadgen summary.)
 */
export function minSamplesFor(q: number, confidence = 0.99, overTarget = 0): number {
  checkFraction('quantile', q);
  checkFraction('confidence', confidence);
  if (!Number.isInteger(overTarget) || overTarget < 0)
    throw new InputError('overTarget', `expected a whole number >= 0, got ${overTarget}`);
  const allowed = 1 - confidence;
  // t = 0 is the closed form and a lower bound for every t (the odds grow with t).
  let low = Math.max(1, Math.ceil(Math.log(allowed) / Math.log(q)) - 1);
  while (low > 1 && earlyStoppingOdds(low, 0, q) <= allowed) low--;
  let high = low;
  while (earlyStoppingOdds(high, overTarget, q) > allowed) high *= 2;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (earlyStoppingOdds(mid, overTarget, q) <= allowed) high = mid;
    else low = mid + 1;
  }
  return low + overTarget;
}

/** Whether n samples, none over the target, are enough for the q-percentile by MLPerf's rule. */
export function supportsPercentile(n: number, q: number, confidence = 0.99): boolean {
  return n >= minSamplesFor(q, confidence);
}
