/**
 * Drift of one quantity over a run, as the soak reports it: a Theil-Sen slope per hour, relative
 * to the fitted value at the start, and whether the change over the run is big enough to call.
 */
import type { DriftDirection, DriftFit } from '../core/report/scenario-verdict.js';
import { theilSen } from './theil-sen.js';

export interface TimedValue {
  readonly tMs: number;
  readonly value: number;
}

/** Which way is bad for this quantity: latency and memory up, throughput down. */
export type WorseWhen = 'higher' | 'lower';

/** Below 10 % over the whole run a change is within what window-to-window noise and warm caches do. */
export const FLAT_RELATIVE_CHANGE = 0.1;
const MS_PER_HOUR = 3_600_000;

/** null with fewer than two distinct times. */
export function fitDrift(series: readonly TimedValue[], worseWhen: WorseWhen, flatBelow = FLAT_RELATIVE_CHANGE): DriftFit | null {
  if (series.length < 2) return null;
  const t0 = Math.min(...series.map((s) => s.tMs));
  const tEnd = Math.max(...series.map((s) => s.tMs));
  const fit = theilSen(series.map((s) => ({ x: (s.tMs - t0) / MS_PER_HOUR, y: s.value })));
  if (fit === null) return null;
  const spanHours = (tEnd - t0) / MS_PER_HOUR;
  const start = fit.intercept;
  const relativePerHour = start === 0 ? null : fit.slope / start;
  const relativeOverRun = start === 0 ? null : (fit.slope * spanHours) / start;
  return {
    slopePerHour: fit.slope,
    relativePerHour,
    relativeOverRun,
    direction: direction(relativeOverRun, worseWhen, flatBelow),
    points: fit.points,
  };
}

function direction(relativeOverRun: number | null, worseWhen: WorseWhen, flatBelow: number): DriftDirection {
  if (relativeOverRun === null || Math.abs(relativeOverRun) < flatBelow) return 'flat';
  const rising = relativeOverRun > 0;
  return rising === (worseWhen === 'higher') ? 'worse' : 'better';
}
