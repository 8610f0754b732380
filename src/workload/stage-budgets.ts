/**
 * Which budget applies to which stage. The performance guide budgets two things: an API response
 * (api_response_time) and the whole ML pipeline (ml_pipeline). pipebench's stages map onto them:
 *   ml_pipeline       -> the pipeline stage (classify -> techniques -> generate, end to end)
 *   api_response_time -> classify and generate (one service call each)
 * A section the file leaves out falls back to the other one; the error-rate limit applies to all.
 */
import { STAGES, type Stage } from '../core/stage.js';
import type { AlertMetric } from '../core/alert-rule.js';
import type { Budget } from '../core/workload.js';

export type StageBudgets = Readonly<Record<Stage, Budget>>;

export type BudgetSection = 'api_response_time' | 'ml_pipeline';

export const SECTION_OF_STAGE = {
  classify: 'api_response_time',
  generate: 'api_response_time',
  pipeline: 'ml_pipeline',
} as const satisfies Record<Stage, BudgetSection>;

export interface LatencyLimits {
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/**
 * Per-stage budgets from the sections present; a missing section borrows the other's limits.
 * Returns null when both are missing (the caller reports that as an input error).
 */
export function stageBudgetsFromSections(
  sections: Readonly<Partial<Record<BudgetSection, LatencyLimits>>>,
  maxErrorRate: number,
): StageBudgets | null {
  const api = sections.api_response_time ?? sections.ml_pipeline;
  const pipeline = sections.ml_pipeline ?? sections.api_response_time;
  if (api === undefined || pipeline === undefined) return null;
  const budgetOf = (limits: LatencyLimits): Budget => ({ p95Ms: limits.p95Ms, p99Ms: limits.p99Ms, maxErrorRate });
  return mapStages((stage) => budgetOf(SECTION_OF_STAGE[stage] === 'ml_pipeline' ? pipeline : api));
}

/** The same budget for every stage: a run judged by its workload's single budget. */
export function uniformStageBudgets(budget: Budget): StageBudgets {
  return mapStages(() => budget);
}

export function mapStages<T>(value: (stage: Stage) => T): Readonly<Record<Stage, T>> {
  return Object.fromEntries(STAGES.map((stage) => [stage, value(stage)])) as Record<Stage, T>;
}

/** The stages whose steps an alert rule watches: a latency metric its own stages, the rest all. */
export const ALERT_METRIC_STAGES = {
  ml_pipeline_time: ['pipeline'],
  api_response_time: ['classify', 'generate'],
  error_rate: STAGES,
  throughput: STAGES,
} as const satisfies Record<AlertMetric, readonly Stage[]>;

export function alertWatches(metric: AlertMetric, stage: Stage): boolean {
  return (ALERT_METRIC_STAGES[metric] as readonly Stage[]).includes(stage);
}

/** True when every stage has the same limits (then one budget describes the run). */
export function isUniform(budgets: StageBudgets): boolean {
  const first = budgets[STAGES[0]];
  return STAGES.every((stage) => {
    const b = budgets[stage];
    return b.p95Ms === first.p95Ms && b.p99Ms === first.p99Ms && b.maxErrorRate === first.maxErrorRate;
  });
}
