/** One metric of one step pair judged: its change, the interval of the change, and the status. */
import type { StepReport } from '../core/report/step.js';
import { decodeHistogram } from '../metrics/histogram.js';
import {
  cumulativeCounts,
  percentileChangeInterval,
  percentileUs,
  relativeChange,
  throughputChangeInterval,
  type CumulativeCounts,
  type Interval,
  type PercentileSample,
} from './bootstrap.js';
import {
  ERROR_RATE_ALPHA,
  PERCENTILE_OF,
  type CompareMetric,
  type CompareOptions,
  type IntervalJudgement,
  type MetricComparison,
  type MetricStatus,
  type PercentileMetric,
} from './compare-model.js';
import { envelope, repeatChangeInterval } from './repeat-noise.js';

export function compareMetric(metric: CompareMetric, b: StepReport, c: StepReport, options: CompareOptions): MetricComparison {
  if (metric === 'throughput') return compareThroughput(b, c, options);
  if (metric === 'errorRate') return compareErrorRate(b, c);
  return comparePercentile(metric, b, c, options);
}

function e2eCounts(step: StepReport): CumulativeCounts | null {
  const encoded = step.histograms.e2e;
  if (encoded === undefined) return null;
  const counts = cumulativeCounts(decodeHistogram(encoded));
  return counts.total === 0 ? null : counts;
}

function comparePercentile(metric: PercentileMetric, b: StepReport, c: StepReport, options: CompareOptions): MetricComparison {
  const bCounts = e2eCounts(b);
  const cCounts = e2eCounts(c);
  if (bCounts === null || cCounts === null) {
    return { kind: 'missing', metric, reason: `no e2e samples in the ${bCounts === null ? 'baseline' : 'candidate'}` };
  }
  const pct = PERCENTILE_OF[metric];
  const baselineUs = percentileUs(bCounts, pct) as number;
  const candidateUs = percentileUs(cCounts, pct) as number;
  const sample = (counts: CumulativeCounts, step: StepReport): PercentileSample => ({
    counts,
    independent: counts.total / Math.max(1, step.meanBatchSize),
  });
  const interval = percentileChangeInterval(sample(bCounts, b), sample(cCounts, c), pct, options);
  const repeats = (step: StepReport, merged: number) => ({ merged, repeats: repeatValues(step, metric) });
  const repeatInterval = repeatChangeInterval(repeats(b, baselineUs), repeats(c, candidateUs), 'higher', options.confidence);
  return {
    kind: 'latency',
    metric,
    ...judged(
      baselineUs / 1000,
      candidateUs / 1000,
      relativeChange(baselineUs, candidateUs, 'higher'),
      interval,
      repeatInterval,
      options.latencyThreshold,
    ),
  };
}

function compareThroughput(b: StepReport, c: StepReport, options: CompareOptions): MetricComparison {
  const bRate = b.throughput.itemsPerSec;
  const cRate = c.throughput.itemsPerSec;
  if (!(bRate > 0)) return { kind: 'missing', metric: 'throughput', reason: 'the baseline step completed nothing' };
  const interval = throughputChangeInterval(
    { itemsPerSec: bRate, windows: b.windows },
    { itemsPerSec: cRate, windows: c.windows },
    options,
  );
  const repeatInterval = repeatChangeInterval(
    { merged: bRate, repeats: b.repeats?.itemsPerSec ?? [] },
    { merged: cRate, repeats: c.repeats?.itemsPerSec ?? [] },
    'lower',
    options.confidence,
  );
  return {
    kind: 'throughput',
    metric: 'throughput',
    ...judged(bRate, cRate, relativeChange(bRate, cRate, 'lower'), interval, repeatInterval, options.throughputThreshold),
  };
}

/** Each repeat's value of a percentile (ms), or none for a step that was not repeated (or an older report). */
function repeatValues(step: StepReport, metric: PercentileMetric): readonly (number | null)[] {
  const repeats = step.repeats;
  if (repeats === null || repeats === undefined) return [];
  const values = metric === 'p50' ? repeats.p50Ms : metric === 'p95' ? repeats.p95Ms : repeats.p99Ms;
  return values ?? [];
}

/**
 * Without a sampling interval (too few samples or windows) the metric stays inconclusive: a
 * repeats-only interval would judge percentiles no single repeat could support.
 */
function judged(
  baseline: number,
  candidate: number,
  change: number,
  samplingInterval: Interval | null,
  repeatInterval: Interval | null,
  threshold: number,
): IntervalJudgement {
  const interval = samplingInterval === null ? null : envelope(samplingInterval, repeatInterval);
  const exceedsThreshold = Math.abs(change) > threshold;
  const beyondNoise = interval !== null && (interval.low > 0 || interval.high < 0);
  const status: MetricStatus = !exceedsThreshold
    ? 'within-threshold'
    : interval === null
      ? 'inconclusive'
      : change > 0 && interval.low > 0
        ? 'regression'
        : change < 0 && interval.high < 0
          ? 'improvement'
          : 'noise';
  return { baseline, candidate, change, interval, repeatInterval, threshold, exceedsThreshold, beyondNoise, status };
}

function compareErrorRate(b: StepReport, c: StepReport): MetricComparison {
  const bTotal = b.completed + b.errors.total;
  const cTotal = c.completed + c.errors.total;
  if (bTotal === 0 || cTotal === 0)
    return { kind: 'missing', metric: 'errorRate', reason: `no items in the ${bTotal === 0 ? 'baseline' : 'candidate'}` };
  const bRate = b.errors.total / bTotal;
  const cRate = c.errors.total / cTotal;
  const pValue = higherRatePValue(b.errors.total, bTotal, c.errors.total, cTotal);
  const beyondNoise = pValue < ERROR_RATE_ALPHA;
  const status: MetricStatus = !beyondNoise ? 'within-threshold' : cRate > bRate ? 'regression' : 'improvement';
  return { kind: 'errorRate', metric: 'errorRate', baseline: bRate, candidate: cRate, change: cRate - bRate, pValue, beyondNoise, status };
}

/**
 * One-sided two-proportion z-test (pooled): p-value for "the candidate's rate is higher". For a
 * lower candidate rate it is the p-value of "lower", so an improvement can also be beyond the noise.
 */
export function higherRatePValue(bErrors: number, bTotal: number, cErrors: number, cTotal: number): number {
  const pooled = (bErrors + cErrors) / (bTotal + cTotal);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / bTotal + 1 / cTotal));
  if (se === 0) return 1; // both all-ok or both all-failed: no difference to test
  const z = Math.abs(cErrors / cTotal - bErrors / bTotal) / se;
  return 1 - normalCdf(z);
}

/** Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), enough for a 0.05 cut. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
