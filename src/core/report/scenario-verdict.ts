/**
 * What each scenario is run for, as report.json `scenario.verdict`. Every verdict says whether it
 * passed and, in one sentence, why; times are offsets in ms from the scenario's start.
 */

/** steady: the percentiles over the hold, and whether they held in every window. */
export interface SteadyVerdict {
  readonly kind: 'steady';
  readonly passed: boolean;
  readonly summary: string;
  /** Over the whole steady hold (merged histograms), null when nothing completed. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly errorRate: number;
  /** Windows with enough samples to judge, and of those the ones within the p95 budget and error rate. */
  readonly windowsJudged: number;
  readonly windowsWithinBudget: number;
  readonly heldWholeDuration: boolean;
  /** The first window that broke the budget; null when none did. */
  readonly firstBreachAtMs: number | null;
}

/** spike: what the spike did, and how long p95 took to come back afterwards. */
export interface SpikeVerdict {
  readonly kind: 'spike';
  readonly passed: boolean;
  readonly summary: string;
  /** p95 over the windows of the hold before the spike; null when there was none to judge. */
  readonly preSpikeP95Ms: number | null;
  /** Worst window p95 and the error rate from the start of the rise to the end of the fall. */
  readonly spikeWorstP95Ms: number | null;
  readonly spikeErrorRate: number;
  readonly spikeStartAtMs: number;
  readonly spikeEndAtMs: number;
  /**
   * From the end of the spike until p95 is back within 10 % of the pre-spike p95 (and stays there
   * for the windows that follow); null when it never came back before the run ended.
   */
  readonly recoveryMs: number | null;
  readonly recoveryTargetMs: number;
}

export type DriftDirection = 'flat' | 'worse' | 'better';

/** A fitted trend over the soak: slope per hour, as a share of the fitted start value. */
export interface DriftFit {
  readonly slopePerHour: number;
  /** slopePerHour / fitted value at the start; null when that is 0. */
  readonly relativePerHour: number | null;
  /** Relative change over the whole soak, fitted start to fitted end. */
  readonly relativeOverRun: number | null;
  readonly direction: DriftDirection;
  readonly points: number;
}

export type LeakVerdictKind = 'no-leak' | 'suspected' | 'leak' | 'unknown';

export interface SoakVerdict {
  readonly kind: 'soak';
  readonly passed: boolean;
  readonly summary: string;
  readonly p95Drift: DriftFit | null;
  readonly throughputDrift: DriftFit | null;
  readonly leak: {
    readonly verdict: LeakVerdictKind;
    readonly reason: string;
    readonly rssStartBytes: number | null;
    readonly rssEndBytes: number | null;
    readonly rssDrift: DriftFit | null;
    readonly heapDrift: DriftFit | null;
    readonly tfTensorsStart: number | null;
    readonly tfTensorsEnd: number | null;
    readonly tfBytesDrift: DriftFit | null;
  };
}

/** One held load level of a stress run. */
export interface StressLevel {
  readonly level: number;
  readonly itemsPerSec: number;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly errorRate: number;
  readonly withinBudget: boolean;
}

export interface StressVerdict {
  readonly kind: 'stress';
  readonly passed: boolean;
  readonly summary: string;
  readonly levels: readonly StressLevel[];
  /** The first level where the budget or the error rate failed; null when none did. */
  readonly breakingLevel: number | null;
  readonly breakingReason: string | null;
  /** The highest level below the breaking point that met the budget; null when the first failed. */
  readonly maxSustainableLevel: number | null;
  /**
   * From the breaking level on (each against the level before it): throughput stayed >= 80 % of
   * the best level's and the error rate never rose by more than 50 points in one level; null when
   * nothing broke.
   */
  readonly graceful: boolean | null;
}

export type ScenarioVerdict = SteadyVerdict | SpikeVerdict | SoakVerdict | StressVerdict;
