/**
 * A step's e2e percentiles with their honesty attached: a 95 % order-statistic interval and
 * whether the independent sample count supports the percentile by MLPerf's early-stopping rule
 * (at 99 %, as loadgen applies it). Items that ran in one model call share its latency, so a step
 * of n items at mean batch size b carries n / b independent samples.
 */
import type { LatencySummary, WindowStat } from '../core/measurement.js';
import type { E2eConfidenceReport, PercentileEstimate, PrecisionReport } from '../core/report/step.js';
import { decodeHistogram, percentileMs, type Histogram } from '../metrics/histogram.js';
import { minSamplesFor, percentileCiOf } from './percentile-confidence.js';

export const E2E_CONFIDENCE = 0.95;
/** MLPerf loadgen's confidence for the early-stopping minimum. */
export const MIN_SAMPLES_CONFIDENCE = 0.99;
/** So that a half-width of exactly the precision counts as within it despite float rounding. */
const FLOAT_SLACK = 1e-12;

/** What the estimate needs of a step; a StepMeasurement fits. */
export interface E2eConfidenceSubject {
  readonly completed: number;
  readonly meanBatchSize: number;
  readonly latencyMs: { readonly e2e?: Pick<LatencySummary, 'p50' | 'p95' | 'p99'> };
  readonly histograms: { readonly e2e?: string };
}

/** Whole independent samples: completed items / mean model-call size (at least 1 per call). */
export function independentSamples(completed: number, meanBatchSize: number): number {
  return Math.floor(completed / Math.max(1, meanBatchSize));
}

/** Samples MLPerf's rule needs for the q-quantile (q a fraction): p50 7, p95 90, p99 459. */
export function minSamplesForQuantile(q: number): number {
  return minSamplesFor(q, MIN_SAMPLES_CONFIDENCE);
}

function estimate(histogram: Histogram, q: number, valueMs: number, samples: number): PercentileEstimate {
  const ci = percentileCiOf(histogram, q, E2E_CONFIDENCE, samples);
  const minSamples = minSamplesForQuantile(q);
  return { valueMs, lowMs: ci.lowMs, highMs: ci.highMs, samples, minSamples, supported: samples >= minSamples };
}

/** The e2e p95 estimate of a step while it runs (its recorder's histogram so far); null before any item. */
export function p95SoFar(histogram: Histogram, completed: number, meanBatchSize: number): PercentileEstimate | null {
  const valueMs = percentileMs(histogram, 95);
  if (valueMs === null || completed <= 0) return null;
  return estimate(histogram, 0.95, valueMs, independentSamples(completed, meanBatchSize));
}

/**
 * How far the interval reaches from the estimate, as a fraction of it: max(value - low, high -
 * value) / value. Null when a side is unbounded (too few samples) or the estimate is 0.
 */
export function intervalHalfWidthRatio(estimate: Pick<PercentileEstimate, 'valueMs' | 'lowMs' | 'highMs'>): number | null {
  const { valueMs, lowMs, highMs } = estimate;
  if (lowMs === null || highMs === null || !(valueMs > 0)) return null;
  return Math.max(valueMs - lowMs, highMs - valueMs) / valueMs;
}

/** Whether the estimate is supported (MLPerf's minimum) and its interval within +-precision. */
export function reachesPrecision(estimate: PercentileEstimate, precision: number): boolean {
  const ratio = intervalHalfWidthRatio(estimate);
  return estimate.supported && ratio !== null && ratio <= precision + FLOAT_SLACK;
}

/** Null when the step measured nothing (no e2e summary or histogram, or no completed item). */
export function e2eConfidence(step: E2eConfidenceSubject): E2eConfidenceReport | null {
  const summary = step.latencyMs.e2e;
  const histogram = step.histograms.e2e;
  if (summary === undefined || histogram === undefined || step.completed <= 0) return null;
  const samples = independentSamples(step.completed, step.meanBatchSize);
  const decoded = decodeHistogram(histogram);
  return {
    confidence: E2E_CONFIDENCE,
    p50: estimate(decoded, 0.5, summary.p50, samples),
    p95: estimate(decoded, 0.95, summary.p95, samples),
    p99: estimate(decoded, 0.99, summary.p99, samples),
  };
}

/** An adaptive step's precision: asked for, reached by its e2e p95 at the end, and its window length. */
export function precisionReport(target: number, confidence: E2eConfidenceReport | null, windows: readonly WindowStat[]): PrecisionReport {
  const p95 = confidence?.p95;
  const first = windows[0];
  return {
    target,
    reached: p95 === undefined ? null : intervalHalfWidthRatio(p95),
    met: p95 !== undefined && reachesPrecision(p95, target),
    windowMs: first === undefined ? 0 : first.endMs - first.startMs,
  };
}
