/**
 * Whether a step's measurement has settled: the last N windows agree on p95 and throughput within
 * a tolerance (spread = max / min - 1). The runner calls this between windows and extends the step
 * until it is stable or a limit is reached; an unstable step is reported as such, never passed.
 */
import type { WindowStat } from '../core/measurement.js';

export interface StabilityOptions {
  readonly lastN?: number;
  /** Largest allowed max / min - 1 for both p95 and throughput. */
  readonly tolerance?: number;
}

export const DEFAULT_STABILITY_WINDOWS = 3;
export const DEFAULT_STABILITY_TOLERANCE = 0.1;

export type StabilityVerdict =
  | {
      readonly kind: 'stable';
      readonly stable: true;
      readonly reason: string;
      readonly p95Spread: number;
      readonly throughputSpread: number;
    }
  | {
      readonly kind: 'unstable';
      readonly stable: false;
      readonly reason: string;
      readonly p95Spread: number | null;
      readonly throughputSpread: number | null;
    }
  | {
      readonly kind: 'not-judged';
      readonly stable: false;
      readonly reason: string;
      readonly p95Spread: null;
      readonly throughputSpread: null;
    };

const MS_PER_SEC = 1000;
/** So that exactly `tolerance` (1.1 / 1.0 - 1 = 0.10000000000000009) counts as within it. */
const FLOAT_SLACK = 1e-12;

function spread(values: readonly number[]): number {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min > 0 ? max / min - 1 : Infinity;
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** Why a window gives nothing to compare, or null when it has both a p95 and a rate. */
function emptyWindowReason(window: WindowStat): string | null {
  if (!(window.endMs > window.startMs)) return 'has no duration';
  if (window.completed === 0) return 'completed no items';
  if (window.e2eP95Ms === null) return 'has no p95';
  return null;
}

export function judgeStability(windows: readonly WindowStat[], options: StabilityOptions = {}): StabilityVerdict {
  const lastN = options.lastN ?? DEFAULT_STABILITY_WINDOWS;
  const tolerance = options.tolerance ?? DEFAULT_STABILITY_TOLERANCE;
  if (windows.length < lastN) {
    return {
      kind: 'not-judged',
      stable: false,
      reason: `${windows.length} of ${lastN} windows measured`,
      p95Spread: null,
      throughputSpread: null,
    };
  }
  const recent = windows.slice(-lastN);
  const emptyAt = recent.findIndex((w) => emptyWindowReason(w) !== null);
  const empty = recent[emptyAt];
  if (empty !== undefined) {
    const position = windows.length - lastN + emptyAt + 1;
    return {
      kind: 'unstable',
      stable: false,
      reason: `window ${position} ${emptyWindowReason(empty)}`,
      p95Spread: null,
      throughputSpread: null,
    };
  }
  const p95Spread = spread(recent.map((w) => w.e2eP95Ms ?? 0));
  const throughputSpread = spread(recent.map((w) => w.completed / ((w.endMs - w.startMs) / MS_PER_SEC)));
  const breaks = [
    p95Spread > tolerance + FLOAT_SLACK ? `p95 spread ${pct(p95Spread)}` : null,
    throughputSpread > tolerance + FLOAT_SLACK ? `throughput spread ${pct(throughputSpread)}` : null,
  ].filter((part): part is string => part !== null);
  if (breaks.length > 0) {
    return {
      kind: 'unstable',
      stable: false,
      reason: `last ${lastN} windows: ${breaks.join(' and ')} over ${pct(tolerance)}`,
      p95Spread,
      throughputSpread,
    };
  }
  return {
    kind: 'stable',
    stable: true,
    reason: `last ${lastN} windows agree within ${pct(tolerance)} (p95 ${pct(p95Spread)}, throughput ${pct(throughputSpread)})`,
    p95Spread,
    throughputSpread,
  };
}
