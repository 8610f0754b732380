/** report.json `steps[]`: one measured step with what analysis judged of it. */
import type { Bottleneck } from './bottleneck.js';
import type { ServerParams } from '../server-config.js';
import type { ServerStepMetrics } from './server-metrics.js';
import type { StepMeasurement } from '../measurement.js';
import type { Stage } from '../stage.js';
import type { ArrivalProcess, StepProfile } from '../workload.js';
import type { GpuStepReport } from './telemetry.js';
import type { BudgetCheck } from './verdicts.js';

/** An open-loop step: the rate asked for against what the driver managed to send. */
export interface OpenLoopReport {
  readonly process: ArrivalProcess;
  readonly targetRatePerSec: number;
  /** Measured sends / the span from the first to the last measured send. */
  readonly achievedRatePerSec: number;
  readonly maxInFlight: number | null;
  /** Measured sends issued (each carries batchSize items). */
  readonly sends: number;
  /** Sends issued more than lateThresholdMs after their scheduled time (timer lag or the in-flight cap). */
  readonly lateSends: number;
  readonly lateShare: number; // 0..1
  readonly lateThresholdMs: number;
  readonly maxLateMs: number;
}

/** Whether a step's measurement settled (the last N windows' p95 and throughput agree within tolerance + sampling error). */
export interface StabilityReport {
  readonly kind: 'stable' | 'unstable' | 'not-judged';
  readonly reason: string;
  readonly p95Spread: number | null;
  readonly throughputSpread: number | null;
  /**
   * The spread (max / min - 1) those windows reach 19 times in 20 from sampling alone, given their
   * call counts (analysis/window-sampling-error.ts): a spread within tolerance + this is settled.
   * Null when not judged or the windows could not tell it; absent in reports written before it
   * was kept and where repeats or shards merged.
   */
  readonly p95SamplingError?: number | null;
  readonly throughputSamplingError?: number | null;
  /** How much the step ran past its planned measurement to settle (0 when it did not extend). */
  readonly extendedMs: number;
}

/** A percentile with its distribution-free confidence interval and whether n can support it. */
export interface PercentileEstimate {
  readonly valueMs: number;
  readonly lowMs: number | null;
  readonly highMs: number | null;
  /** Independent samples behind it (items / mean batch size) against MLPerf's minimum for it. */
  readonly samples: number;
  readonly minSamples: number;
  readonly supported: boolean;
}

/** Per step, the e2e percentiles with their honesty attached; null when nothing was measured. */
export interface E2eConfidenceReport {
  readonly confidence: number; // e.g. 0.95
  readonly p50: PercentileEstimate;
  readonly p95: PercentileEstimate;
  readonly p99: PercentileEstimate;
}

/** --repeat N: the same step measured N times (histograms merged into the step), and the spread. */
export interface RepeatReport {
  readonly itemsPerSec: readonly number[];
  readonly p95Ms: readonly (number | null)[];
  /** Absent in reports written before compare used them for run-to-run noise. */
  readonly p50Ms?: readonly (number | null)[];
  readonly p99Ms?: readonly (number | null)[];
}

/**
 * requests / duration: the planned length (with both, the first reached); stable: measured past
 * that length until its windows settled; precision: an adaptive step whose e2e p95 interval
 * reached +-measure.precision (and whose windows settled, with stability on); maxWindows: an
 * adaptive step that measured measure.maxWindows windows without that; maxDuration: the
 * hard limit (an adaptive step's time cap), which wins over all of them; aborted: interrupted
 * (scenario stages: stopped before their end).
 */
export type MeasureEndReason = 'requests' | 'duration' | 'stable' | 'precision' | 'maxWindows' | 'maxDuration' | 'aborted';

/** An adaptive step (measure.precision): the p95 interval asked for and the one it ended with. */
export interface PrecisionReport {
  /** The half-width asked for, as a fraction of the p95 (0.05: +-5 %). */
  readonly target: number;
  /** max(p95 - low, high - p95) / p95 of the step's e2e p95 interval; null when a side is unbounded. */
  readonly reached: number | null;
  /** reached <= target and the p95 supported (MLPerf's minimum of independent samples). */
  readonly met: boolean;
  /** The step's window length (ms), sized to hold ~20 model calls (windows[] has every window). */
  readonly windowMs: number;
}

export interface StepReport extends StepMeasurement {
  readonly index: number;
  readonly stage: Stage;
  readonly mode: 'dynamic' | 'static';
  readonly batchSize: number;
  /** Closed loop: items in flight; null for open-loop steps. */
  readonly concurrency: number | null;
  /**
   * The mean in flight the step really held while it sent its measured load (inFlight's area / span),
   * in the unit of `concurrency` (HTTP: requests on the wire); open-loop steps too. null when not
   * known; absent in reports written before it was kept.
   */
  readonly achievedConcurrency?: number | null;
  /** Open-loop steps only; null for closed-loop steps. */
  readonly openLoop: OpenLoopReport | null;
  readonly maxQueueDelayMs: number;
  readonly maxNewTokens: number | null;
  /** T(b) / T(smallest b of this stage); null when that step has no throughput. */
  readonly speedup: number | null;
  /** speedup / (b / smallest b): 1.0 = perfect scaling. */
  readonly efficiency: number | null;
  readonly withinBudget: boolean;
  readonly budgetChecks: BudgetCheck;
  /**
   * False when the step ended early (interrupted, requests abandoned) or recorded no item. A step
   * whose every item failed is complete: it measured an error rate of 1. A step its hard limit
   * (maxDuration) stopped before `requested` is complete, with measured < requested and a warning.
   */
  readonly complete: boolean;
  /**
   * Items the plan asked the step to measure (measure.requests, times the repeats); null when it
   * measures by time only. Absent in reports written before these counts were kept.
   */
  readonly requested?: number | null;
  /** Items it measured, answered or failed. */
  readonly measured?: number;
  /** What ended the measurement (repeats: an interrupt or the hard limit in any of them, else the last one's reason). */
  readonly endedBy?: MeasureEndReason;
  /** What the GPU(s) did during the step's measured window; null when telemetry was off. */
  readonly gpu: GpuStepReport | null;
  /** null when stability was not checked for this step. */
  readonly stability: StabilityReport | null;
  readonly e2eConfidence: E2eConfidenceReport | null;
  /** Adaptive steps (measure.precision) only; null for a fixed plan. Absent in older reports. */
  readonly precision?: PrecisionReport | null;
  /** null unless the run repeated its sweep. */
  readonly repeats: RepeatReport | null;
  /**
   * The step's first model call (ms, the slowest instance's), made before its load and kept out of
   * its histograms; null over HTTP and for scenario stages. Absent in reports written before.
   */
  readonly coldStartMs?: number | null;
  /** Scenario steps only: the load stage this step measured (items are assigned by send time). */
  readonly profile?: StepProfile;
  /** What the server's own metrics said about the step; null when none were scraped. Absent in older reports. */
  readonly serverMetrics?: ServerStepMetrics | null;
  /** What limited the step, with its evidence. Absent in older reports. */
  readonly bottleneck?: Bottleneck;
  /** Server sweeps (workload `server:`): the launched server's parameter values for this step. */
  readonly serverConfig?: ServerParams;
  /** Server sweeps: that server's stdout and stderr, relative to the report folder. */
  readonly serverLog?: string;
}
