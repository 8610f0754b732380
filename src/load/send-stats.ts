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
export function lateShare(stats: Pick<SendStats, 'sends' | 'lateSends'>): number {
  return stats.sends === 0 ? 0 : stats.lateSends / stats.sends;
}

/**
 * Counts measured sends against their schedule while sending: the one lateness rule, kept by the
 * open-loop driver for its step and by a scenario's ledger for each stage.
 */
export class SendCounter {
  private sends = 0;
  private lateSends = 0;
  private maxLateMs = 0;
  private firstSendAtMs: number | null = null;
  private lastSendAtMs: number | null = null;

  constructor(private readonly lateThresholdMs: number) {}

  /** A send due at `dueMs` went out at `issuedAtMs`: late when more than the threshold after. */
  count(dueMs: number, issuedAtMs: number): void {
    const lateMs = issuedAtMs - dueMs;
    this.sends++;
    if (lateMs > this.lateThresholdMs) this.lateSends++;
    if (lateMs > this.maxLateMs) this.maxLateMs = lateMs;
    this.firstSendAtMs ??= issuedAtMs;
    this.lastSendAtMs = issuedAtMs;
  }

  /** The rate comes from the first and last measured send. */
  stats(): SendStats {
    const { sends, lateSends, lateThresholdMs, maxLateMs, firstSendAtMs, lastSendAtMs } = this;
    return {
      sends,
      lateSends,
      lateThresholdMs,
      maxLateMs,
      firstSendAtMs,
      lastSendAtMs,
      achievedRatePerSec: achievedRate(sends, firstSendAtMs, lastSendAtMs),
    };
  }
}

/** Sends per second between the first and the last send (n sends span n - 1 gaps); 0 with fewer than two. */
export function achievedRate(sends: number, firstSendAtMs: number | null, lastSendAtMs: number | null): number {
  const spanMs = firstSendAtMs !== null && lastSendAtMs !== null ? lastSendAtMs - firstSendAtMs : 0;
  return sends >= 2 && spanMs > 0 ? (sends - 1) / (spanMs / 1000) : 0;
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
