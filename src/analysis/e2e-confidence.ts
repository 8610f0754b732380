/**
 * A step's e2e percentiles with their honesty attached: a 95 % order-statistic interval and
 * whether the independent sample count supports the percentile by MLPerf's early-stopping rule
 * (at 99 %, as loadgen applies it). Items that ran in one model call share its latency, so a step
 * of n items at mean batch size b carries n / b independent samples.
 */
import type { LatencySummary } from '../core/measurement.js';
import type { E2eConfidenceReport, PercentileEstimate } from '../core/report/step.js';
import { minSamplesFor, percentileCi } from './percentile-confidence.js';

export const E2E_CONFIDENCE = 0.95;
/** MLPerf loadgen's confidence for the early-stopping minimum. */
export const MIN_SAMPLES_CONFIDENCE = 0.99;

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

function estimate(histogram: string, q: number, valueMs: number, samples: number): PercentileEstimate {
  const ci = percentileCi(histogram, q, E2E_CONFIDENCE, samples);
  const minSamples = minSamplesForQuantile(q);
  return { valueMs, lowMs: ci.lowMs, highMs: ci.highMs, samples, minSamples, supported: samples >= minSamples };
}

/** Null when the step measured nothing (no e2e summary or histogram, or no completed item). */
export function e2eConfidence(step: E2eConfidenceSubject): E2eConfidenceReport | null {
  const summary = step.latencyMs.e2e;
  const histogram = step.histograms.e2e;
  if (summary === undefined || histogram === undefined || step.completed <= 0) return null;
  const samples = independentSamples(step.completed, step.meanBatchSize);
  return {
    confidence: E2E_CONFIDENCE,
    p50: estimate(histogram, 0.5, summary.p50, samples),
    p95: estimate(histogram, 0.95, summary.p95, samples),
    p99: estimate(histogram, 0.99, summary.p99, samples),
  };
}
