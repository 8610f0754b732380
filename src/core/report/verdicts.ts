/** report.json's judgements: budget checks, recommendations, trade-off curves and alert findings. */
import type { AlertRule } from '../alert-rule.js';
import type { Stage } from '../stage.js';

export interface QueueShare {
  /** mean queue / mean e2e (0..1 for consistent data). */
  readonly ofMean: number;
  /** p50 queue / p50 e2e: the typical item, unmoved by a few long waits. */
  readonly ofP50: number;
}
export interface TradeoffPoint {
  readonly batchSize: number;
  readonly itemsPerSec: number;
  readonly speedup: number | null;
  readonly efficiency: number | null;
  /** T(2b) / T(b) - 1 when 2b was measured. */
  readonly gainPerDoubling: number | null;
  readonly p95Ms: number | null;
  /** 95 % order-statistic interval of the p95, from the e2e histogram; null without one. */
  readonly p95CiMs: { readonly lowMs: number | null; readonly highMs: number | null } | null;
  /** Whether the independent e2e samples support a p95 by MLPerf's early-stopping rule; null when unknown. */
  readonly p95Supported: boolean | null;
  /** Independent e2e samples (completed / mean batch size). */
  readonly samples: number;
  /** Items/s within the budget's p95 target; null without an e2e histogram. */
  readonly goodputPerSec: number | null;
  readonly queueShare: QueueShare | null;
  readonly withinBudget: boolean;
  readonly pareto: boolean;
}

export interface StageTradeoff {
  readonly stage: Stage;
  /** Which curve of the stage (batching mode, load level) when it has several; null when one. */
  readonly label: string | null;
  /** Complete steps of this stage, ascending batch size. */
  readonly points: readonly TradeoffPoint[];
  /** Smallest b from which every doubling gains less than `kneeGain`. */
  readonly knee: number | null;
  readonly kneeGain: number;
  /** Where the log2 throughput curve bends most (Kneedle). */
  readonly kneedle: number | null;
  readonly recommendation: Recommendation;
  /** Batch sizes of the Pareto set of (p95, items/s), ascending. */
  readonly pareto: readonly number[];
  readonly sentence: string;
}
export interface FindingBase {
  readonly rule: AlertRule;
  readonly stepIndex: number;
  readonly stage: Stage;
  readonly batchSize: number;
}

export type AlertFinding =
  | (FindingBase & {
      readonly kind: 'fired';
      /** Epoch ms at which the condition had held for `for` the first time. */
      readonly firedAtMs: number;
      /** The same moment, counted from the step's first window. */
      readonly firedAfterMs: number;
      /** Time in windows belonging to runs that fired (those runs whole). */
      readonly breachedMs: number;
      /** The metric's worst value in a firing run (ms, ratio or items/s, as the rule's metric). */
      readonly worstValue: number;
    })
  | (FindingBase & { readonly kind: 'quiet' })
  | (FindingBase & { readonly kind: 'not-evaluated'; readonly reason: string });
export interface BudgetCheck {
  readonly p95: boolean;
  readonly p99: boolean;
  readonly errorRate: boolean;
}

export interface Recommendation {
  readonly stage: Stage;
  /** Best batch size under budget; null when none met it. */
  readonly batchSize: number | null;
  readonly itemsPerSec: number | null;
  readonly p95Ms: number | null;
  /** One sentence with the reason, e.g. "batch 64: 28.0k items/s at p95 4.4 ms; 128 gains 9 % for 1.9x the latency". */
  readonly reason: string;
}
