/**
 * Steps and runs become reports: budget checks per step (each against its stage's budget),
 * speedup/efficiency across the steps of a stage, trade-offs, alert findings and a recommendation
 * per stage. Pure: the caller supplies every fact and stamp.
 */
import { evaluateAlerts } from './alerts.js';
import { heldLoadWarning } from './held-load.js';
import { judgeBottleneck, type BottleneckContext } from './bottleneck.js';
import { checkBudget, passesAll } from './budget.js';
import { e2eConfidence, precisionReport } from './e2e-confidence.js';
import { recommend } from './recommend.js';
import { judgeScenario } from './scenario.js';
import { curveKey, curveLabel, withScaling } from './step-curves.js';
import { uniformStageBudgets, type StageBudgets } from '../workload/stage-budgets.js';
import { stageTradeoff } from './tradeoff.js';
import { type StageTradeoff } from '../core/report/verdicts.js';
import { meanInFlight, measuredItems, type StepMeasurement } from '../core/measurement.js';
import type { ServerStepMetrics } from '../core/report/server-metrics.js';
import type { ServerSweepFacts } from '../core/report/server-sweep.js';
import { judgeServerSweep } from './server-choice.js';
import type { GpuStepReport, GpuTelemetryReport, HarnessHealthReport, HostReport } from '../core/report/telemetry.js';
import { STAGES } from '../core/stage.js';
import type { AlertRule } from '../core/alert-rule.js';
import type { Budget, Step, Workload } from '../core/workload.js';
import { redactWorkload } from './redact-workload.js';
import { REPORT_SCHEMA_VERSION, type RunReport, type SearchReport } from '../core/report/run.js';
import { type ScenarioFacts, type ScenarioReport } from '../core/report/scenario.js';
import {
  type MeasureEndReason,
  type OpenLoopReport,
  type RepeatReport,
  type StabilityReport,
  type StepReport,
} from '../core/report/step.js';
import { type Recommendation } from '../core/report/verdicts.js';

/** What the runner knows of a step beyond its measurement; absent = not checked / not repeated. */
export interface StepReportOptions {
  readonly stability?: StabilityReport | null;
  readonly repeats?: RepeatReport | null;
  /** Default: the step's measure.requests (null without one). */
  readonly requested?: number | null;
  /** Absent: not known (the field is left out). */
  readonly endedBy?: MeasureEndReason;
  /** What the scraped servers said; absent: nothing was scraped (the field is left out). */
  readonly serverMetrics?: ServerStepMetrics | null;
  /** The step's first model call (in process only); absent: null. */
  readonly coldStartMs?: number | null;
}

/**
 * One step's report. Speedup and efficiency need the stage's other steps, so they are null here
 * and filled by `buildRunReport`. A step that recorded no item is never complete; one whose every
 * item failed is (it ran, and measured an error rate). The e2e percentiles' confidence comes from
 * the measurement's e2e histogram.
 */
export function buildStepReport(
  step: Step,
  measurement: StepMeasurement,
  budget: Budget,
  complete = true,
  gpu: GpuStepReport | null = null,
  openLoop: OpenLoopReport | null = null,
  options: StepReportOptions = {},
): StepReport {
  const budgetChecks = checkBudget(measurement, budget);
  const confidence = e2eConfidence(measurement);
  return {
    index: step.index,
    stage: step.stage,
    mode: step.mode,
    batchSize: step.batchSize,
    concurrency: step.concurrency,
    achievedConcurrency: meanInFlight(measurement),
    openLoop,
    maxQueueDelayMs: step.maxQueueDelayMs,
    maxNewTokens: step.stage === 'classify' ? null : step.maxNewTokens,
    ...measurement,
    speedup: null,
    efficiency: null,
    withinBudget: passesAll(budgetChecks),
    budgetChecks,
    complete: complete && measuredItems(measurement) > 0,
    requested: options.requested === undefined ? (step.measure.requests ?? null) : options.requested,
    measured: measuredItems(measurement),
    ...(options.endedBy !== undefined && { endedBy: options.endedBy }),
    gpu,
    stability: options.stability ?? null,
    e2eConfidence: confidence,
    precision: step.measure.precision === undefined ? null : precisionReport(step.measure.precision, confidence, measurement.windows),
    repeats: options.repeats ?? null,
    coldStartMs: options.coldStartMs ?? null,
    ...(step.profile && { profile: step.profile }),
    ...(options.serverMetrics !== undefined && { serverMetrics: options.serverMetrics }),
    ...(step.serverConfig && { serverConfig: step.serverConfig }),
    ...(step.serverLog !== undefined && { serverLog: step.serverLog }),
  };
}

/** What the caller knows; the rest of RunReport (scaling, trade-offs, alerts, recommendation, budgetMet) is computed. */
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
  /** Each stage's budget (a budgets file); default: every stage = `budget`. */
  readonly stageBudgets?: StageBudgets;
  /** Alert rules (a budgets file), evaluated over every step's windows. */
  readonly alertRules?: readonly AlertRule[];
  /** --search results; default none. */
  readonly search?: readonly SearchReport[];
  readonly gpuTelemetry?: GpuTelemetryReport | null;
  readonly harnessHealth?: HarnessHealthReport | null;
  /** Scenario runs: what ran; the verdict is judged here. */
  readonly scenario?: ScenarioFacts | null;
  readonly host?: HostReport | null;
  readonly resumedFrom?: RunReport['resumedFrom'];
  /** Server sweeps: the configurations launched; judged here. */
  readonly serverSweep?: ServerSweepFacts | null;
  readonly shard?: RunReport['shard'];
  readonly shards?: RunReport['shards'];
};

export function buildRunReport(parts: RunReportParts): RunReport {
  const budget = parts.budget ?? parts.workload.budget;
  const stageBudgets = parts.stageBudgets ?? uniformStageBudgets(budget);
  const bottleneckContext = bottleneckContextOf(parts);
  const steps = withScaling(
    parts.steps.map((step) => ({ ...rejudge(step, stageBudgets[step.stage]), bottleneck: judgeBottleneck(step, bottleneckContext) })),
    parts.workload,
  );
  // A scenario drives one batch size through load stages: no batch-size trade-off to recommend from;
  // its verdict is what the run passes or fails on.
  const scenario = parts.scenario ? judgedScenario(parts.scenario, steps, stageBudgets[parts.scenario.stage], parts) : null;
  const stages = scenario ? [] : STAGES.filter((stage) => steps.some((step) => step.stage === stage));
  const serverSweep = parts.serverSweep ? judgeServerSweep(parts.serverSweep, steps, parts.workload.server) : null;
  const tradeoffs = stages.flatMap((stage) => tradeoffsOf(stage, steps, stageBudgets[stage], parts.workload));
  const recommendation: Recommendation[] = stages.map((stage) =>
    withStabilityCaveat(
      recommend(
        stage,
        steps.filter((step) => step.stage === stage && step.complete),
        stageBudgets[stage],
      ),
      steps,
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
    stageBudgets,
    steps,
    tradeoffs,
    alerts: evaluateAlerts(parts.alertRules ?? [], steps),
    search: parts.search ?? [],
    recommendation,
    budgetMet: scenario
      ? scenario.verdict.passed
      : serverSweep
        ? serverSweep.chosen !== null
        : recommendation.length > 0 && recommendation.every((rec) => rec.batchSize !== null),
    warnings: [
      ...parts.warnings,
      ...stepWarnings(steps, parts.workload, bottleneckContext).filter((warning) => !parts.warnings.includes(warning)),
    ],
    gpuTelemetry: parts.gpuTelemetry ?? null,
    harnessHealth: parts.harnessHealth ?? null,
    scenario,
    host: parts.host ?? null,
    resumedFrom: parts.resumedFrom ?? null,
    serverSweep,
    ...(parts.shard && { shard: parts.shard }),
    ...(parts.shards && { shards: parts.shards }),
  };
}

function judgedScenario(facts: ScenarioFacts, steps: readonly StepReport[], budget: Budget, parts: RunReportParts): ScenarioReport {
  const verdict = judgeScenario(facts, steps, budget, parts.host ?? null, parts.workload.scenario?.recoveryTargetMs);
  return { ...facts, verdict };
}

/** Where the model runs and what the harness cost: known only once the run's records are in (the last snapshot). */
function bottleneckContextOf(parts: RunReportParts): BottleneckContext {
  return {
    placement: { target: parts.target, backend: parts.backend, hostname: parts.environment.hostname },
    instances: parts.target.kind === 'inprocess' ? (parts.backend?.instances ?? null) : null,
    host: parts.host ?? null,
    harnessHealth: parts.harnessHealth ?? null,
  };
}

function rejudge(step: StepReport, budget: Budget): StepReport {
  const budgetChecks = checkBudget(step, budget);
  return { ...step, budgetChecks, withinBudget: passesAll(budgetChecks) };
}

/** "; it rests on an unstable step 3 (p95 spread 14 %)" when stability marked the recommended step unstable, else "". */
function unstableCaveat(recommendation: Recommendation, steps: readonly StepReport[]): string {
  if (recommendation.batchSize === null) return '';
  const unstable = steps.find(
    (step) =>
      step.stage === recommendation.stage &&
      step.complete &&
      step.batchSize === recommendation.batchSize &&
      step.stability?.kind === 'unstable',
  );
  if (unstable === undefined) return '';
  const why = unstable.stability?.reason ? ` (${unstable.stability.reason})` : '';
  return `; it rests on an unstable step ${unstable.index}${why}`;
}

function withStabilityCaveat(recommendation: Recommendation, steps: readonly StepReport[]): Recommendation {
  return { ...recommendation, reason: recommendation.reason + unstableCaveat(recommendation, steps) };
}

/** One trade-off per curve of the stage (batching mode and load level), labelled when there are several. */
function tradeoffsOf(stage: StepReport['stage'], steps: readonly StepReport[], budget: Budget, workload: Workload): StageTradeoff[] {
  const groups = new Map<string, StepReport[]>();
  for (const step of steps) {
    if (step.stage !== stage || !step.complete) continue;
    const key = curveKey(step, workload);
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  const several = groups.size > 1;
  return [...groups.entries()].map(([key, group]) => {
    const tradeoff = stageTradeoff(stage, group, budget, { label: several ? curveLabel(key) : null });
    const caveat = unstableCaveat(tradeoff.recommendation, group);
    return { ...tradeoff, recommendation: withStabilityCaveat(tradeoff.recommendation, group), sentence: tradeoff.sentence + caveat };
  });
}

/** A scenario stage can run its whole time and complete nothing (a short ramp from 0, a fall below the load in flight). */
function incompleteReason(step: StepReport): string {
  if (!step.profile) return 'did not complete; it is kept in the report but left out of the recommendation';
  return measuredItems(step) === 0 ? 'recorded no items' : 'ended before its time was up';
}

function stepWarnings(steps: readonly StepReport[], workload: Workload, context: BottleneckContext): string[] {
  const warnings: string[] = [];
  for (const step of steps) {
    const name = `step ${step.index} (${step.stage} batch ${step.batchSize}${step.profile ? `, load stage "${step.profile.name}"` : ''})`;
    if (!step.complete) warnings.push(`${name} ${incompleteReason(step)}`);
    if (step.errors.total > 0) {
      const byClass = Object.entries(step.errors.byClass)
        .map(([errorClass, count]) => `${errorClass} ${count}`)
        .join(', ');
      warnings.push(`${name} had ${step.errors.total} failed items (${byClass})`);
    }
    const held = heldLoadWarning(step, workload.target, context);
    if (held !== null) warnings.push(held);
  }
  return warnings;
}
