/**
 * Re-analysis of a saved run (`pipebench report`): judge its steps again, under a budgets file's
 * per-stage budgets or under the run's own budget, through analyze-run.ts's buildRunReport (so
 * scaling, recommendations and budgetMet are computed exactly as a fresh run's), and evaluate the
 * file's alert rules over the steps' windows. Pure.
 *
 * With per-stage budgets each stage is judged under its own (RunReport.stageBudgets), and the
 * run's `budget` field shows the pipeline stage's (the end-to-end target); a warning lists them all.
 * Without a budgets file the saved run's own stage budgets and alert findings stand.
 */
import { buildRunReport, type RunReportParts } from './analyze-run.js';
import type { RunReport } from '../core/report/run.js';
import type { ScenarioFacts, ScenarioReport } from '../core/report/scenario.js';
import type { StepReport } from '../core/report/step.js';
import { STAGES, type Stage } from '../core/stage.js';
import type { BudgetsFile } from '../workload/budgets-file.js';
import type { Budget } from '../core/workload.js';
import { describeFinding, formatRuleDuration } from './alerts.js';
import { type AlertFinding } from '../core/report/verdicts.js';
import { e2eConfidence } from './e2e-confidence.js';
import { modelGpuNotes } from '../telemetry/gpu-use.js';
import { isUniform, uniformStageBudgets, type StageBudgets } from '../workload/stage-budgets.js';

export interface Reanalysis {
  readonly report: RunReport;
  /** The budget each stage was judged by. */
  readonly stageBudgets: StageBudgets;
  /** One per alert rule and watched step (none without a budgets file). */
  readonly alerts: readonly AlertFinding[];
}

/** Warnings this module adds start with these, so re-analysing a re-analysed report replaces them. */
const OWN_WARNING_PREFIXES = ['budgets from ', 'alert "', 'error rate above the alert threshold: '] as const;

export function reanalyze(report: RunReport, budgets: BudgetsFile | null): Reanalysis {
  const stageBudgets = budgets?.stages ?? report.stageBudgets ?? uniformStageBudgets(report.budget);
  const rebuilt = buildRunReport({
    ...partsOf(report),
    budget: budgets ? stageBudgets.pipeline : report.budget,
    stageBudgets,
    alertRules: budgets?.alerts ?? [],
  });
  const alerts = budgets ? rebuilt.alerts : (report.alerts ?? []);
  const added = budgets ? [budgetsWarning(budgets), ...errorRateWarnings(rebuilt.steps, budgets), ...alertWarnings(alerts)] : [];
  const final: RunReport = { ...rebuilt, alerts, warnings: unique([...rebuilt.warnings, ...added]) };
  return { report: final, stageBudgets, alerts };
}

function partsOf(report: RunReport): RunReportParts {
  return {
    runId: report.runId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    partial: report.partial,
    interruptedBy: report.interruptedBy,
    environment: report.environment,
    target: report.target,
    backend: report.backend,
    models: report.models,
    workload: report.workload,
    steps: report.steps.map((step) => withHonesty(withGpuNotes(step, report))),
    warnings: report.warnings.filter((warning) => !OWN_WARNING_PREFIXES.some((prefix) => warning.startsWith(prefix))),
    search: report.search ?? [],
    gpuTelemetry: report.gpuTelemetry,
    harnessHealth: report.harnessHealth,
    // Re-analysis re-judges a scenario from its facts (new budgets can change the verdict).
    scenario: report.scenario ? scenarioFacts(report.scenario) : null,
    host: report.host ?? null,
    resumedFrom: report.resumedFrom ?? null,
    shard: report.shard ?? null,
    shards: report.shards ?? null,
  };
}

/**
 * A saved step's GPU notes as today's telemetry writes them: a report written before notes knew
 * where the model runs said a wasm run's idle GPU was held back by the host side.
 */
function withGpuNotes(step: StepReport, report: RunReport): StepReport {
  if (step.gpu === null) return step;
  const placement = { target: report.target, backend: report.backend, hostname: report.environment.hostname };
  return {
    ...step,
    gpu: { ...step.gpu, notes: modelGpuNotes(step.gpu.gpus, placement, [step.gpu.processesAtStart, step.gpu.processesAtEnd]) },
  };
}

/**
 * A saved step with today's honesty fields: the e2e confidence recomputed from its histogram (a
 * report written before it existed gains it), stability and repeats kept or null.
 */
function withHonesty(step: StepReport): StepReport {
  return { ...step, stability: step.stability ?? null, repeats: step.repeats ?? null, e2eConfidence: e2eConfidence(step) };
}

function scenarioFacts(scenario: ScenarioReport): ScenarioFacts {
  const { verdict: _verdict, ...facts } = scenario;
  return facts;
}

function describeBudget(budget: Budget): string {
  return `p95 ${budget.p95Ms} ms, p99 ${budget.p99Ms} ms, error rate ${percent(budget.maxErrorRate)}`;
}

function budgetsWarning(budgets: BudgetsFile): string {
  const stages = STAGES.map((stage: Stage) => `${stage}: ${describeBudget(budgets.stages[stage])}`).join('; ');
  const shown = isUniform(budgets.stages) ? '' : " (the report's budget field shows the pipeline's)";
  return `budgets from ${budgets.source}: ${stages}${shown}`;
}

function errorRateWarnings(steps: readonly StepReport[], budgets: BudgetsFile): string[] {
  const { alertThreshold, max } = budgets.errorRate;
  if (alertThreshold >= max) return [];
  return steps
    .filter((step) => step.errors.rate > alertThreshold)
    .map(
      (step) =>
        `error rate above the alert threshold: step ${step.index} (${step.stage} batch ${step.batchSize}) ${percent(step.errors.rate)} > ${percent(alertThreshold)}`,
    );
}

/** Fired rules one line per step; not-evaluated ones one line per rule (a short run lists every step otherwise). */
function alertWarnings(findings: readonly AlertFinding[]): string[] {
  const lines = findings.filter((finding) => finding.kind === 'fired').map(describeFinding);
  const notEvaluated = new Map<string, { readonly forMs: number; readonly reasons: Set<string>; count: number }>();
  for (const finding of findings) {
    if (finding.kind !== 'not-evaluated') continue;
    const entry = notEvaluated.get(finding.rule.text) ?? { forMs: finding.rule.forMs, reasons: new Set<string>(), count: 0 };
    entry.reasons.add(finding.reason);
    entry.count++;
    notEvaluated.set(finding.rule.text, entry);
  }
  for (const [text, entry] of notEvaluated) {
    lines.push(
      `alert "${text}": not evaluated on ${entry.count} step(s) (${[...entry.reasons].join('; ')}); it needs ${formatRuleDuration(entry.forMs)} of windows`,
    );
  }
  return lines;
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))} %`;
}

function unique(values: readonly string[]): string[] {
  return values.filter((value, i) => values.indexOf(value) === i);
}
