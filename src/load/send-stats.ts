/**
 * What an open-loop drive's sends did against their schedule: how many went late and by how much,
 * and the rate achieved. One builder of the report's OpenLoopReport for a step and a scenario stage.
 */
import type { OpenLoopReport } from '../core/report/step.js';
import type { StepArrivals } from '../core/workload.js';

/** Measured sends only. */
export interface SendStats {
  readonly sends: number;
  readonly lateSends: number;
  readonly lateThresholdMs: number;
  readonly maxLateMs: number;
  /** Actual send times (clock) of the first and last measured sends. */
  readonly firstSendAtMs: number | null;
  readonly lastSendAtMs: number | null;
  /** (sends - 1) / (last - first) in seconds; 0 with fewer than 2 sends. */
  readonly achievedRatePerSec: number;
}

/** Above this share of late sends the step's numbers understate the rate asked for: warn (perf_analyzer). */
export const LATE_SEND_WARN_SHARE = 0.01;

/** Late sends / measured sends (0 with no sends). */
export function lateShare(stats: SendStats): number {
  return stats.sends === 0 ? 0 : stats.lateSends / stats.sends;
}

/** Counts kept while sending; the rate comes from the first and last measured send. */
export interface SendCounts {
  readonly sends: number;
  readonly lateSends: number;
  readonly maxLateMs: number;
  readonly firstSendAtMs: number | null;
  readonly lastSendAtMs: number | null;
}

export function sendStatsOf(counts: SendCounts, lateThresholdMs: number): SendStats {
  const { sends, lateSends, maxLateMs, firstSendAtMs, lastSendAtMs } = counts;
  const spanMs = firstSendAtMs !== null && lastSendAtMs !== null ? lastSendAtMs - firstSendAtMs : 0;
  return {
    sends,
    lateSends,
    lateThresholdMs,
    maxLateMs,
    firstSendAtMs,
    lastSendAtMs,
    achievedRatePerSec: sends >= 2 && spanMs > 0 ? (sends - 1) / (spanMs / 1000) : 0,
  };
}

/** report.json's openLoop for a step (or a scenario stage) driven at `arrivals`. */
export function openLoopReport(arrivals: StepArrivals, stats: SendStats): OpenLoopReport {
  return {
    process: arrivals.process,
    targetRatePerSec: arrivals.ratePerSec,
    achievedRatePerSec: stats.achievedRatePerSec,
    maxInFlight: arrivals.maxInFlight,
    sends: stats.sends,
    lateSends: stats.lateSends,
    lateShare: lateShare(stats),
    lateThresholdMs: stats.lateThresholdMs,
    maxLateMs: stats.maxLateMs,
  };
}
