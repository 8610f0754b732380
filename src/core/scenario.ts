/**
 * A scenario as the resolved workload holds it: k6-style load stages driven back to back, judged by
 * kind (steady, spike, soak, stress), and the scenario as its file wrote it before any scaling.
 */
import type { Stage } from './stage.js';

export type ScenarioKind = 'steady' | 'spike' | 'soak' | 'stress';
export const SCENARIO_KINDS = ['steady', 'spike', 'soak', 'stress'] as const satisfies readonly ScenarioKind[];

/** The guide's test schedule: how long the same scenario file runs, by when it runs. */
export type SchedulePreset = 'pr-smoke' | 'daily' | 'weekly';
export const SCHEDULE_PRESETS = ['pr-smoke', 'daily', 'weekly'] as const satisfies readonly SchedulePreset[];

/**
 * One k6-style load stage: the load moves linearly from the previous stage's target (0 before the
 * first) to `target` over `durationMs`; a target equal to the previous one holds. The target is
 * requests in flight (closed loop) or requests per second (open loop), after scaling.
 */
export interface ScenarioStageSpec {
  /** "ramp-up", "hold", "spike", "recovery", ...: the name reports and verdicts use. */
  readonly name: string;
  readonly durationMs: number;
  readonly target: number;
}

export interface ScenarioSpec {
  readonly kind: ScenarioKind;
  /** The one pipeline stage the scenario drives, at one batch size (in process: the batcher's max). */
  readonly stage: Stage;
  readonly batchSize: number;
  /** Already scaled: durations x timeScale, targets x loadScale. */
  readonly stages: readonly ScenarioStageSpec[];
  /** What the file's durations were multiplied by (a schedule preset or --time-scale). */
  readonly timeScale: number;
  /** What the file's targets were multiplied by (--load-scale). */
  readonly loadScale: number;
  /** Timeline window length; verdicts (held, recovery, drift) are judged per window. */
  readonly windowMs: number;
  /** spike: how soon p95 must be back within 10 % of its pre-spike value (the guide: 30 s). */
  readonly recoveryTargetMs: number;
  /** stress: load stages to run past the first one that breaks the budget, then stop; null = run all. */
  readonly stopAfterBreak: number | null;
}

/** A scenario as its file wrote it (units converted, defaults applied), before any scaling. */
export interface ScenarioAsWritten extends Omit<ScenarioSpec, 'timeScale' | 'loadScale'> {
  /** Targets are requests per second (open loop) or requests in flight (closed). */
  readonly axis: 'concurrency' | 'rate';
  /** The file's own scales: what a workload without scenario flags runs at. */
  readonly timeScale: number;
  readonly loadScale: number;
}
