/**
 * report.json: the source of truth for every other output. schema/report.schema.json describes it;
 * bump REPORT_SCHEMA_VERSION on any incompatible change.
 */
import type { StepMeasurement } from '../metrics/types.js';
import type { ModelInfo } from '../models/types.js';
import type { GpuStepReport, GpuTelemetryReport, HarnessHealthReport, HostReport } from '../telemetry/types.js';
import type { Stage } from '../targets/target.js';
import type { ArrivalProcess, Budget, ScenarioKind, ScenarioStageSpec, StepProfile, Workload } from '../workload/types.js';
import type { ScenarioVerdict } from '../analysis/scenario-verdict.js';
import type { StageTradeoff } from '../analysis/tradeoff.js';
import type { AlertFinding } from '../analysis/alerts.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface BackendReport {
  readonly name: string; // "tensorflow" | "wasm" | "cpu"
  readonly package: string; // "@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-backend-wasm", ...
  readonly version: string;
  readonly threads: number | null;
  readonly simd: boolean | null;
  readonly gpu: boolean;
  /** Backends tried before this one, and why each was not used. */
  readonly skipped: readonly { readonly backend: string; readonly reason: string }[];
  readonly instances: number;
  readonly isolation: 'worker' | 'process';
  /** The native backends only: the TensorFlow C library underneath and what it sees. */
  readonly native?: NativeBackendInfo;
}

/** A device as TensorFlow lists it, e.g. "/job:localhost/replica:0/task:0/device:GPU:0". */
export interface NativeDevice {
  readonly name: string;
  readonly type: string;
  readonly memoryBytes: number;
}

export interface NativeBackendInfo {
  /** TF_Version() of the loaded library, e.g. "2.21.0". */
  readonly tensorflowVersion: string | null;
  /** Whether the library is a CUDA build, and the CUDA and cuDNN it was built for; null when unknown. */
  readonly cudaBuild: boolean | null;
  readonly cudaVersion: string | null;
  readonly cudnnVersion: string | null;
  /** Devices TensorFlow sees; null when the probe pipebench setup builds is missing. */
  readonly devices: readonly NativeDevice[] | null;
  /** "pipebench setup native from <source>", or null for a package installed some other way. */
  readonly builtFrom: string | null;
}

export interface EnvironmentReport {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly hostname: string;
  readonly cpu: { readonly model: string; readonly cores: number; readonly physicalCores: number | null; readonly speedGHz: number | null };
  readonly memTotalBytes: number;
  readonly os: { readonly distro: string; readonly release: string; readonly kernel: string };
  readonly gitCommit: string | null;
  readonly pipebenchVersion: string;
}

export interface BudgetCheck {
  readonly p95: boolean;
  readonly p99: boolean;
  readonly errorRate: boolean;
}

/** An open-loop step: the rate asked for against what the driver managed to send. */
export interface OpenLoopReport {
  readonly process: ArrivalProcess;
  readonly targetRatePerSec: number;
  /** Measured sends / the span from the first to the last measured send. */
  readonly achievedRatePerSec: number;
  readonly maxInFlight: number | null;
  /** Measured sends issued (each carries batchSize items). */
  readonly sends: number;
  /** Sends issued more than lateThresholdMs after their scheduled time (timer lag or the in-flight cap). */
  readonly lateSends: number;
  readonly lateShare: number; // 0..1
  readonly lateThresholdMs: number;
  readonly maxLateMs: number;
}

/** Which target the run drove (secrets never appear: the URL carries no credentials). */
export interface TargetReport {
  readonly kind: 'inprocess' | 'http';
  readonly description: string;
  readonly url: string | null;
  readonly protocol: string | null;
}

/** Whether a step's measurement settled (the last N windows' p95 and throughput agree). */
export interface StabilityReport {
  readonly kind: 'stable' | 'unstable' | 'not-judged';
  readonly reason: string;
  readonly p95Spread: number | null;
  readonly throughputSpread: number | null;
  /** How much the step ran past its planned measurement to settle (0 when it did not extend). */
  readonly extendedMs: number;
}

/** A percentile with its distribution-free confidence interval and whether n can support it. */
export interface PercentileEstimate {
  readonly valueMs: number;
  readonly lowMs: number | null;
  readonly highMs: number | null;
  /** Independent samples behind it (items / mean batch size) against MLPerf's minimum for it. */
  readonly samples: number;
  readonly minSamples: number;
  readonly supported: boolean;
}

/** Per step, the e2e percentiles with their honesty attached; null when nothing was measured. */
export interface E2eConfidenceReport {
  readonly confidence: number; // e.g. 0.95
  readonly p50: PercentileEstimate;
  readonly p95: PercentileEstimate;
  readonly p99: PercentileEstimate;
}

/** --repeat N: the same step measured N times (histograms merged into the step), and the spread. */
export interface RepeatReport {
  readonly itemsPerSec: readonly number[];
  readonly p95Ms: readonly (number | null)[];
  /** Absent in reports written before compare used them for run-to-run noise. */
  readonly p50Ms?: readonly (number | null)[];
  readonly p99Ms?: readonly (number | null)[];
}

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

export interface StepReport extends StepMeasurement {
  readonly index: number;
  readonly stage: Stage;
  readonly mode: 'dynamic' | 'static';
  readonly batchSize: number;
  /** Closed loop: items in flight; null for open-loop steps. */
  readonly concurrency: number | null;
  /** Open-loop steps only; null for closed-loop steps. */
  readonly openLoop: OpenLoopReport | null;
  readonly maxQueueDelayMs: number;
  readonly maxNewTokens: number | null;
  /** T(b) / T(smallest b of this stage); null when that step has no throughput. */
  readonly speedup: number | null;
  /** speedup / (b / smallest b): 1.0 = perfect scaling. */
  readonly efficiency: number | null;
  readonly withinBudget: boolean;
  readonly budgetChecks: BudgetCheck;
  /** False when the step ended early (interrupted) or measured nothing. */
  readonly complete: boolean;
  /** What the GPU(s) did during the step's measured window; null when telemetry was off. */
  readonly gpu: GpuStepReport | null;
  /** null when stability was not checked for this step. */
  readonly stability: StabilityReport | null;
  readonly e2eConfidence: E2eConfidenceReport | null;
  /** null unless the run repeated its sweep. */
  readonly repeats: RepeatReport | null;
  /**
   * The step's first model call (ms, the slowest instance's), made before its load and kept out of
   * its histograms; null over HTTP and for scenario stages. Absent in reports written before.
   */
  readonly coldStartMs?: number | null;
  /** Scenario steps only: the load stage this step measured (items are assigned by send time). */
  readonly profile?: StepProfile;
}

/** One window of a scenario's timeline: every item that responded in it, whatever stage sent it. */
export interface TimelineWindow {
  readonly startMs: number; // epoch ms
  readonly endMs: number;
  /** The load asked for at the window's middle: requests in flight, or requests per second. */
  readonly level: number;
  readonly completed: number;
  readonly errors: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** What the runner knows of a scenario; the verdict is judged from it (and re-judged on re-analysis). */
export type ScenarioFacts = Omit<ScenarioReport, 'verdict'>;

/** report.json `scenario`: the load stages as run, the timeline, and the scenario's verdict. */
export interface ScenarioReport {
  readonly kind: ScenarioKind;
  readonly axis: 'concurrency' | 'rate';
  readonly stage: Stage;
  readonly batchSize: number;
  readonly timeScale: number;
  readonly loadScale: number;
  readonly windowMs: number;
  /** As planned (scaled). */
  readonly stages: readonly ScenarioStageSpec[];
  /** Epoch ms the first stage began (after warm-up). */
  readonly startedAtMs: number;
  /** Stages that ran to their end. */
  readonly stagesRun: number;
  /** Why it ended before its last stage: the breaking point was found (stress), or an interrupt. */
  readonly stoppedEarly: string | null;
  /**
   * Windows in scenario time from startedAtMs. After --resume, the windows measured after the
   * pause are shifted back by `pausedMs` so the stages line up with the plan.
   */
  readonly timeline: readonly TimelineWindow[];
  /** --resume: time between the interruption and the resumed drive (absent: never paused). */
  readonly pausedMs?: number;
  readonly verdict: ScenarioVerdict;
}

export interface Recommendation {
  readonly stage: Stage;
  /** Best batch size under budget; null when none met it. */
  readonly batchSize: number | null;
  readonly itemsPerSec: number | null;
  readonly p95Ms: number | null;
  /** One sentence with the reason, e.g. "batch 64: 28.0k items/s at p95 4.4 ms; 128 gains 9 % for 1.9x the latency". */
  readonly reason: string;
}

export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly runId: string;
  readonly startedAt: string; // ISO 8601
  readonly finishedAt: string;
  readonly partial: boolean;
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
}
