/** Types the runner's files share: the target as the runner drives it, and what a scenario drive returns. */
import type { ModelInfo } from '../core/model-info.js';
import type { BackendReport } from '../core/report/environment.js';
import type { TimelineWindow } from '../core/report/scenario.js';
import type { Target } from '../targets/target.js';

export interface RunnerTarget extends Target {
  readonly backend: BackendReport | null;
  readonly models: readonly ModelInfo[];
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
