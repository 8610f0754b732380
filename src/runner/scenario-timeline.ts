/**
 * A scenario's timeline: every item of every stage folded into fixed windows of response time,
 * each with the load asked for at its middle. Unlike the recorder's WindowFolder, windows close
 * on time (closeUntil), not only when a later item arrives, so the live view sees a stalled
 * target as empty windows when they happen. An item that lands in a window already closed counts
 * there, but its latency only reaches the open window's percentiles (as WindowFolder does).
 */
import { msToUs } from '../metrics/clock.js';
import { createHistogram, percentileMs, recordUs, type Histogram } from '../metrics/histogram.js';
import type { WindowStat } from '../metrics/types.js';
import type { TimelineWindow } from '../report/types.js';
import type { ItemResult } from '../targets/target.js';

type Percentiles = readonly [p50Ms: number | null, p95Ms: number | null, p99Ms: number | null];

const NO_PERCENTILES: Percentiles = [null, null, null];

export class TimelineFold {
  /** Index of the open window; windows below it are closed. */
  private openIndex = 0;
  private readonly openE2e: Histogram = createHistogram();
  private readonly completed: number[] = [0];
  private readonly errors: number[] = [0];
  private readonly percentiles: Percentiles[] = [];
  private lastEndMs: number | null = null;
  /** Windows below this were handed out by closeUntil or finish (items also close windows). */
  private handedOut = 0;

  /** `levelAt` maps an epoch ms to the load asked for then. */
  constructor(
    private readonly originMs: number,
    private readonly windowMs: number,
    private readonly levelAt: (epochMs: number) => number,
  ) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
  }

  add(result: ItemResult): void {
    if (this.lastEndMs !== null) return;
    const index = Math.max(0, Math.floor((result.tResponseMs - this.originMs) / this.windowMs));
    if (index > this.openIndex) this.rollTo(index);
    if (result.ok) {
      this.completed[index] = (this.completed[index] ?? 0) + 1;
      recordUs(this.openE2e, msToUs(result.tResponseMs - result.tArrivalMs));
    } else {
      this.errors[index] = (this.errors[index] ?? 0) + 1;
    }
  }

  /** Closes every window that ended at or before `cutoffMs`; returns the closed ones not yet returned. */
  closeUntil(cutoffMs: number): TimelineWindow[] {
    if (this.lastEndMs !== null) return [];
    const lastEnded = Math.floor((cutoffMs - this.originMs) / this.windowMs);
    if (lastEnded > this.openIndex) this.rollTo(lastEnded);
    return this.handOut();
  }

  /** Closes the rest; the last window ends at `endMs` (it may be short). Returns those not yet returned. */
  finish(endMs: number): TimelineWindow[] {
    if (this.lastEndMs !== null) return [];
    const lastIndex = Math.max(0, Math.ceil((endMs - this.originMs) / this.windowMs) - 1);
    if (lastIndex > this.openIndex) this.rollTo(lastIndex);
    this.percentiles[this.openIndex] = percentilesOf(this.openE2e);
    this.openIndex++;
    this.lastEndMs = Math.max(endMs, this.originMs);
    return this.handOut();
  }

  /** Every closed window, counts as they stand now. */
  windows(): TimelineWindow[] {
    return this.windowsIn(0, this.openIndex);
  }

  private handOut(): TimelineWindow[] {
    const fresh = this.windowsIn(this.handedOut, this.openIndex);
    this.handedOut = this.openIndex;
    return fresh;
  }

  private windowsIn(from: number, to: number): TimelineWindow[] {
    const out: TimelineWindow[] = [];
    for (let index = from; index < to; index++) {
      const startMs = this.originMs + index * this.windowMs;
      const fullEndMs = startMs + this.windowMs;
      const endMs = this.lastEndMs !== null && index === to - 1 && to === this.openIndex ? Math.max(startMs, Math.min(fullEndMs, this.lastEndMs)) : fullEndMs;
      const [p50Ms, p95Ms, p99Ms] = this.percentiles[index] ?? NO_PERCENTILES;
      out.push({
        startMs,
        endMs,
        level: this.levelAt((startMs + endMs) / 2),
        completed: this.completed[index] ?? 0,
        errors: this.errors[index] ?? 0,
        p50Ms,
        p95Ms,
        p99Ms,
      });
    }
    return out;
  }

  private rollTo(index: number): void {
    this.percentiles[this.openIndex] = percentilesOf(this.openE2e);
    this.openE2e.reset();
    // Windows in which nothing responded stay as zeros: a stall is worth seeing.
    for (let i = this.openIndex + 1; i <= index; i++) {
      this.completed[i] = 0;
      this.errors[i] = 0;
      this.percentiles[i] = NO_PERCENTILES;
    }
    this.openIndex = index;
  }
}

/** The timeline window as the live `window` event carries it. */
export function windowStatOf(window: TimelineWindow): WindowStat {
  return {
    startMs: window.startMs,
    endMs: window.endMs,
    completed: window.completed,
    errors: window.errors,
    e2eP50Ms: window.p50Ms,
    e2eP95Ms: window.p95Ms,
    e2eP99Ms: window.p99Ms,
  };
}

function percentilesOf(histogram: Histogram): Percentiles {
  const p95Ms = percentileMs(histogram, 95);
  return p95Ms === null ? NO_PERCENTILES : [percentileMs(histogram, 50), p95Ms, percentileMs(histogram, 99)];
}
