/**
 * report.json: the source of truth for every other output. schema/report.schema.json describes it;
 * bump REPORT_SCHEMA_VERSION on any incompatible change. The model is split by topic beside this file
 * (step, scenario, verdicts, telemetry, environment); it imports nothing above the ground floor.
 */
import type { ModelInfo } from '../model-info.js';
import type { Stage } from '../stage.js';
import type { Budget, Workload } from '../workload.js';
import type { BackendReport, EnvironmentReport, TargetReport } from './environment.js';
import type { ScenarioReport } from './scenario.js';
import type { ServerSweepReport } from './server-sweep.js';
import type { ShardReport, ShardSummary } from './shard.js';
import type { StepReport } from './step.js';
import type { GpuTelemetryReport, HarnessHealthReport, HostReport } from './telemetry.js';
import type { AlertFinding, Recommendation, StageTradeoff } from './verdicts.js';

export const REPORT_SCHEMA_VERSION = 1;

/** --search: what the adaptive search found and what it cost against the full sweep. */
export interface SearchReport {
  readonly stage: Stage;
  readonly axis: 'batchSize' | 'ratePerSec';
  /** The largest value that met the budget; null when none did. */
  readonly answer: number | null;
  readonly stepsRun: number;
  readonly fullSweepSteps: number;
  readonly itemsMeasured: number;
  /** Items a full sweep at the same per-step length would have measured (estimated from the steps run). */
  readonly fullSweepItemsEstimate: number;
  readonly tried: readonly { readonly value: number; readonly withinBudget: boolean }[];
}

export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly runId: string;
  readonly startedAt: string; // ISO 8601
  readonly finishedAt: string;
  /**
   * True when the run did not measure its whole plan: a signal or an internal failure stopped it,
   * or a step ended incomplete. A run whose every request failed is complete.
   */
  readonly partial: boolean;
  /** The signal that stopped a partial run; null when a failure did (or the run is complete). */
  readonly interruptedBy: 'SIGINT' | 'SIGTERM' | null;
  readonly environment: EnvironmentReport;
  readonly target: TargetReport;
  /** In-process targets: the TF.js backend that ran; null for HTTP targets. */
  readonly backend: BackendReport | null;
  readonly models: readonly ModelInfo[];
  readonly workload: Workload;
  readonly budget: Budget;
  /** The budget each stage was judged against (a budgets file can set them apart; else all = budget). */
  readonly stageBudgets: Readonly<Record<Stage, Budget>>;
  readonly steps: readonly StepReport[];
  /** Per stage (and load level): the trade-off between batch size, throughput and latency. */
  readonly tradeoffs: readonly StageTradeoff[];
  /** Alert rules from a budgets file, evaluated over each step's windows. */
  readonly alerts: readonly AlertFinding[];
  /** --search runs only. */
  readonly search: readonly SearchReport[];
  readonly recommendation: readonly Recommendation[];
  /** Exit status the run maps to: budget met for every stage's recommendation, or (scenario runs) the verdict passed. */
  readonly budgetMet: boolean;
  readonly warnings: readonly string[];
  /** The run's GPU sampling record (status, inventory, fields); null until the run finishes. */
  readonly gpuTelemetry: GpuTelemetryReport | null;
  /** The harness's own cost: CPU, event-loop delay, GPU sampling; null until the run finishes. */
  readonly harnessHealth: HarnessHealthReport | null;
  /** Scenario runs only (workload `scenario:`); null for sweeps. */
  readonly scenario: ScenarioReport | null;
  /** Host metrics beside the GPU's: CPU, RSS, heap, event-loop delay, network, tf.memory(); null until the run finishes. */
  readonly host: HostReport | null;
  /** --resume: the run this one continued (its steps marked complete were kept, not re-measured). */
  readonly resumedFrom: { readonly runId: string; readonly stepsKept: number } | null;
  /** Server sweeps only (workload `server:`): the configurations launched and the one chosen. Absent in older reports. */
  readonly serverSweep?: ServerSweepReport | null;
  /** A shard run (`run --shard i/N`): its share, start skew and clock offset. Absent otherwise. */
  readonly shard?: ShardReport | null;
  /** A merged run (`pipebench merge`): each shard's own figures. Absent otherwise. */
  readonly shards?: readonly ShardSummary[] | null;
}
