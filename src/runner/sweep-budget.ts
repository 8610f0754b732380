/**
 * measure.maxSweepDuration: the whole sweep's time cap, shared over its steps as they run, so
 * each gets what the ones before it left. Before each step, its hard limit (measure.maxDuration)
 * becomes at most what is left of the sweep's time, less RESERVED_PER_STEP_MS kept for every step
 * still to come. A step that ends early (its precision reached and settled, or its window cap) leaves its
 * time to the next; an expensive step (a large batch) may take all but the reserve. A step never
 * gets less than the reserve itself, so a sweep over its time overruns by at most that per step.
 * With `repeat`, each pass of the sweep has the whole cap.
 */
import type { Step } from '../core/workload.js';
import { formatMs } from '../format.js';

/** Kept for each step to come: stability's 3 windows at their 1 s floor, and one more to judge. */
export const RESERVED_PER_STEP_MS = 4000;

/** The hard limit of the next step, with `leftMs` of the sweep's time left and `stepsAfter` steps after it. */
export function stepTimeCapMs(maxDurationMs: number, leftMs: number, stepsAfter: number, reservedMs = RESERVED_PER_STEP_MS): number {
  return Math.min(maxDurationMs, Math.max(reservedMs, leftMs - reservedMs * stepsAfter));
}

/** The step with its hard limit capped by the sweep's time left (unchanged when the workload sets no sweep cap). */
export function withSweepCap(step: Step, elapsedMs: number, stepsAfter: number): Step {
  const sweepCapMs = step.measure.maxSweepDurationMs;
  if (sweepCapMs === undefined) return step;
  const maxDurationMs = stepTimeCapMs(step.measure.maxDurationMs, sweepCapMs - elapsedMs, stepsAfter);
  return maxDurationMs === step.measure.maxDurationMs ? step : { ...step, measure: { ...step.measure, maxDurationMs } };
}

/** One line for the run's warnings: the sweep's cap, not the step's own limit, ended the step. `repeat`: the pass (1-based), or null. */
export function sweepCapWarning(step: Step, cappedMs: number, repeat: number | null): string {
  const sweepCapMs = step.measure.maxSweepDurationMs ?? 0;
  return (
    `step ${step.index} (${step.stage} batch ${step.batchSize}${repeat === null ? '' : `, repeat ${repeat}`}): ended at ${formatMs(cappedMs)}, what the sweep's time cap ` +
    `(measure.maxSweepDuration ${formatMs(sweepCapMs)}) had left for it, before its own measure.maxDuration (${formatMs(step.measure.maxDurationMs)}); ` +
    "raise measure.maxSweepDuration to give the sweep's dear steps their time"
  );
}
