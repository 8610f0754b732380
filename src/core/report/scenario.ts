/** report.json `scenario`: the load stages as run, the timeline and the verdict. */
import type { Stage } from '../stage.js';
import type { ScenarioKind, ScenarioStageSpec } from '../scenario.js';
import type { ScenarioVerdict } from './scenario-verdict.js';

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
