/**
 * Whether a step's measurement has settled: the last N windows agree on p95 and throughput within
 * a tolerance plus their sampling error (spread = max / min - 1). The sampling error is the spread
 * that windows of the same call counts drawn from a steady process (their own calls, pooled) reach
 * 19 times in 20 (window-sampling-error.ts): a p95 spread beyond tolerance + sampling error is
 * drift the windows' size cannot explain. Windows that carry no histogram or call count (reports
 * written before they did) are judged on the tolerance alone. The runner calls this between windows
 * and extends the step until it is stable or a limit is reached; an unstable step is reported as
 * such, never passed.
 */
import type { WindowStat } from '../core/measurement.js';
import { windowSamplingErrors, type SamplingErrors } from './window-sampling-error.js';

export interface StabilityOptions {
  readonly lastN?: number;
  /** Largest allowed max / min - 1 for both p95 and throughput, on top of their sampling error. */
  readonly tolerance?: number;
  /** Variance per expected count of the step's arrivals in a window: 1 for Poisson arrivals, else 0. */
  readonly arrivalDispersion?: number;
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
      readonly samplingError: SamplingErrors | null;
    }
  | {
      readonly kind: 'unstable';
      readonly stable: false;
      readonly reason: string;
      readonly p95Spread: number | null;
      readonly throughputSpread: number | null;
      readonly samplingError: SamplingErrors | null;
    }
  | {
      readonly kind: 'not-judged';
      readonly stable: false;
      readonly reason: string;
      readonly p95Spread: null;
      readonly throughputSpread: null;
      readonly samplingError: null;
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
      samplingError: null,
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
      samplingError: null,
    };
  }
  const p95Spread = spread(recent.map((w) => w.e2eP95Ms ?? 0));
  const throughputSpread = spread(recent.map((w) => w.completed / ((w.endMs - w.startMs) / MS_PER_SEC)));
  const samplingError = windowSamplingErrors(recent, { arrivalDispersion: options.arrivalDispersion ?? 0 });
  if (samplingError === null) return judgedOnTolerance(lastN, tolerance, p95Spread, throughputSpread);
  const p95Held = p95Spread <= tolerance + samplingError.p95 + FLOAT_SLACK;
  const throughputHeld = throughputSpread <= tolerance + samplingError.throughput + FLOAT_SLACK;
  const p95Part = `p95 spread ${pct(p95Spread)} ${p95Held ? 'within' : 'over'} ${pct(tolerance)} + sampling error ${pct(samplingError.p95)}`;
  const throughputPart = `throughput spread ${pct(throughputSpread)} ${throughputHeld ? 'within' : 'over'} ${pct(tolerance)} + sampling error ${pct(samplingError.throughput)}`;
  if (!p95Held || !throughputHeld) {
    const breaks = [p95Held ? null : p95Part, throughputHeld ? null : throughputPart].filter((part): part is string => part !== null);
    return {
      kind: 'unstable',
      stable: false,
      reason: `last ${lastN} windows: ${breaks.join(' and ')}`,
      p95Spread,
      throughputSpread,
      samplingError,
    };
  }
  return {
    kind: 'stable',
    stable: true,
    reason: `last ${lastN} windows agree: ${p95Part}, ${throughputPart}`,
    p95Spread,
    throughputSpread,
    samplingError,
  };
}

/** Windows that cannot tell their sampling error (no histograms or call counts): the spreads against the tolerance alone. */
function judgedOnTolerance(lastN: number, tolerance: number, p95Spread: number, throughputSpread: number): StabilityVerdict {
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
      samplingError: null,
    };
  }
  return {
    kind: 'stable',
    stable: true,
    reason: `last ${lastN} windows agree within ${pct(tolerance)} (p95 ${pct(p95Spread)}, throughput ${pct(throughputSpread)})`,
    p95Spread,
    throughputSpread,
    samplingError: null,
  };
}
