/**
 * One benchmark run: workload -> plan -> (per step: configure target, drive, record) -> report.
 * Outputs are rewritten after every step, so an interrupted or crashed run keeps what it measured.
 */
import { join } from 'node:path';
import { epochNowMs, type Clock } from '../metrics/clock.js';
import { StepRecorder } from '../metrics/recorder.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { buildRunReport, buildStepReport } from '../report/build.js';
import type { EnvironmentReport, RunReport, StepReport, TargetReport } from '../report/types.js';
import { ReportWriter } from '../report/writer.js';
import { supportsStaticBatches, type Target } from '../targets/target.js';
import type { BackendReport } from '../report/types.js';
import type { ModelInfo } from '../models/types.js';
import { loadCorpus, TextSource } from '../workload/corpus.js';
import { planSteps } from '../workload/plan.js';
import type { Step, Workload } from '../workload/types.js';
import { InputError, toError } from '../errors.js';
import { startGpuTelemetry, type GpuTelemetryMode, type GpuTelemetrySession } from '../telemetry/gpu-telemetry.js';
import { startHarnessHealth } from '../telemetry/harness-health.js';
import type { RunListener } from './events.js';

export interface RunnerTarget extends Target {
  readonly backend: BackendReport | null;
  readonly models: readonly ModelInfo[];
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
    emit({ kind: 'run-start', runId: options.runId, outDir: options.outDir, steps, backend: target.backend?.name ?? target.info.description });
    for (const step of steps) {
      if (signal?.aborted) break;
      emit({ kind: 'step-start', step, of: steps.length });
      const report = await runStep(step, target, texts, workload, clock, telemetry, options, emit);
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

async function runStep(
  step: Step,
  target: RunnerTarget,
  texts: TextSource,
  workload: Workload,
  clock: Clock,
  telemetry: GpuTelemetrySession | null,
  options: RunOptions,
  emit: RunListener,
): Promise<StepReport> {
  await target.configure(step.stage, {
    maxBatchSize: step.batchSize,
    maxQueueDelayMs: step.maxQueueDelayMs,
    maxNewTokens: step.maxNewTokens,
  });
  if (step.mode === 'static' && !supportsStaticBatches(target)) {
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
    const loop = runClosedLoop({
      target,
      stage: step.stage,
      concurrency: closedLoopSends(step),
      texts,
      warmup: step.warmup,
      measure: step.measure,
      sink: recorder,
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.drainGraceMs !== undefined && { drainGraceMs: options.drainGraceMs }),
      ...(step.mode === 'static' && supportsStaticBatches(target)
        ? { staticBatch: { target, batchSize: step.batchSize } }
        : {}),
    });
    const outcome = await loop;
    const measurement = recorder.finish();
    const complete = outcome.endedBy !== 'aborted' && outcome.abandoned === 0 && measurement.completed > 0;
    const gpu =
      telemetry?.stepReport(
        measurement.startedAtMs,
        measurement.endedAtMs,
        { items: measurement.completed, ...(measurement.latencyMs.queue && { queueMsMean: measurement.latencyMs.queue.mean }) },
        { atStart: processesAtStart, atEnd: (await telemetry.processes()) ?? null },
      ) ?? null;
    return buildStepReport(step, measurement, workload.budget, complete, gpu);
  } finally {
    clearInterval(ticker);
  }
}

/** Step.concurrency counts items; in static mode the driver keeps whole batches in flight. */
function closedLoopSends(step: Step): number {
  const items = step.concurrency ?? 1;
  return step.mode === 'static' ? Math.max(1, Math.floor(items / step.batchSize)) : items;
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
