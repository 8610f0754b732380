/**
 * `pipebench compare`: a candidate run against a baseline, step by step. A metric is a regression
 * only when its change is past the degradation threshold AND the bootstrap interval of the change
 * lies wholly on the worse side of 0 (the change is beyond the noise).
 */
import { decodeHistogram } from '../metrics/histogram.js';
import type { RunReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';
import type { Stage } from '../core/stage.js';
import type { BatchMode } from '../core/workload.js';
import {
  cumulativeCounts,
  MIN_WINDOWS,
  percentileChangeInterval,
  percentileUs,
  relativeChange,
  throughputChangeInterval,
  type CumulativeCounts,
  type Interval,
  type PercentileSample,
} from './bootstrap.js';
import type { Difference } from './comparable.js';
import { minSamplesFor } from './percentile-confidence.js';
import { envelope, repeatChangeInterval } from './repeat-noise.js';

export const COMPARE_METRICS = ['p50', 'p95', 'p99', 'throughput', 'errorRate'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];
export type PercentileMetric = 'p50' | 'p95' | 'p99';

const PERCENTILE_OF = { p50: 50, p95: 95, p99: 99 } as const satisfies Record<PercentileMetric, number>;

/** Error rate: one-sided two-proportion z-test at this level, candidate above baseline. */
export const ERROR_RATE_ALPHA = 0.05;

export interface CompareOptions {
  /** Relative degradation past which a latency percentile may regress (0.10 = 10 %). */
  readonly latencyThreshold: number;
  readonly throughputThreshold: number;
  readonly metrics: readonly CompareMetric[];
  readonly resamples: number;
  readonly seed: number;
  readonly confidence: number;
  /** Comparability differences the caller accepted (--force); each becomes a warning. */
  readonly differences: readonly Difference[];
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  latencyThreshold: 0.1,
  throughputThreshold: 0.1,
  metrics: COMPARE_METRICS,
  resamples: 1000,
  seed: 1,
  confidence: 0.95,
  differences: [],
};

/**
 * regression / improvement: past the threshold and beyond the noise; within-threshold: not past it;
 * noise: past it, but the interval crosses 0; inconclusive: past it, too few samples for an interval.
 */
export type MetricStatus = 'regression' | 'improvement' | 'within-threshold' | 'noise' | 'inconclusive';

/** A latency percentile or throughput, judged by threshold and bootstrap interval. */
export interface IntervalJudgement {
  /** ms for latency, items/s for throughput. */
  readonly baseline: number;
  readonly candidate: number;
  /** Relative change, positive = worse. */
  readonly change: number;
  /** Sampling noise (bootstrap) and, when a side was repeated, run-to-run noise: the envelope of both. */
  readonly interval: Interval | null;
  /** The run-to-run part alone (from the repeats' spread); null when neither side was repeated. */
  readonly repeatInterval: Interval | null;
  readonly threshold: number;
  readonly exceedsThreshold: boolean;
  readonly beyondNoise: boolean;
  readonly status: MetricStatus;
}

export type MetricComparison =
  | ({ readonly kind: 'latency'; readonly metric: PercentileMetric } & IntervalJudgement)
  | ({ readonly kind: 'throughput'; readonly metric: 'throughput' } & IntervalJudgement)
  | {
      readonly kind: 'errorRate';
      readonly metric: 'errorRate';
      readonly baseline: number;
      readonly candidate: number;
      /** Absolute change in rate (0.01 = one percentage point), positive = worse. */
      readonly change: number;
      /** One-sided p-value that the candidate's rate is higher. */
      readonly pValue: number;
      readonly beyondNoise: boolean;
      readonly status: MetricStatus;
    }
  | { readonly kind: 'missing'; readonly metric: CompareMetric; readonly reason: string };

export type JudgedMetric = Exclude<MetricComparison, { kind: 'missing' }>;

export interface StepKey {
  readonly stage: Stage;
  readonly mode: BatchMode;
  readonly batchSize: number;
  readonly concurrency: number | null;
  readonly targetRatePerSec: number | null;
}

export interface StepPair {
  readonly key: StepKey;
  readonly label: string;
  readonly baselineIndex: number;
  readonly candidateIndex: number;
  /** "incomplete in candidate", "baseline run partial": compared, but read with care. */
  readonly marks: readonly string[];
  readonly metrics: readonly MetricComparison[];
}

export interface UnpairedStep {
  readonly side: 'baseline' | 'candidate';
  readonly index: number;
  readonly label: string;
}

export interface CompareResult {
  readonly verdict: 'PASS' | 'FAIL';
  /** One line per regression: "pipeline batch 16: p95 +24.8 % (95 % CI +19.1 % .. +30.2 %) exceeds 15 %". */
  readonly reasons: readonly string[];
  readonly improvements: readonly string[];
  /** Past a threshold but not judged: too few samples or windows for an interval. */
  readonly inconclusive: readonly string[];
  readonly runs: { readonly baseline: string; readonly candidate: string };
  readonly thresholds: { readonly latency: number; readonly throughput: number };
  readonly method: {
    readonly percentiles: string;
    readonly throughput: string;
    readonly errorRate: string;
    readonly runToRun: string;
    readonly resamples: number;
    readonly seed: number;
    readonly confidence: number;
  };
  readonly pairs: readonly StepPair[];
  readonly unpaired: readonly UnpairedStep[];
  readonly differences: readonly Difference[];
  readonly warnings: readonly string[];
}

export function compareRuns(baseline: RunReport, candidate: RunReport, options: CompareOptions = DEFAULT_COMPARE_OPTIONS): CompareResult {
  const { pairs, unpaired } = pairSteps(baseline.steps, candidate.steps);
  const compared = pairs.map(({ key, label, b, c }): StepPair => ({
    key,
    label,
    baselineIndex: b.index,
    candidateIndex: c.index,
    marks: marksFor(baseline, b, 'baseline').concat(marksFor(candidate, c, 'candidate')),
    metrics: options.metrics.map((metric) => compareMetric(metric, b, c, options)),
  }));
  const lines = (status: MetricStatus): string[] =>
    compared.flatMap((pair) =>
      pair.metrics.filter((m): m is JudgedMetric => m.kind !== 'missing' && m.status === status).map((m) => describeChange(pair.label, m, options.confidence)),
    );
  const reasons = lines('regression');
  return {
    verdict: reasons.length === 0 ? 'PASS' : 'FAIL',
    reasons,
    improvements: lines('improvement'),
    inconclusive: lines('inconclusive'),
    runs: { baseline: baseline.runId, candidate: candidate.runId },
    thresholds: { latency: options.latencyThreshold, throughput: options.throughputThreshold },
    method: {
      percentiles:
        'bootstrap of each e2e percentile from the stored HDR histograms, each side resampled with its counts, items / mean batch size draws (items of one model call share its latency)',
      throughput: 'bootstrap of items/s over the 1 s measurement windows, each side resampled',
      errorRate: `one-sided two-proportion z-test: a regression when the candidate's rate is higher with p < ${ERROR_RATE_ALPHA}`,
      runToRun:
        'when a side was repeated (--repeat N): a Welch t interval on ln(value) across the repeats, centred on the merged change; the interval judged is the envelope of it and the bootstrap',
      resamples: options.resamples,
      seed: options.seed,
      confidence: options.confidence,
    },
    pairs: compared,
    unpaired,
    differences: options.differences,
    warnings: [
      ...options.differences.map((d) => `not comparable, compared anyway (--force): ${d.field} differs (baseline ${d.baseline}, candidate ${d.candidate})`),
      ...(repeated(baseline) || repeated(candidate) ? [] : [UNREPEATED_WARNING]),
    ],
  };
}

/** Said whenever neither run was repeated: the intervals then cannot see drift between runs. */
export const UNREPEATED_WARNING =
  'neither run was repeated: the intervals cover sampling noise within each run, not drift from run to run; for sign-off, run both with --repeat 3 or more';

function repeated(report: RunReport): boolean {
  return report.steps.some((step) => (step.repeats?.itemsPerSec.length ?? 0) >= 2);
}

function keyOf(step: StepReport): StepKey {
  return {
    stage: step.stage,
    mode: step.mode,
    batchSize: step.batchSize,
    concurrency: step.concurrency,
    targetRatePerSec: step.openLoop?.targetRatePerSec ?? null,
  };
}

export function stepLabel(key: StepKey): string {
  const parts = [`${key.stage} batch ${key.batchSize}`];
  if (key.mode === 'static') parts.push('static');
  if (key.concurrency !== null) parts.push(`concurrency ${key.concurrency}`);
  if (key.targetRatePerSec !== null) parts.push(`at ${key.targetRatePerSec}/s`);
  return parts.join(' ');
}

/** The short label ("pipeline batch 16") when it is unique within each run, else the full one. */
function labeller(runs: readonly (readonly StepReport[])[]): (key: StepKey) => string {
  const short = (key: StepKey): string => `${key.stage} batch ${key.batchSize}`;
  const ambiguous = new Set<string>();
  for (const steps of runs) {
    const seen = new Set<string>();
    for (const step of steps) {
      const text = short(keyOf(step));
      if (seen.has(text)) ambiguous.add(text);
      seen.add(text);
    }
  }
  return (key) => (ambiguous.has(short(key)) || key.mode === 'static' ? stepLabel(key) : short(key));
}

/** Each step pairs with the first unpaired step of the other run that has the same key. */
function pairSteps(baseline: readonly StepReport[], candidate: readonly StepReport[]) {
  const label = labeller([baseline, candidate]);
  const keyText = (step: StepReport): string => JSON.stringify(keyOf(step));
  const open = new Map<string, StepReport[]>();
  for (const step of candidate) open.set(keyText(step), [...(open.get(keyText(step)) ?? []), step]);
  const pairs: { key: StepKey; label: string; b: StepReport; c: StepReport }[] = [];
  const unpaired: UnpairedStep[] = [];
  for (const b of baseline) {
    const c = open.get(keyText(b))?.shift();
    if (c === undefined) unpaired.push({ side: 'baseline', index: b.index, label: label(keyOf(b)) });
    else pairs.push({ key: keyOf(b), label: label(keyOf(b)), b, c });
  }
  for (const rest of open.values()) {
    for (const c of rest) unpaired.push({ side: 'candidate', index: c.index, label: label(keyOf(c)) });
  }
  return { pairs, unpaired };
}

function marksFor(report: RunReport, step: StepReport, side: 'baseline' | 'candidate'): string[] {
  const marks: string[] = [];
  if (report.partial) marks.push(`${side} run partial`);
  if (!step.complete) marks.push(`incomplete in ${side}`);
  return marks;
}

function compareMetric(metric: CompareMetric, b: StepReport, c: StepReport, options: CompareOptions): MetricComparison {
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
    ...judged(baselineUs / 1000, candidateUs / 1000, relativeChange(baselineUs, candidateUs, 'higher'), interval, repeatInterval, options.latencyThreshold),
  };
}

function compareThroughput(b: StepReport, c: StepReport, options: CompareOptions): MetricComparison {
  const bRate = b.throughput.itemsPerSec;
  const cRate = c.throughput.itemsPerSec;
  if (!(bRate > 0)) return { kind: 'missing', metric: 'throughput', reason: 'the baseline step completed nothing' };
  const interval = throughputChangeInterval({ itemsPerSec: bRate, windows: b.windows }, { itemsPerSec: cRate, windows: c.windows }, options);
  const repeatInterval = repeatChangeInterval(
    { merged: bRate, repeats: b.repeats?.itemsPerSec ?? [] },
    { merged: cRate, repeats: c.repeats?.itemsPerSec ?? [] },
    'lower',
    options.confidence,
  );
  return { kind: 'throughput', metric: 'throughput', ...judged(bRate, cRate, relativeChange(bRate, cRate, 'lower'), interval, repeatInterval, options.throughputThreshold) };
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
  if (bTotal === 0 || cTotal === 0) return { kind: 'missing', metric: 'errorRate', reason: `no items in the ${bTotal === 0 ? 'baseline' : 'candidate'}` };
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

/** "+24.8 %" with one decimal and a sign, for changes. */
export function formatSignedPct(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+inf' : '-inf';
  const pct = fraction * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`;
}

/** A pct with up to one decimal: 0.15 -> "15 %", 0.125 -> "12.5 %". */
export function formatThresholdPct(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`;
}

function describeChange(label: string, m: JudgedMetric, confidence: number): string {
  const name = m.metric === 'throughput' ? 'throughput' : m.metric;
  if (m.kind === 'errorRate') {
    const pct = (r: number): string => `${Number((r * 100).toFixed(2))} %`;
    return `${label}: error rate ${pct(m.baseline)} -> ${pct(m.candidate)} (two-proportion z-test p = ${m.pValue.toPrecision(2)} < ${ERROR_RATE_ALPHA})`;
  }
  const tooFew =
    m.kind === 'throughput'
      ? `no interval: fewer than ${MIN_WINDOWS} windows on a side`
      : `no interval: ${m.metric} needs ${minSamplesFor(PERCENTILE_OF[m.metric] / 100, confidence)} independent samples a side`;
  const ci = m.interval === null ? tooFew : `${formatThresholdPct(confidence)} CI ${formatSignedPct(m.interval.low)} .. ${formatSignedPct(m.interval.high)}`;
  const verb = m.status === 'improvement' ? 'improves past' : 'exceeds';
  return `${label}: ${name} ${formatSignedPct(m.change)} (${ci}) ${verb} ${formatThresholdPct(m.threshold)}`;
}
