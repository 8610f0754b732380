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

/** A closed window as the live `window` event carries it, with the load asked for at its middle. */
export interface LevelledWindow {
  readonly stat: WindowStat;
  readonly level: number;
}

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
    if (this.final === null)
      this.folder.add(result.tResponseMs, result.ok, msToUs(result.tResponseMs - result.tArrivalMs), result.errorClass);
  }

  /** Closes every window that ended at or before `cutoffMs`; returns the closed ones not yet returned. */
  closeUntil(cutoffMs: number): LevelledWindow[] {
    if (this.final !== null) return [];
    this.folder.closeUntil(cutoffMs);
    const fresh = this.folder.closed(this.handedOut).map(this.levelled);
    this.handedOut += fresh.length;
    return fresh;
  }

  /** Closes the rest; the last window ends at `endMs` (it may be short). Returns those not yet returned. */
  finish(endMs: number): LevelledWindow[] {
    if (this.final !== null) return [];
    this.folder.extendTo(endMs);
    const all = this.folder.stats(endMs);
    this.final = all.map((w) => timelineWindowOf(this.levelled(w)));
    const fresh = all.slice(this.handedOut).map(this.levelled);
    this.handedOut = all.length;
    return fresh;
  }

  /** Every closed window (after finish, every window), counts as they stand now. */
  windows(): TimelineWindow[] {
    return this.final ?? this.folder.closed().map((w) => timelineWindowOf(this.levelled(w)));
  }

  private readonly levelled = (stat: WindowStat): LevelledWindow => ({ stat, level: this.levelAt((stat.startMs + stat.endMs) / 2) });
}

/** The window as report.json's scenario timeline keeps it. */
export function timelineWindowOf({ stat, level }: LevelledWindow): TimelineWindow {
  return {
    startMs: stat.startMs,
    endMs: stat.endMs,
    level,
    completed: stat.completed,
    errors: stat.errors,
    p50Ms: stat.e2eP50Ms ?? null,
    p95Ms: stat.e2eP95Ms,
    p99Ms: stat.e2eP99Ms ?? null,
  };
}
