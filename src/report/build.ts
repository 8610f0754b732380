/**
 * Steps and runs become reports: budget checks per step, speedup/efficiency across the steps of a
 * stage, a recommendation per stage. Pure: the caller supplies every fact and stamp.
 */
import { checkBudget, passesAll } from '../analysis/budget.js';
import { recommend } from '../analysis/recommend.js';
import { analyzeScaling } from '../analysis/scaling.js';
import type { StepMeasurement } from '../metrics/types.js';
import type { GpuStepReport, GpuTelemetryReport, HarnessHealthReport } from '../telemetry/types.js';
import { STAGES } from '../targets/target.js';
import type { Budget, Step, Workload } from '../workload/types.js';
import { redactWorkload } from './redact-workload.js';
import { REPORT_SCHEMA_VERSION, type OpenLoopReport, type Recommendation, type RunReport, type StepReport } from './types.js';

/**
 * One step's report. Speedup and efficiency need the stage's other steps, so they are null here
 * and filled by `buildRunReport`. A step that measured nothing is never complete.
 */
export function buildStepReport(
  step: Step,
  measurement: StepMeasurement,
  budget: Budget,
  complete = true,
  gpu: GpuStepReport | null = null,
  openLoop: OpenLoopReport | null = null,
): StepReport {
  const budgetChecks = checkBudget(measurement, budget);
  return {
    index: step.index,
    stage: step.stage,
    mode: step.mode,
    batchSize: step.batchSize,
    concurrency: step.concurrency,
    openLoop,
    maxQueueDelayMs: step.maxQueueDelayMs,
    maxNewTokens: step.stage === 'classify' ? null : step.maxNewTokens,
    ...measurement,
    speedup: null,
    efficiency: null,
    withinBudget: passesAll(budgetChecks),
    budgetChecks,
    complete: complete && measurement.completed > 0,
    gpu,
  };
}

/** What the caller knows; the rest of RunReport (scaling, recommendation, budgetMet) is computed. */
export type RunReportParts = Pick<
  RunReport,
  | 'runId'
  | 'startedAt'
  | 'finishedAt'
  | 'partial'
  | 'interruptedBy'
  | 'environment'
  | 'target'
  | 'backend'
  | 'models'
  | 'workload'
  | 'steps'
  | 'warnings'
> & {
  /** Judge against this instead of the workload's budget (re-analysis with a budgets file). */
  readonly budget?: Budget;
  readonly gpuTelemetry?: GpuTelemetryReport | null;
  readonly harnessHealth?: HarnessHealthReport | null;
};

export function buildRunReport(parts: RunReportParts): RunReport {
  const budget = parts.budget ?? parts.workload.budget;
  const steps = withScaling(parts.steps.map((step) => rejudge(step, budget)), parts.workload);
  const recommendation: Recommendation[] = STAGES.filter((stage) => steps.some((step) => step.stage === stage)).map((stage) =>
    recommend(
      stage,
      steps.filter((step) => step.stage === stage && step.complete),
      budget,
    ),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: parts.runId,
    startedAt: parts.startedAt,
    finishedAt: parts.finishedAt,
    partial: parts.partial,
    interruptedBy: parts.interruptedBy,
    environment: parts.environment,
    target: parts.target,
    backend: parts.backend,
    models: parts.models,
    workload: redactWorkload(parts.workload),
    budget,
    steps,
    recommendation,
    budgetMet: recommendation.length > 0 && recommendation.every((rec) => rec.batchSize !== null),
    warnings: [...parts.warnings, ...stepWarnings(steps).filter((warning) => !parts.warnings.includes(warning))],
    gpuTelemetry: parts.gpuTelemetry ?? null,
    harnessHealth: parts.harnessHealth ?? null,
  };
}

function rejudge(step: StepReport, budget: Budget): StepReport {
  const budgetChecks = checkBudget(step, budget);
  return { ...step, budgetChecks, withinBudget: passesAll(budgetChecks) };
}

/**
 * Speedup/efficiency within each stage, batching mode (dynamic and static curves differ) and load
 * level (a listed concurrency or an open-loop rate: one batch-size curve per level), over
 * complete steps only: an interrupted step's throughput must not become another step's base.
 */
function withScaling(steps: readonly StepReport[], workload: Workload): StepReport[] {
  const out = [...steps];
  const groups = new Map<string, number[]>();
  const listedLevels = new Set(workload.stages.filter((spec) => spec.concurrency !== 'auto').map((spec) => spec.stage));
  steps.forEach((step, i) => {
    if (!step.complete) return;
    // "auto" concurrency follows the batch size, so it is one curve, not a level per step.
    const level = step.openLoop ? `rate ${step.openLoop.targetRatePerSec}` : listedLevels.has(step.stage) ? `x${step.concurrency}` : '';
    const key = `${step.stage}/${step.mode}/${level}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indices of groups.values()) {
    const analysis = analyzeScaling(
      indices.map((i) => ({ batchSize: steps[i]?.batchSize ?? 0, itemsPerSec: steps[i]?.throughput.itemsPerSec ?? 0 })),
    );
    indices.forEach((stepIndex, k) => {
      const step = steps[stepIndex];
      const point = analysis.points[k];
      if (step && point) out[stepIndex] = { ...step, speedup: point.speedup, efficiency: point.efficiency };
    });
  }
  return out;
}

function stepWarnings(steps: readonly StepReport[]): string[] {
  const warnings: string[] = [];
  for (const step of steps) {
    const name = `step ${step.index} (${step.stage} batch ${step.batchSize})`;
    if (!step.complete) warnings.push(`${name} did not complete; it is kept in the report but left out of the recommendation`);
    if (step.errors.total > 0) {
      const byClass = Object.entries(step.errors.byClass)
        .map(([errorClass, count]) => `${errorClass} ${count}`)
        .join(', ');
      warnings.push(`${name} had ${step.errors.total} failed items (${byClass})`);
    }
  }
  return warnings;
}
