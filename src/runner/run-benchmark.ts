/**
 * One benchmark run: workload -> plan -> (per step: configure target, drive, record) -> report.
 * Outputs are rewritten after every step, so an interrupted or crashed run keeps what it measured.
 */
import { join } from 'node:path';
import { uniformStageBudgets } from '../analysis/stage-budgets.js';
import { epochNowMs, type Clock } from '../metrics/clock.js';
import { buildRunReport, buildStepReport } from '../report/build.js';
import type { EnvironmentReport, RunReport, ScenarioFacts, SearchReport, StepReport, TargetReport } from '../report/types.js';
import { ReportWriter } from '../report/writer.js';
import type { Target } from '../targets/target.js';
import type { BackendReport } from '../report/types.js';
import type { ModelInfo } from '../models/types.js';
import type { TfMemory } from '../telemetry/types.js';
import { loadCorpus, TextSource } from '../workload/corpus.js';
import { peakInFlight, planSteps } from '../workload/plan.js';
import type { BudgetsFile } from '../workload/budgets-file.js';
import { signoffOf } from '../workload/signoff.js';
import type { Budget, Step, Workload } from '../workload/types.js';
import { toError } from '../errors.js';
import { startGpuTelemetry, type GpuTelemetryMode, type GpuTelemetrySession } from '../telemetry/gpu-telemetry.js';
import { startHarnessHealth } from '../telemetry/harness-health.js';
import { startHostSampler } from '../telemetry/host-sampler.js';
import type { RunListener } from './events.js';
import { mergeMeasurements, mergeStability, repeatSpread } from './merge-repeats.js';
import { warningsToCarry, type ResumeState } from './resume.js';
import { runScenario, type ScenarioOutcome } from './run-scenario.js';
import { liveScenarioFacts, resumedTimeline, scenarioFactsBase } from './scenario-facts.js';
import { runSearch } from './run-search.js';
import { measureStep, type StepContext, type StepRun } from './run-step.js';

export interface RunnerTarget extends Target {
  readonly backend: BackendReport | null;
  readonly models: readonly ModelInfo[];
  /** HTTP targets with connections: "auto": size the pools for the plan's peak in-flight count. */
  setConnections?(connections: number): Promise<void>;
  /** HTTP targets: the first (redacted) detail seen per error class, for the run's warnings. */
  readonly errorDetails?: ReadonlyMap<string, string>;
  /** In-process targets: tf.memory() summed over the model instances (null when they do not answer). */
  tfMemory?(): Promise<TfMemory | null>;
}

export interface RunOptions {
  readonly workload: Workload;
  readonly outDir: string;
  readonly runId: string;
  readonly environment: EnvironmentReport;
  /** Opens the target; called once, after the workload and corpus are known to be valid. */
  readonly openTarget: (workload: Workload) => Promise<RunnerTarget>;
  readonly signal?: AbortSignal;
  readonly onEvent?: RunListener;
  readonly clock?: Clock;
  /** How long an interrupted step may take to drain its in-flight requests. */
  readonly drainGraceMs?: number;
  readonly tickMs?: number;
  /** GPU sampling beside the run: live nvidia-smi, a replayed trace, or off (default). */
  readonly gpuTelemetry?: GpuTelemetryMode;
  /** A budgets file (--budgets): per-stage budgets for judging and searching, and alert rules. */
  readonly budgets?: BudgetsFile;
  /** --resume: the interrupted run's completed steps are kept; the plan continues after them. */
  readonly resume?: ResumeState;
}

export interface RunResult {
  readonly report: RunReport;
  readonly files: readonly string[];
}

export async function runBenchmark(options: RunOptions): Promise<RunResult> {
  const { workload, signal, budgets } = options;
  const clock = options.clock ?? epochNowMs;
  const emit: RunListener = options.onEvent ?? (() => undefined);
  const signoff = signoffOf(workload);
  const steps = planSteps(workload);
  const stageBudgets = budgets?.stages ?? uniformStageBudgets(workload.budget);
  const corpus = await loadCorpus(workload.corpus.path);
  const texts = new TextSource(corpus, { seed: workload.seed, uniqueTexts: workload.corpus.uniqueTexts });
  const writer = new ReportWriter(options.outDir);
  const resume = options.resume;
  const startedAt = resume?.previous.startedAt ?? new Date().toISOString();
  // A resumed run keeps the steps already measured, and what was said about them.
  const warnings: string[] = resume ? warningsToCarry(resume.previous, resume.nextIndex) : [];
  const stepReports: StepReport[] = resume ? [...resume.keptSteps] : [];
  const firstIndex = resume?.nextIndex ?? 0;
  const searches: SearchReport[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    emit({ kind: 'warning', message });
  };

  const target = await options.openTarget(workload);
  const health = startHarnessHealth({ clock });
  const hostSampler = startHostSampler({ clock, ...(target.tfMemory && { tfMemory: () => target.tfMemory?.() ?? Promise.resolve(null) }) });
  let telemetry: GpuTelemetrySession | null = null;
  let files: readonly string[] = [];
  const reportJsonOnly = new ReportWriter(options.outDir, { formats: ['json'] });
  /**
   * Writes every output. One that fails (a chart that cannot render) becomes a warning, once, and
   * report.json is written again so it carries it: a broken output never stops the run.
   */
  const writeOutputs = async (build: () => RunReport): Promise<RunReport> => {
    let report = build();
    files = await writer.write(report);
    const fresh = writer.failures.filter((failure) => !warnings.includes(failure));
    if (fresh.length > 0) {
      for (const failure of fresh) warn(failure);
      report = build();
      await reportJsonOnly.write(report);
    }
    return report;
  };
  const snapshot = (partial: boolean, finished?: Pick<RunReport, 'gpuTelemetry' | 'harnessHealth' | 'host'>): RunReport =>
    buildRunReport({
      runId: options.runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      partial,
      interruptedBy: partial ? interruptReason(signal) : null,
      environment: options.environment,
      target: targetReport(target),
      backend: target.backend,
      models: target.models,
      workload,
      steps: stepReports,
      // A resumed run may say again what the interrupted one said (no GPU, say): once is enough.
      warnings: [...new Set(warnings)],
      ...(budgets && { stageBudgets, alertRules: budgets.alerts }),
      search: searches,
      scenario: scenarioFacts,
      resumedFrom: resume ? { runId: resume.previous.runId, stepsKept: resume.keptSteps.length } : null,
      ...finished,
    });
  // Sweeps: every step of every repeat; searches: until every stage's search has finished;
  // scenarios: until the drive ends (a stress run stopped past its breaking point is complete).
  let allMeasured = false;
  let scenarioFacts: ScenarioFacts | null = null;
  let failure: { readonly error: unknown } | undefined;
  try {
    telemetry = await startGpuTelemetry({ mode: options.gpuTelemetry ?? { kind: 'off' } });
    await target.setConnections?.(peakInFlight(steps));
    if (target.info.kind === 'http') await checkBatchSizes(steps, target);
    emit({ kind: 'run-start', runId: options.runId, outDir: options.outDir, steps, backend: target.backend?.name ?? target.info.description, repeat: signoff.repeat, search: signoff.search });
    const context: StepContext = {
      target,
      texts,
      seed: workload.seed,
      clock,
      telemetry,
      stability: signoff.stability,
      emit,
      warn,
      live: { gpuUtilPct: () => telemetry?.latestUtilPct() ?? null, host: () => hostSampler.latest() },
      ...(signal && { signal }),
      ...(options.drainGraceMs !== undefined && { drainGraceMs: options.drainGraceMs }),
      ...(options.tickMs !== undefined && { tickMs: options.tickMs }),
    };
    /**
     * `jsonOnly`: a scenario's next stage is already under load, so only report.json is written
     * between stages (the charts in report.html take the main thread for a second or more, which
     * would show up as latency); every output is written when the drive ends.
     */
    const finishStep = async (step: Step, report: StepReport, partial: boolean, jsonOnly = false): Promise<void> => {
      emit({ kind: 'step-end', step, report });
      for (const note of report.gpu?.notes ?? []) emit({ kind: 'note', message: `${step.stage} batch ${step.batchSize}: ${note}` });
      if (jsonOnly) await reportJsonOnly.write(snapshot(partial));
      else await writeOutputs(() => snapshot(partial));
    };
    if (workload.scenario) {
      const scenario = workload.scenario;
      const earlier = resume?.previous.scenario ?? null;
      scenarioFacts = liveScenarioFacts(scenario, steps, stepReports);
      const toRun = steps.slice(firstIndex);
      const stageDone = async (step: Step, run: StepRun): Promise<void> => {
        const report = repeatedStepReport(step, [run], stageBudgets[step.stage], false);
        stepReports.push(report);
        scenarioFacts = liveScenarioFacts(scenario, steps, stepReports);
        await finishStep(step, report, true, true);
      };
      const outcome: ScenarioOutcome =
        toRun.length === 0
          ? { startedAtMs: earlier?.startedAtMs ?? epochNowMs(), stagesRun: 0, stoppedEarly: null, timeline: [] }
          : await runScenario(scenario, toRun, context, stageBudgets[scenario.stage], { stageDone });
      scenarioFacts = { ...scenarioFactsBase(scenario, steps), ...outcome, ...(earlier && resumedTimeline(earlier, outcome, steps[firstIndex])) };
      allMeasured = !signal?.aborted;
    } else if (signoff.search) {
      let searchesDone = 0;
      const searchCount = searchTotal(workload);
      await runSearch(workload, steps, {
        measure: async (template) => {
          if (signal?.aborted) return null;
          const step: Step = { ...template, index: stepReports.length };
          emit({ kind: 'step-start', step, of: steps.length, repeat: null });
          const run = await measureStep(step, context);
          const report = repeatedStepReport(step, [run], stageBudgets[step.stage], false);
          stepReports.push(report);
          await finishStep(step, report, true);
          return signal?.aborted ? null : report;
        },
        found: async (search) => {
          searches.push(search);
          searchesDone++;
          await writeOutputs(() => snapshot(searchesDone < searchCount));
        },
      });
      allMeasured = searchesDone === searchCount && !signal?.aborted;
    } else {
      const runs: StepRun[][] = steps.map(() => []);
      allMeasured = firstIndex >= steps.length;
      sweep: for (let repeat = 1; repeat <= signoff.repeat; repeat++) {
        for (const step of steps.slice(firstIndex)) {
          if (signal?.aborted) break sweep;
          emit({ kind: 'step-start', step, of: steps.length * signoff.repeat, repeat: signoff.repeat > 1 ? repeat : null });
          const stepRuns = runs[step.index] ?? [];
          stepRuns.push(await measureStep(step, context));
          const report = repeatedStepReport(step, stepRuns, stageBudgets[step.stage], signoff.repeat > 1);
          stepReports[step.index] = report;
          const last = repeat === signoff.repeat && step.index === steps.length - 1;
          await finishStep(step, report, !last);
          allMeasured = last;
        }
      }
    }
  } catch (error) {
    // Keep what was measured: the outputs below are still written, then the error goes up.
    failure = { error };
    warnings.push(`run stopped early: ${toError(error).message}`);
  }
  // What a failure class meant, once per class: "http_5xx: 503 Service Unavailable" says more than a count.
  for (const [errorClass, detail] of target.errorDetails ?? []) warnings.push(`first ${errorClass} error: ${detail}`);
  // Each clean-up runs even when another fails, so no worker or nvidia-smi outlives the run. Host
  // metrics stop first: their last tf.memory() reading needs the model instances still up.
  const hostReport = await settle(() => hostSampler.stop(), 'stopping host metrics', warnings);
  await settle(() => target.close(), 'closing the target', warnings);
  const gpu = await settle(async () => telemetry?.finish(), 'stopping GPU telemetry', warnings);
  if (gpu?.warning) {
    warnings.push(gpu.warning);
    emit({ kind: 'warning', message: gpu.warning });
  }
  const finished = { gpuTelemetry: gpu?.report ?? null, harnessHealth: health.stop(gpu?.samplerResult ?? null), host: hostReport ?? null };
  // A scenario is whole when its drive ended on its own (a stress run may stop past its breaking
  // point, and a stage may complete nothing by design); a sweep when every step completed.
  const partial = failure !== undefined || !allMeasured || (!workload.scenario && stepReports.some((s) => !s.complete));
  const final = await writeOutputs(() => snapshot(partial, finished));
  if (failure) throw failure.error;
  emit({ kind: 'run-end', report: final, files });
  return { report: final, files };
}

/** One report step from a step's measurements so far (one per repeat): merged exactly, spread kept. */
function repeatedStepReport(step: Step, runs: readonly StepRun[], budget: Budget, repeated: boolean): StepReport {
  const measurements = runs.map((run) => run.measurement);
  const last = runs[runs.length - 1];
  return buildStepReport(step, mergeMeasurements(measurements), budget, runs.every((run) => run.complete), last?.gpu ?? null, last?.openLoop ?? null, {
    stability: mergeStability(runs.map((run) => run.stability)),
    repeats: repeated ? repeatSpread(measurements) : null,
    // The first pass's: later repeats call a shape the instances have already seen.
    coldStartMs: runs[0]?.coldStartMs ?? null,
  });
}

/** Searches a run makes: one per stage (open loop: per stage and batch size). */
function searchTotal(workload: Workload): number {
  return workload.load.kind === 'open' ? workload.stages.reduce((n, spec) => n + spec.batchSizes.length, 0) : workload.stages.length;
}

/** Runs one clean-up step; a failure becomes a warning instead of skipping the ones after it. */
async function settle<T>(work: () => Promise<T>, what: string, warnings: string[]): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    warnings.push(`${what} failed: ${toError(error).message}`);
    return undefined;
  }
}

/** An HTTP protocol's per-request limits are known up front: refuse a bad batch size before step 1, not at step 7. */
async function checkBatchSizes(steps: readonly Step[], target: RunnerTarget): Promise<void> {
  for (const step of steps) {
    await target.configure(step.stage, { maxBatchSize: step.batchSize, maxQueueDelayMs: step.maxQueueDelayMs, maxNewTokens: step.maxNewTokens });
  }
}

function targetReport(target: RunnerTarget): TargetReport {
  const { info } = target;
  return { kind: info.kind, description: info.description, url: info.url ?? null, protocol: info.protocol ?? null };
}

function interruptReason(signal: AbortSignal | undefined): 'SIGINT' | 'SIGTERM' | null {
  const reason: unknown = signal?.reason;
  return reason === 'SIGINT' || reason === 'SIGTERM' ? reason : null;
}

export function defaultRunId(now: Date, workloadName: string): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  return `${stamp}-${workloadName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function defaultOutDir(cwd: string, runId: string): string {
  return join(cwd, 'reports', runId);
}
