/**
 * A step's live `window` events (live view, /metrics exporter, JSONL): one per window as it closes,
 * from whatever holds the step's closed windows (its recorder, or the merge of its worker threads'
 * windows), and the rest at the step's end.
 */
import type { WindowStat } from '../core/measurement.js';
import type { HostSample } from '../core/report/telemetry.js';
import type { Step } from '../core/workload.js';
import type { RunListener } from './events.js';

/** The latest GPU and host readings, for the live `window` events. */
export interface LiveSources {
  /** Mean utilisation over the GPUs in the latest sample; null without GPU telemetry. */
  gpuUtilPct(): number | null;
  /** Power of all GPUs together in the latest sample; null without GPU telemetry. */
  gpuPowerW(): number | null;
  host(): HostSample | null;
}

/** What the emitter reads: a recorder, or merged worker windows. */
export interface ClosedWindows {
  readonly closedWindowCount: number;
  closedWindows(): WindowStat[];
}

export interface WindowEmitter {
  /** A `window` event for each window that closed since the last call (live view, exporters). */
  (source: ClosedWindows): void;
  /** At the step's end: the rest, the last (shorter) window included, so live totals add up. */
  last(windows: readonly WindowStat[]): void;
}

/** The load a step asks for: requests (or items) in flight, or requests per second. */
export function stepLevel(step: Step): number | null {
  return step.arrivals?.ratePerSec ?? step.concurrency;
}

export function windowEmitter(step: Step, emit: RunListener, live: LiveSources | undefined): WindowEmitter {
  let emitted = 0;
  const level = stepLevel(step);
  const emitFrom = (windows: readonly WindowStat[], count: number): void => {
    if (count <= emitted) return;
    const gpuUtilPct = live?.gpuUtilPct() ?? null;
    const gpuPowerW = live?.gpuPowerW() ?? null;
    const host = live?.host() ?? null;
    for (let i = emitted; i < count; i++) {
      const window = windows[i];
      if (window !== undefined) emit({ kind: 'window', step, window, level, gpuUtilPct, gpuPowerW, host });
    }
    emitted = count;
  };
  const emitter = (source: ClosedWindows): void => {
    const count = source.closedWindowCount;
    if (count > emitted) emitFrom(source.closedWindows(), count);
  };
  return Object.assign(emitter, { last: (windows: readonly WindowStat[]) => emitFrom(windows, windows.length) });
}
