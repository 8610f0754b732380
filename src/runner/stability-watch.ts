/**
 * Decides, while a step runs, whether it may stop at its planned length: only once the last N
 * closed windows agree (judgeStability), or when the extension allowance is spent. Judging runs
 * once per closed window, not per send. A step that runs out of allowance unsettled is reported
 * unstable, never passed as if it had settled.
 */
import { judgeStability, type StabilityVerdict } from '../analysis/stability.js';
import type { WindowStat } from '../core/measurement.js';
import type { StabilityReport } from '../core/report/step.js';
import type { PhaseLength, StabilitySettings } from '../core/workload.js';

/** What the watch reads of the recorder. */
export interface ClosedWindowSource {
  readonly closedWindowCount: number;
  /** The first measured arrival (epoch ms), null before one. */
  readonly firstMeasuredArrivalMs: number | null;
  closedWindows(): WindowStat[];
}

export class StabilityWatch {
  private judgedAtCount = -1;
  private verdict: StabilityVerdict | null = null;
  private ranOut = false;
  private stoppedSettled = false;
  private readonly fixedAllowanceMs: number | null;

  constructor(
    private readonly windows: ClosedWindowSource,
    private readonly settings: StabilitySettings,
    measure: PhaseLength & { readonly maxDurationMs: number },
    private readonly clock: () => number,
    /** Open loop with Poisson arrivals: a window's count varies at least as a Poisson count does. */
    private readonly poissonArrivals = false,
  ) {
    this.fixedAllowanceMs = settings.maxExtendMs ?? measure.durationMs ?? null;
  }

  /** StepPhasesOptions.shouldStop: stop when settled or when the allowance is spent. */
  readonly shouldStop = (overrunMs: number): boolean => {
    if (this.judge().stable) {
      this.stoppedSettled = overrunMs > 0;
      return true;
    }
    if (overrunMs >= this.allowanceMs(overrunMs)) {
      this.ranOut = true;
      return true;
    }
    return false;
  };

  /** Whether the last closed windows agree (judged again only when another window has closed). */
  settled(): boolean {
    return this.judge().stable;
  }

  /** True when the step measured past its planned length and then settled: what ended it. */
  get settledPastPlan(): boolean {
    return this.stoppedSettled;
  }

  /** The step's stability after it ended; `extendedMs` from the driver. */
  report(extendedMs: number): StabilityReport {
    const verdict = this.verdict ?? this.judge();
    const extendedNote = extendedMs > 0 ? ` after measuring ${(extendedMs / 1000).toFixed(1)} s past the plan` : '';
    if (verdict.stable) {
      return {
        kind: 'stable',
        reason: verdict.reason + extendedNote,
        p95Spread: verdict.p95Spread,
        throughputSpread: verdict.throughputSpread,
        ...samplingErrorFields(verdict),
        extendedMs,
      };
    }
    // Not settled in time (or never judged because the step ended early): unstable, with why.
    const why = this.ranOut ? `did not settle${extendedNote} (limit reached)` : 'did not settle before the step ended';
    return {
      kind: 'unstable',
      reason: `${why}: ${verdict.reason}`,
      p95Spread: verdict.p95Spread,
      throughputSpread: verdict.throughputSpread,
      ...samplingErrorFields(verdict),
      extendedMs,
    };
  }

  private judge(): StabilityVerdict {
    const count = this.windows.closedWindowCount;
    if (this.verdict === null || count !== this.judgedAtCount) {
      this.judgedAtCount = count;
      this.verdict = judgeStability(this.windows.closedWindows(), {
        lastN: this.settings.windows,
        tolerance: this.settings.tolerance,
        arrivalDispersion: this.poissonArrivals ? 1 : 0,
      });
    }
    return this.verdict;
  }

  /** A count-only plan gets as long again as the count took (the first time it is asked). */
  private countAllowanceMs: number | null = null;

  private allowanceMs(overrunMs: number): number {
    if (this.fixedAllowanceMs !== null) return this.fixedAllowanceMs;
    if (this.countAllowanceMs === null) {
      const plannedEndMs = this.clock() - overrunMs;
      const startMs = this.windows.firstMeasuredArrivalMs;
      this.countAllowanceMs = startMs === null ? 0 : Math.max(0, plannedEndMs - startMs);
    }
    return this.countAllowanceMs;
  }
}

function samplingErrorFields(verdict: StabilityVerdict): Pick<StabilityReport, 'p95SamplingError' | 'throughputSamplingError'> {
  return { p95SamplingError: verdict.samplingError?.p95 ?? null, throughputSamplingError: verdict.samplingError?.throughput ?? null };
}
