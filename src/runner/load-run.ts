/**
 * Driving and recording one step's load, wherever it runs (the main thread, or split over load
 * worker threads): what it is given, and the plain facts it returns for the step's report.
 */
import type { Clock } from '../core/clock.js';
import type { StepMeasurement } from '../core/measurement.js';
import type { MeasureEndReason, OpenLoopReport, StabilityReport } from '../core/report/step.js';
import type { StabilitySettings } from '../core/workload.js';
import type { TextSource } from '../workload/corpus.js';
import type { RunListener } from './events.js';
import type { RunnerTarget } from './types.js';
import type { LiveSources } from './window-events.js';

export interface LoadContext {
  readonly target: RunnerTarget;
  readonly texts: TextSource;
  readonly seed: number;
  readonly clock: Clock;
  readonly stability: StabilitySettings | null;
  readonly signal?: AbortSignal;
  readonly drainGraceMs?: number;
  readonly tickMs?: number;
  readonly emit: RunListener;
  /** Absent: window events carry no GPU or host reading. */
  readonly live?: LiveSources;
}

export interface LoadRun {
  /** Abandoned items already counted in it. */
  readonly measurement: StepMeasurement;
  /** What ended the measurement, in the report's words. */
  readonly endedBy: MeasureEndReason;
  /** Items still in flight when the drain ran out. */
  readonly abandoned: number;
  readonly openLoop: OpenLoopReport | null;
  /** null when stability is off. */
  readonly stability: StabilityReport | null;
}
