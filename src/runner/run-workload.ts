/**
 * The library's one-call run: a workload (or its YAML path) -> a measured, judged report, written
 * to `outDir` like `pipebench run` writes it. For a target of your own, call runBenchmark.
 */
import type { Workload } from '../core/workload.js';
import { collectEnvironment } from '../telemetry/environment.js';
import type { GpuTelemetryMode } from '../telemetry/gpu-telemetry.js';
import type { BudgetsFile } from '../workload/budgets-file.js';
import { loadWorkload } from '../workload/load.js';
import type { RunListener } from './events.js';
import { openWorkloadTarget } from './open-target.js';
import { defaultOutDir, defaultRunId, runBenchmark, type RunResult } from './run-benchmark.js';

export interface RunWorkloadOptions {
  /** Where the outputs go (default: reports/<run id> under the current folder). */
  readonly outDir?: string;
  readonly runId?: string;
  /** Aborting ends the step under way as partial; the report says so. */
  readonly signal?: AbortSignal;
  /** Every run event (step start and end, ticks, windows, warnings), as the CLI's progress sees them. */
  readonly onEvent?: RunListener;
  /** GPU sampling beside the run (default off). */
  readonly gpuTelemetry?: GpuTelemetryMode;
  /** Per-stage budgets and alert rules (loadBudgetsFile). */
  readonly budgets?: BudgetsFile;
  /** Where HTTP header values named by variable are read (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export async function runWorkload(workload: Workload | string, options: RunWorkloadOptions = {}): Promise<RunResult> {
  const resolved = typeof workload === 'string' ? await loadWorkload(workload) : workload;
  const runId = options.runId ?? defaultRunId(new Date(), resolved.name);
  return runBenchmark({
    workload: resolved,
    outDir: options.outDir ?? defaultOutDir(process.cwd(), runId),
    runId,
    environment: await collectEnvironment(),
    openTarget: (w) => openWorkloadTarget(w, options.env ?? process.env),
    env: options.env ?? process.env,
    ...(options.signal && { signal: options.signal }),
    ...(options.onEvent && { onEvent: options.onEvent }),
    ...(options.gpuTelemetry && { gpuTelemetry: options.gpuTelemetry }),
    ...(options.budgets && { budgets: options.budgets }),
  });
}
