/**
 * One clock for every stamp, in every thread and process: epoch milliseconds with sub-microsecond
 * resolution. `performance.now()` alone counts from each thread's own origin; adding
 * `performance.timeOrigin` puts the main thread, workers and child processes on the same axis.
 */
export type Clock = () => number;

export const epochNowMs: Clock = () => performance.timeOrigin + performance.now();

/** Histograms record integer microseconds (1 us .. 1 h). */
export function msToUs(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}
