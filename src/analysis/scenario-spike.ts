/**
 * spike: the rise to the scenario's highest level, the hold there and the fall back, found from
 * the stage profile; what latency and errors did during it, and how long p95 took to come back.
 */
import { formatMs, formatPct } from '../format.js';
import type { ScenarioFacts, TimelineWindow } from '../core/report/scenario.js';
import { offsetMs, windowsErrorRate, windowsWithin } from './scenario-windows.js';
import { isHold, placeStages, type PlacedStage } from '../load/placed-stages.js';
import type { SpikeVerdict } from '../core/report/scenario-verdict.js';

/** Back within 10 % of the pre-spike p95 (the guide's definition of recovered). */
export const RECOVERED_WITHIN = 1.1;
/** ...and still there for the next two windows, so one lucky window does not count as recovery. */
export const RECOVERY_CONFIRM_WINDOWS = 2;
/** The guide's recovery target, when the workload does not set one. */
export const DEFAULT_RECOVERY_TARGET_MS = 30_000;

export interface SpikeShape {
  /** The last hold before the rise: the baseline. */
  readonly before: PlacedStage | null;
  readonly riseStartMs: number;
  readonly fallEndMs: number;
  /** The profile falls back after its peak; false when it ends at the peak. */
  readonly falls: boolean;
}

/** null when the profile never rises (no stage goes above the level it starts from). */
export function findSpike(stages: readonly PlacedStage[]): SpikeShape | null {
  const peakLevel = Math.max(0, ...stages.map((s) => s.toLevel));
  const peak = stages.findIndex((s) => s.toLevel === peakLevel && s.toLevel > s.fromLevel);
  if (peak < 0) return null;
  let rise = peak;
  while (rise > 0 && (stages[rise - 1] as PlacedStage).toLevel > (stages[rise - 1] as PlacedStage).fromLevel) rise--;
  let last = peak;
  while (last + 1 < stages.length && (stages[last + 1] as PlacedStage).toLevel === peakLevel) last++;
  let fallEnd = last;
  while (fallEnd + 1 < stages.length && (stages[fallEnd + 1] as PlacedStage).toLevel < (stages[fallEnd + 1] as PlacedStage).fromLevel)
    fallEnd++;
  const before = stages.slice(0, rise).reverse().find(isHold) ?? null;
  return {
    before,
    riseStartMs: (stages[rise] as PlacedStage).startMs,
    fallEndMs: (stages[fallEnd] as PlacedStage).endMs,
    falls: fallEnd > last,
  };
}

/** Which of the pre-spike windows' p95s is "the pre-spike p95": the one 9 in 10 of them stayed under. */
export const PRE_SPIKE_WINDOW_QUANTILE = 0.9;

/**
 * The pre-spike hold's window p95 (its first window skipped, as it still carries the ramp) that 9
 * in 10 of its windows stayed under. Recovery compares single windows' p95 with it, so a window
 * figure; and a high one, because short windows' p95s scatter on their own: against the median,
 * half of the baseline's own windows would read as "not recovered".
 */
export function preSpikeP95(timeline: readonly TimelineWindow[], before: PlacedStage): number | null {
  const values = windowsWithin(timeline, before.startMs, before.endMs)
    .slice(1)
    .map((w) => w.p95Ms)
    .filter((p): p is number => p !== null)
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  return values[Math.min(values.length - 1, Math.ceil(PRE_SPIKE_WINDOW_QUANTILE * values.length) - 1)] as number;
}

/**
 * From the end of the fall to the start of the first window that is back and stays back for the
 * next RECOVERY_CONFIRM_WINDOWS; null if none (or too few windows were left to confirm it).
 */
export function recoveryMs(after: readonly TimelineWindow[], fallEndMs: number, baselineP95Ms: number): number | null {
  const back = (w: TimelineWindow): boolean => w.p95Ms !== null && w.p95Ms <= RECOVERED_WITHIN * baselineP95Ms;
  // The confirming windows must exist: a last, short drain window alone does not show a recovery.
  const confirmed = (i: number): boolean => {
    const run = after.slice(i, i + 1 + RECOVERY_CONFIRM_WINDOWS);
    return run.length === 1 + RECOVERY_CONFIRM_WINDOWS && run.every(back);
  };
  const first = after.findIndex((_, i) => confirmed(i));
  const window = after[first];
  return window === undefined ? null : Math.max(0, window.startMs - fallEndMs);
}

export function judgeSpike(facts: ScenarioFacts, recoveryTargetMs: number): SpikeVerdict {
  const shape = findSpike(placeStages(facts.stages, facts.startedAtMs));
  const lastWindowEnd = facts.timeline.at(-1)?.endMs ?? facts.startedAtMs;
  if (shape === null) {
    return blank(facts, recoveryTargetMs, 'Spike: the scenario never rises above its starting level, so there is no spike to judge.');
  }
  const spikeWindows = windowsWithin(facts.timeline, shape.riseStartMs, shape.fallEndMs);
  const worst = spikeWindows.map((w) => w.p95Ms).filter((p): p is number => p !== null);
  const base = shape.before === null ? null : preSpikeP95(facts.timeline, shape.before);
  const after = windowsWithin(facts.timeline, shape.fallEndMs, Infinity);
  const recovery = base === null || !shape.falls ? null : recoveryMs(after, shape.fallEndMs, base);
  const verdict: Omit<SpikeVerdict, 'passed' | 'summary'> = {
    kind: 'spike',
    preSpikeP95Ms: base,
    spikeWorstP95Ms: worst.length === 0 ? null : Math.max(...worst),
    spikeErrorRate: windowsErrorRate(spikeWindows),
    spikeStartAtMs: offsetMs(facts, shape.riseStartMs),
    spikeEndAtMs: offsetMs(facts, shape.fallEndMs),
    recoveryMs: recovery,
    recoveryTargetMs,
  };
  const passed = recovery !== null && recovery <= recoveryTargetMs;
  return { ...verdict, passed, summary: spikeSummary(verdict, shape, lastWindowEnd, passed) };
}

function blank(facts: ScenarioFacts, recoveryTargetMs: number, summary: string): SpikeVerdict {
  return {
    kind: 'spike',
    passed: false,
    summary,
    preSpikeP95Ms: null,
    spikeWorstP95Ms: null,
    spikeErrorRate: windowsErrorRate(facts.timeline),
    spikeStartAtMs: 0,
    spikeEndAtMs: 0,
    recoveryMs: null,
    recoveryTargetMs,
  };
}

function spikeSummary(v: Omit<SpikeVerdict, 'passed' | 'summary'>, shape: SpikeShape, lastWindowEndMs: number, passed: boolean): string {
  if (lastWindowEndMs <= shape.riseStartMs) {
    return `Spike: the run ended before the spike began (at ${formatMs(v.spikeStartAtMs)}), so there is nothing to judge.`;
  }
  const during =
    v.spikeWorstP95Ms === null
      ? `nothing completed during the spike (${formatMs(v.spikeStartAtMs)} to ${formatMs(v.spikeEndAtMs)})`
      : `worst window p95 ${formatMs(v.spikeWorstP95Ms)} and errors ${formatPct(v.spikeErrorRate)} during the spike (${formatMs(v.spikeStartAtMs)} to ${formatMs(v.spikeEndAtMs)})`;
  const target = `target ${formatMs(v.recoveryTargetMs)}`;
  let recovery: string;
  if (v.preSpikeP95Ms === null) {
    recovery = shape.before === null ? 'no hold before the spike to recover to' : 'the hold before the spike measured no p95 to recover to';
  } else if (!shape.falls) {
    recovery = 'the profile does not fall back after the spike, so recovery was not measured';
  } else if (lastWindowEndMs < shape.fallEndMs) {
    recovery = `the run ended before the spike was over (pre-spike p95 ${formatMs(v.preSpikeP95Ms)})`;
  } else if (v.recoveryMs === null) {
    recovery = `p95 never came back within 10 % of its pre-spike ${formatMs(v.preSpikeP95Ms)} before the run ended (${target})`;
  } else {
    recovery = `p95 was back within 10 % of its pre-spike ${formatMs(v.preSpikeP95Ms)} after ${formatMs(v.recoveryMs)} (${target}${passed ? '' : ', missed'})`;
  }
  return `Spike: ${during}; ${recovery}.`;
}
