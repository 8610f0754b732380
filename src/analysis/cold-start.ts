/** When a step's cold start (its first model call, measured apart) is worth a reader's attention. */
import type { StepReport } from '../core/report/step.js';

/** A first call this many times the step's p50 model time is flagged. */
export const SLOW_COLD_START_FACTOR = 10;

/** Cold start / p50 inference; null when either is missing. */
export function coldStartFactor(step: Pick<StepReport, 'coldStartMs' | 'latencyMs'>): number | null {
  const coldMs = step.coldStartMs;
  const p50Ms = step.latencyMs.inference?.p50;
  if (coldMs === undefined || coldMs === null || p50Ms === undefined || !(p50Ms > 0)) return null;
  return coldMs / p50Ms;
}

export function isSlowColdStart(step: Pick<StepReport, 'coldStartMs' | 'latencyMs'>): boolean {
  const factor = coldStartFactor(step);
  return factor !== null && factor > SLOW_COLD_START_FACTOR;
}
