/** Types the runner's files share: the target as the runner drives it, and what a scenario drive returns. */
import type { ModelInfo } from '../core/model-info.js';
import type { BackendReport } from '../core/report/environment.js';
import type { TimelineWindow } from '../core/report/scenario.js';
import type { TfMemory } from '../core/report/telemetry.js';
import type { Target } from '../targets/target.js';

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
export interface ScenarioOutcome {
  /** Epoch ms when the first stage (of this run) began, after warm-up. */
  readonly startedAtMs: number;
  /** Stages of `steps` that ran to their end. */
  readonly stagesRun: number;
  /** 'breaking point found: ...' (stress) | 'interrupted by SIGINT' | ...; null when every stage ran. */
  readonly stoppedEarly: string | null;
  readonly timeline: readonly TimelineWindow[];
}
