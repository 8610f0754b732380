/**
 * One benchmark run: workload -> plan -> target and samplers up -> the run mode measures the plan
 * (modes/: sweep, search, scenario) -> clean-up -> report. Outputs are rewritten after every step,
 * so an interrupted or crashed run keeps what it measured.
 */
import { join } from 'node:path';
import { epochNowMs, type Clock } from '../core/clock.js';
import { describeHealth, type EnvironmentReport } from '../core/report/environment.js';
import type { RunReport } from '../core/report/run.js';
import type { StepReport } from '../core/report/step.js';
import type { Step, Workload } from '../core/workload.js';
import { toError } from '../errors.js';
import { probesTfMemory, sizesPools } from '../targets/capabilities.js';
import { startGpuTelemetry, type GpuTelemetryMode, type GpuTelemetrySession } from '../telemetry/gpu-telemetry.js';
import { startHarnessHealth, type HarnessHealthMonitor } from '../telemetry/harness-health.js';
import {
  defaultMetricsUrl,
  startServerMetrics,
  type ServerMetricsMode,
  type ServerMetricsSession,
} from '../telemetry/server-metrics/session.js';
import { startHostSampler, type HostSampler } from '../telemetry/host-sampler.js';
import type { BudgetsFile } from '../workload/budgets-file.js';
import { TextSource } from '../workload/corpus.js';
import { peakInFlight } from '../workload/plan.js';
import { signoffOf } from '../workload/signoff.js';
import { type SignoffSettings } from '../core/workload.js';
import { uniformStageBudgets } from '../workload/stage-budgets.js';
import type { RunEvent, RunListener } from './events.js';
import { runModeFor } from './modes/index.js';
import { warningsToCarry, type ResumeState } from './resume.js';
import { checkRunInputs, type RunInputs } from './run-inputs.js';
import type { RunRecord } from './run-mode.js';
import { RunOutputs } from './run-outputs.js';
import type { StepContext } from './run-step.js';
import type { RunnerTarget } from './types.js';
import { snapshotter, targetReport, type Finished } from './run-snapshot.js';
import { targetWarnings } from './target-warnings.js';
import { metricsOnLaunchPort, withLaunchPort } from './server-target.js';
import { gridSize, maxServerRuns } from './server-search.js';
import { openLoadWorkers } from './workers/open-load-workers.js';
import type { LoadWorkerPool } from './workers/load-worker-pool.js';
import type { ShardRun } from './shard-run.js';

export interface RunOptions {
  readonly workload: Workload;
  readonly outDir: string;
  readonly runId: string;
  readonly environment: EnvironmentReport;
  /** Opens the target; called once, after every input is known to be valid (checkRunInputs). */
  readonly openTarget: (workload: Workload) => Promise<RunnerTarget>;
  readonly signal?: AbortSignal;
  readonly onEvent?: RunListener;
  readonly clock?: Clock;
  /** How long an interrupted step may take to drain its in-flight requests. */
  readonly drainGraceMs?: number;
  readonly tickMs?: number;
  /** GPU sampling beside the run: live nvidia-smi, a replayed trace, or off (default). */
  readonly gpuTelemetry?: GpuTelemetryMode;
  /** Scraping the server's own Prometheus metrics (and a DCGM exporter) beside the run; default off. */
  readonly serverMetrics?: ServerMetricsMode;
  /** A budgets file (--budgets): per-stage budgets for judging and searching, and alert rules. */
  readonly budgets?: BudgetsFile;
  /** --resume: the interrupted run's completed steps are kept; the plan continues after them. */
  readonly resume?: ResumeState;
  /** The workload's plan and corpus from checkRunInputs (the CLI checks before it opens anything); default: checked here first. */
  readonly inputs?: RunInputs;
  /**
   * Server sweeps: the environment launched servers take PATH, HOME and server.passEnv from; load
   * worker threads: where their targets look up header values named by variable (default process.env).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** --shard i/N: drive this shard's share of every step (HTTP sweeps; cli checks the rest). */
  readonly shard?: ShardRun;
}

export interface RunResult {
  readonly report: RunReport;
  readonly files: readonly string[];
}

export async function runBenchmark(options: RunOptions): Promise<RunResult> {
  const { signal, budgets, resume } = options;
  // A server sweep's target is its launched servers' port, picked here.
  const workload = await withLaunchPort(options.workload);
  const clock = options.clock ?? epochNowMs;
  const emit: RunListener = options.onEvent ?? (() => undefined);
  const signoff = signoffOf(workload);
  const { steps, corpus } = options.inputs ?? (await checkRunInputs(workload, options.outDir));
  const stageBudgets = budgets?.stages ?? uniformStageBudgets(workload.budget);
  const texts = new TextSource(corpus, { uniqueTexts: workload.corpus.uniqueTexts, ...textStream(workload.seed, options.shard) });
  const startedAt = resume?.previous.startedAt ?? new Date().toISOString();
  // A resumed run keeps the steps already measured, and what was said about them.
  const warnings: string[] = resume ? warningsToCarry(resume.previous, resume.nextIndex) : [];
  const record: RunRecord = { steps: resume ? [...resume.keptSteps] : [], searches: [], scenario: null, serverSweep: null };
  const warn = (message: string): void => {
    warnings.push(message);
    emit({ kind: 'warning', message });
  };
  const mode = runModeFor(workload, signoff, { env: options.env ?? process.env, outDir: options.outDir });
  const target = await options.openTarget(workload);
  const health = startHarnessHealth({ clock });
  const hostSampler = startHostSampler({ clock, ...(probesTfMemory(target) && { tfMemory: () => target.tfMemory() }) });
  const outputs = new RunOutputs(options.outDir, warnings, warn);
  let telemetry: GpuTelemetrySession | null = null;
  let serverMetrics: ServerMetricsSession | null = null;
  let loadWorkers: LoadWorkerPool | null = null;
  const snapshot = snapshotter({ run: options, workload, target, record, warnings, startedAt, stageBudgets });
  let allMeasured = false;
  let failure: { readonly error: unknown } | undefined;
  let started = false;
  try {
    const placement = { target: targetReport(target), backend: target.backend, hostname: options.environment.hostname };
    telemetry = await startGpuTelemetry({ mode: options.gpuTelemetry ?? { kind: 'off' }, placement });
    serverMetrics = await startScraping(options.serverMetrics, workload, target, warn, emit);
    if (sizesPools(target)) await target.setConnections(peakInFlight(steps));
    loadWorkers = await openLoadWorkers(workload, corpus, steps, options.env ?? process.env);
    started = true;
    emit(runStartEvent(options, steps, target, signoff));
    if (target.info.health) emit({ kind: 'note', message: `health check: ${describeHealth(target.info.health)}` });
    const context = {
      ...stepContext(options, { target, texts, clock, telemetry, hostSampler, signoff, emit, warn }),
      serverMetrics,
      loadWorkers,
    };
    const finishStep = async (step: Step, report: StepReport, partial: boolean, jsonOnly = false): Promise<void> => {
      emit({ kind: 'step-end', step, report });
      for (const note of report.gpu?.notes ?? []) emit({ kind: 'note', message: `${step.stage} batch ${step.batchSize}: ${note}` });
      if (jsonOnly) await outputs.writeJson(snapshot(partial));
      else await outputs.write(() => snapshot(partial));
    };
    const writeOutputs = async (partial: boolean): Promise<void> => void (await outputs.write(() => snapshot(partial)));
    const firstIndex = resume?.nextIndex ?? 0;
    allMeasured = await mode.run({
      workload,
      signoff,
      steps,
      stageBudgets,
      context,
      record,
      firstIndex,
      resume,
      signal,
      finishStep,
      writeOutputs,
    });
  } catch (error) {
    // Keep what was measured: the outputs below are still written, then the error goes up.
    failure = { error };
    warnings.push(`run stopped early: ${toError(error).message}`);
  }
  warnings.push(...targetWarnings(target));
  warnings.push(...((await settle(async () => loadWorkers?.close(), 'closing the load workers', warnings)) ?? []));
  const finished = await cleanUp(target, hostSampler, telemetry, serverMetrics, health, warnings, emit);
  // Failed before its first step: nothing was measured, so nothing is written (a resumed run's
  // outputs stay as they were).
  if (failure && !started) throw failure.error;
  const partial = failure !== undefined || !allMeasured || (mode.incompleteStepIsPartial && record.steps.some((s) => !s.complete));
  const final = await outputs.write(() => snapshot(partial, finished));
  if (failure) throw failure.error;
  emit({ kind: 'run-end', report: final, files: outputs.files });
  return { report: final, files: outputs.files };
}

function runStartEvent(options: RunOptions, steps: readonly Step[], target: RunnerTarget, signoff: SignoffSettings): RunEvent {
  return {
    kind: 'run-start',
    runId: options.runId,
    outDir: options.outDir,
    steps,
    backend: target.backend?.name ?? target.info.description,
    repeat: signoff.repeat,
    search: signoff.search,
    ...(options.workload.server && {
      server: {
        gridConfigurations: gridSize(options.workload.server),
        maxRuns: maxServerRuns(options.workload.server),
        searchAxis: options.workload.server.searchAxis,
      },
    }),
  };
}

interface ContextParts {
  readonly target: RunnerTarget;
  readonly texts: TextSource;
  readonly clock: Clock;
  readonly telemetry: GpuTelemetrySession | null;
  readonly hostSampler: HostSampler;
  readonly signoff: SignoffSettings;
  readonly emit: RunListener;
  readonly warn: (message: string) => void;
}

function stepContext(options: RunOptions, parts: ContextParts): StepContext {
  const { target, texts, clock, telemetry, hostSampler, signoff, emit, warn } = parts;
  return {
    target,
    texts,
    seed: options.workload.seed,
    clock,
    telemetry,
    stability: signoff.stability,
    emit,
    warn,
    live: {
      gpuUtilPct: () => telemetry?.latestUtilPct() ?? null,
      gpuPowerW: () => telemetry?.latestPowerW() ?? null,
      host: () => hostSampler.latest(),
    },
    ...(options.signal && { signal: options.signal }),
    ...(options.drainGraceMs !== undefined && { drainGraceMs: options.drainGraceMs }),
    ...(options.tickMs !== undefined && { tickMs: options.tickMs }),
    ...(options.shard && { shard: options.shard }),
  };
}

/** The run's prompt order; a shard's has its own seed and unique tag (as a load worker's), so the shards' streams are disjoint. */
function textStream(seed: number, shard: ShardRun | undefined): { seed: number; uniqueTag?: string } {
  if (shard === undefined) return { seed };
  return { seed: seed + shard.slot.index, uniqueTag: `s${shard.slot.index + 1}` };
}

/**
 * Each clean-up runs even when another fails, so no worker or nvidia-smi outlives the run. Host
 * metrics stop first: their last tf.memory() reading needs the model instances still up.
 */
async function cleanUp(
  target: RunnerTarget,
  hostSampler: HostSampler,
  telemetry: GpuTelemetrySession | null,
  serverMetrics: ServerMetricsSession | null,
  health: HarnessHealthMonitor,
  warnings: string[],
  emit: RunListener,
): Promise<Finished> {
  const hostReport = await settle(() => hostSampler.stop(), 'stopping host metrics', warnings);
  await settle(() => target.close(), 'closing the target', warnings);
  const gpu = await settle(async () => telemetry?.finish(), 'stopping GPU telemetry', warnings);
  if (gpu?.warning) {
    warnings.push(gpu.warning);
    emit({ kind: 'warning', message: gpu.warning });
  }
  const scraping = await settle(async () => serverMetrics?.finish(), 'stopping server metrics', warnings);
  return {
    gpuTelemetry: gpu?.report ?? null,
    harnessHealth: health.stop(gpu?.samplerResult ?? null, scraping ?? null),
    host: hostReport ?? null,
  };
}

/** Scrapers up for the run: the URLs given, or the target's own /metrics when it answers Prometheus text. */
async function startScraping(
  mode: ServerMetricsMode | undefined,
  workload: Workload,
  target: RunnerTarget,
  warn: (message: string) => void,
  emit: RunListener,
): Promise<ServerMetricsSession | null> {
  if (mode === undefined || mode.kind === 'off') return null;
  return startServerMetrics({
    urls: metricsOnLaunchPort(mode.urls, workload),
    autoUrl: mode.auto ? defaultMetricsUrl(target.info.url) : null,
    intervalMs: mode.intervalMs,
    warn,
    note: (message) => emit({ kind: 'note', message }),
  });
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

export function defaultRunId(now: Date, workloadName: string): string {
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  return `${stamp}-${workloadName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function defaultOutDir(cwd: string, runId: string): string {
  return join(cwd, 'reports', runId);
}
