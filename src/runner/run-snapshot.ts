/**
 * The run's report as it stands, built again for every write (partial until the run's end says
 * otherwise), and the target's report line (its warnings: target-warnings.ts).
 */
import { buildRunReport } from '../analysis/analyze-run.js';
import type { EnvironmentReport, TargetReport } from '../core/report/environment.js';
import type { RunReport } from '../core/report/run.js';
import type { Workload } from '../core/workload.js';
import type { BudgetsFile } from '../workload/budgets-file.js';
import type { StageBudgets } from '../workload/stage-budgets.js';
import type { ResumeState } from './resume.js';
import type { RunRecord } from './run-mode.js';
import type { RunnerTarget } from './types.js';
import type { ShardRun } from './shard-run.js';

export type Finished = Pick<RunReport, 'gpuTelemetry' | 'harnessHealth' | 'host'>;

/** What the run was asked (runBenchmark's options). */
export interface SnapshotRun {
  readonly runId: string;
  readonly environment: EnvironmentReport;
  readonly signal?: AbortSignal;
  readonly budgets?: BudgetsFile;
  readonly resume?: ResumeState;
  readonly shard?: ShardRun;
}

export interface SnapshotParts {
  readonly run: SnapshotRun;
  readonly workload: Workload;
  readonly target: RunnerTarget;
  readonly record: RunRecord;
  readonly warnings: readonly string[];
  readonly startedAt: string;
  readonly stageBudgets: StageBudgets;
}

/** The report as it stands, built again for every write: partial until the run's end says otherwise. */
export function snapshotter(parts: SnapshotParts): (partial: boolean, finished?: Finished) => RunReport {
  const { run, workload, target, record, warnings, startedAt, stageBudgets } = parts;
  const { budgets, resume } = run;
  return (partial, finished) =>
    buildRunReport({
      runId: run.runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      partial,
      interruptedBy: partial ? interruptReason(run.signal) : null,
      environment: run.environment,
      target: targetReport(target),
      backend: target.backend,
      models: target.models,
      workload,
      steps: record.steps,
      // A resumed run may say again what the interrupted one said (no GPU, say): once is enough.
      warnings: [...new Set(warnings)],
      ...(budgets && { stageBudgets, alertRules: budgets.alerts }),
      search: record.searches,
      scenario: record.scenario,
      serverSweep: record.serverSweep ?? null,
      resumedFrom: resume ? { runId: resume.previous.runId, stepsKept: resume.keptSteps.length } : null,
      ...(run.shard && { shard: run.shard.report() }),
      ...finished,
    });
}

export function targetReport(target: RunnerTarget): TargetReport {
  const { info } = target;
  const report: TargetReport = { kind: info.kind, description: info.description, url: info.url ?? null, protocol: info.protocol ?? null };
  return info.kind === 'http' ? { ...report, health: info.health ?? null } : report;
}

function interruptReason(signal: AbortSignal | undefined): 'SIGINT' | 'SIGTERM' | null {
  const reason: unknown = signal?.reason;
  return reason === 'SIGINT' || reason === 'SIGTERM' ? reason : null;
}
