/**
 * One benchmark run: workload -> plan -> (per step: configure target, drive, record) -> report.
 * Outputs are rewritten after every step, so an interrupted or crashed run keeps what it measured.
 */
import { join } from 'node:path';
import { epochNowMs, type Clock } from '../metrics/clock.js';
import { StepRecorder } from '../metrics/recorder.js';
import { LATE_SEND_WARN_SHARE } from '../load/open-loop.js';
import { buildRunReport, buildStepReport } from '../report/build.js';
import type { EnvironmentReport, RunReport, StepReport, TargetReport } from '../report/types.js';
import { ReportWriter } from '../report/writer.js';
import type { Target } from '../targets/target.js';
import type { BackendReport } from '../report/types.js';
import type { ModelInfo } from '../models/types.js';
import { loadCorpus, TextSource } from '../workload/corpus.js';
import { peakInFlight, planSteps } from '../workload/plan.js';
import type { Step, Workload } from '../workload/types.js';
import { InputError, toError } from '../errors.js';
import { startGpuTelemetry, type GpuTelemetryMode, type GpuTelemetrySession } from '../telemetry/gpu-telemetry.js';
import { startHarnessHealth } from '../telemetry/harness-health.js';
import { batchSender, driveStep } from './drive-step.js';
import type { RunListener } from './events.js';

export interface RunnerTarget extends Target {
  readonly backend: BackendReport | null;
  readonly models: readonly ModelInfo[];
  /** HTTP targets with connections: "auto": size the pools for the plan's peak in-flight count. */
  setConnections?(connections: number): Promise<void>;
  /** HTTP targets: the first (redacted) detail seen per error class, for the run's warnings. */
  readonly errorDetails?: ReadonlyMap<string, string>;
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
}

export interface RunResult {
  readonly report: RunReport;
  readonly files: readonly string[];
}

export async function runBenchmark(options: RunOptions): Promise<RunResult> {
  const { workload, signal } = options;
  const clock = options.clock ?? epochNowMs;
  const emit: RunListener = options.onEvent ?? (() => undefined);
  const steps = planSteps(workload);
  const corpus = await loadCorpus(workload.corpus.path);
  const texts = new TextSource(corpus, { seed: workload.seed, uniqueTexts: workload.corpus.uniqueTexts });
  const writer = new ReportWriter(options.outDir);
  const startedAt = new Date().toISOString();
  const warnings: string[] = [];
  const stepReports: StepReport[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    emit({ kind: 'warning', message });
  };

  const target = await options.openTarget(workload);
  const health = startHarnessHealth({ clock });
  let telemetry: GpuTelemetrySession | null = null;
  let files: readonly string[] = [];
  const snapshot = (partial: boolean, finished?: Pick<RunReport, 'gpuTelemetry' | 'harnessHealth'>): RunReport =>
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
      warnings,
      ...finished,
    });
  let failure: { readonly error: unknown } | undefined;
  try {
    telemetry = await startGpuTelemetry({ mode: options.gpuTelemetry ?? { kind: 'off' } });
    await target.setConnections?.(peakInFlight(steps));
    if (target.info.kind === 'http') await checkBatchSizes(steps, target);
    emit({ kind: 'run-start', runId: options.runId, outDir: options.outDir, steps, backend: target.backend?.name ?? target.info.description });
    for (const step of steps) {
      if (signal?.aborted) break;
      emit({ kind: 'step-start', step, of: steps.length });
      const report = await runStep(step, target, texts, workload, clock, telemetry, options, emit, warn);
      stepReports.push(report);
      emit({ kind: 'step-end', step, report });
      for (const note of report.gpu?.notes ?? []) emit({ kind: 'note', message: `${step.stage} batch ${step.batchSize}: ${note}` });
      files = await writer.write(snapshot(stepReports.length < steps.length));
    }
  } catch (error) {
    // Keep what was measured: the outputs below are still written, then the error goes up.
    failure = { error };
    warnings.push(`run stopped early: ${toError(error).message}`);
  }
  // What a failure class meant, once per class: "http_5xx: 503 Service Unavailable" says more than a count.
  for (const [errorClass, detail] of target.errorDetails ?? []) warnings.push(`first ${errorClass} error: ${detail}`);
  // Each clean-up runs even when another fails, so no worker or nvidia-smi outlives the run.
  await settle(() => target.close(), 'closing the target', warnings);
  const gpu = await settle(async () => telemetry?.finish(), 'stopping GPU telemetry', warnings);
  if (gpu?.warning) {
    warnings.push(gpu.warning);
    emit({ kind: 'warning', message: gpu.warning });
  }
  const finished = { gpuTelemetry: gpu?.report ?? null, harnessHealth: health.stop(gpu?.samplerResult ?? null) };
  const partial = failure !== undefined || stepReports.length < steps.length || stepReports.some((s) => !s.complete);
  const final = snapshot(partial, finished);
  files = await writer.write(final);
  if (failure) throw failure.error;
  emit({ kind: 'run-end', report: final, files });
  return { report: final, files };
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

async function runStep(
  step: Step,
  target: RunnerTarget,
  texts: TextSource,
  workload: Workload,
  clock: Clock,
  telemetry: GpuTelemetrySession | null,
  options: RunOptions,
  emit: RunListener,
  warn: (message: string) => void,
): Promise<StepReport> {
  await target.configure(step.stage, {
    maxBatchSize: step.batchSize,
    maxQueueDelayMs: step.maxQueueDelayMs,
    maxNewTokens: step.maxNewTokens,
  });
  if (step.mode === 'static' && batchSender(step, target) === null) {
    throw new InputError(`stages[${step.stage}].mode`, `static batching is not supported by ${target.info.description}`);
  }
  const processesAtStart = (await telemetry?.processes()) ?? null;
  const recorder = new StepRecorder({ clock });
  const started = clock();
  const ticker = setInterval(() => {
    const live = recorder.live();
    emit({ kind: 'tick', step, elapsedMs: clock() - started, ...live });
  }, options.tickMs ?? 1000);
  ticker.unref();
  try {
    const outcome = await driveStep(step, {
      target,
      texts,
      sink: recorder,
      clock,
      seed: workload.seed,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.drainGraceMs !== undefined && { drainGraceMs: options.drainGraceMs }),
    });
    const measurement = recorder.finish();
    const complete = outcome.endedBy !== 'aborted' && outcome.abandoned === 0 && measurement.completed > 0;
    const gpu =
      telemetry?.stepReport(
        measurement.startedAtMs,
        measurement.endedAtMs,
        { items: measurement.completed, ...(measurement.latencyMs.queue && { queueMsMean: measurement.latencyMs.queue.mean }) },
        { atStart: processesAtStart, atEnd: (await telemetry.processes()) ?? null },
      ) ?? null;
    if (outcome.openLoop !== null && outcome.openLoop.lateShare > LATE_SEND_WARN_SHARE) {
      const late = outcome.openLoop;
      warn(
        `step ${step.index} (${step.stage} batch ${step.batchSize} at ${late.targetRatePerSec} req/s): ` +
          `${(late.lateShare * 100).toFixed(1)} % of sends were late (max ${late.maxLateMs.toFixed(1)} ms); ` +
          'the driver could not keep the rate; latency still counts from the schedule',
      );
    }
    return buildStepReport(step, measurement, workload.budget, complete, gpu, outcome.openLoop);
  } finally {
    clearInterval(ticker);
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
