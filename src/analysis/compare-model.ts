/** What `pipebench compare` returns: the metrics it judges, its options, and each step pair's verdicts. */
import type { ServerParams } from '../core/server-config.js';
import type { Stage } from '../core/stage.js';
import type { BatchMode } from '../core/workload.js';
import type { Interval } from './bootstrap.js';
import type { Difference } from './comparable.js';

export const COMPARE_METRICS = ['p50', 'p95', 'p99', 'throughput', 'errorRate'] as const;

export type CompareMetric = (typeof COMPARE_METRICS)[number];

export type PercentileMetric = 'p50' | 'p95' | 'p99';

export const PERCENTILE_OF = { p50: 50, p95: 95, p99: 99 } as const satisfies Record<PercentileMetric, number>;

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
  /** Server sweeps: the launched server's configuration (parameters in name order); absent otherwise. */
  readonly serverConfig?: ServerParams;
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
