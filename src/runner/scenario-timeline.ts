/**
 * A scenario's timeline: every item of every stage folded into fixed windows of response time
 * (the recorder's WindowFolder), each with the load asked for at its middle. The drive closes
 * windows on time (closeUntil), not only when a later item arrives, so the live view sees a
 * stalled target as empty windows while it stalls.
 */
import { msToUs } from '../core/clock.js';
import type { WindowStat } from '../core/measurement.js';
import { WindowFolder } from '../metrics/windows.js';
import type { TimelineWindow } from '../core/report/scenario.js';
import type { ItemResult } from '../core/item-result.js';

export class TimelineFold {
  private readonly folder: WindowFolder;
  /** Windows below this were handed out by closeUntil or finish (items also close windows). */
  private handedOut = 0;
  /** Every window, once finish() has run; items after it are ignored. */
  private final: TimelineWindow[] | null = null;

  /** `levelAt` maps an epoch ms to the load asked for then. */
  constructor(
    originMs: number,
    windowMs: number,
    private readonly levelAt: (epochMs: number) => number,
  ) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    this.folder = new WindowFolder(windowMs);
    this.folder.start(originMs);
  }

  add(result: ItemResult): void {
    if (this.final === null) this.folder.add(result.tResponseMs, result.ok, msToUs(result.tResponseMs - result.tArrivalMs));
  }

  /** Closes every window that ended at or before `cutoffMs`; returns the closed ones not yet returned. */
  closeUntil(cutoffMs: number): TimelineWindow[] {
    if (this.final !== null) return [];
    this.folder.closeUntil(cutoffMs);
    const fresh = this.folder.closed(this.handedOut).map(this.withLevel);
    this.handedOut += fresh.length;
    return fresh;
  }

  /** Closes the rest; the last window ends at `endMs` (it may be short). Returns those not yet returned. */
  finish(endMs: number): TimelineWindow[] {
    if (this.final !== null) return [];
    this.folder.extendTo(endMs);
    this.final = this.folder.stats(endMs).map(this.withLevel);
    const fresh = this.final.slice(this.handedOut);
    this.handedOut = this.final.length;
    return fresh;
  }

  /** Every closed window (after finish, every window), counts as they stand now. */
  windows(): TimelineWindow[] {
    return this.final ?? this.folder.closed().map(this.withLevel);
  }

  private readonly withLevel = (w: WindowStat): TimelineWindow => ({
    startMs: w.startMs,
    endMs: w.endMs,
    level: this.levelAt((w.startMs + w.endMs) / 2),
    completed: w.completed,
    errors: w.errors,
    p50Ms: w.e2eP50Ms ?? null,
    p95Ms: w.e2eP95Ms,
    p99Ms: w.e2eP99Ms ?? null,
  });
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
