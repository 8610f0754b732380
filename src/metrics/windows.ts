/**
 * Measurement windows: equal slices of response time (t_response), each with its counts, errors by
 * class, the e2e sum and e2e p50, p95 and p99. Their length is fixed, or sized from the model-call
 * rate seen in the first window (window-sizing.ts): until then the first window stays open. One
 * histogram is reused (reset when a window closes), so folding allocates nothing per answered item;
 * closed windows live in parallel arrays, each with its e2e histogram encoded once as it closes (what
 * the stability judge pools to tell drift from sampling noise).
 */
import { createHistogram, encodeHistogram, percentileMs, recordUs, type Histogram } from './histogram.js';
import type { WindowStat } from '../core/measurement.js';
import { UNKNOWN_ERROR_CLASS } from '../core/item-result.js';
import { sizedWindowMs, type WindowSizingRule } from './window-sizing.js';

/** Which closed windows keep their encoded e2e histogram (see WindowFolder's constructor). */
export type KeptHistograms = 'all' | number;

export class WindowFolder {
  private originMs = Number.NaN;
  private currentIndex = -1;
  private readonly currentE2e: Histogram = createHistogram();
  private readonly completed: number[] = [];
  private readonly errors: number[] = [];
  /** Sum of the answered items' e2e (whole µs, as HDR records them) per window: adds exactly, unlike percentiles (a summary's _sum). */
  private readonly e2eSumUs: number[] = [];
  /** Per window with errors only: failures are rare, so most windows keep no map. */
  private readonly errorsByClass: (Map<string, number> | undefined)[] = [];
  /** Closed windows' e2e percentiles, [p50, p95, p99] per window (null when nothing completed). */
  private readonly e2ePercentilesMs: (WindowPercentiles | null)[] = [];
  /** Model calls behind each window's answered items (an item counts 1 / its call's batch size). */
  private readonly calls: number[] = [];
  /** Closed windows' encoded e2e histograms (undefined for an empty one, or one no longer kept); in `stats` only when all are kept. */
  private readonly e2eHistograms: (string | undefined)[] = [];
  private windowLengthMs: number;
  /** Non-null while the window length waits to be sized; the first window stays open meanwhile. */
  private sizing: WindowSizingRule | null;
  private callsSeen = 0;
  /** Closed windows below this index hold no histogram (kept: n). */
  private releasedBelow = 0;
  /** While sizing: the latest response (from the origin) the open first window holds. */
  private heldMs = 0;

  /**
   * A length in ms, or a rule that sizes the windows from the calls seen in the first one.
   * kept: which windows carry their encoded e2e histogram: 'all' (windows of a worker, merged later:
   * every window `stats` gives carries one), or the last n closed ones (what stability judges while
   * the step runs). Bounded, so a soak's timeline or an hour-long step holds n histograms, not one per window.
   */
  constructor(
    length: number | WindowSizingRule,
    private readonly kept: KeptHistograms = 0,
  ) {
    this.sizing = typeof length === 'number' ? null : length;
    this.windowLengthMs = typeof length === 'number' ? length : Number.POSITIVE_INFINITY;
  }

  /** The window length; Infinity while it waits to be sized. */
  get windowMs(): number {
    return this.windowLengthMs;
  }

  /** Windows start at `originMs` (the first measured arrival); call before the first `add`. */
  start(originMs: number): void {
    this.originMs = originMs;
  }

  get started(): boolean {
    return !Number.isNaN(this.originMs);
  }

  /**
   * An item that responds in a window already closed (results are recorded slightly out of order)
   * counts there, but its latency only reaches the p95 of the open window.
   */
  add(tResponseMs: number, ok: boolean, e2eUs: number, errorClass: string = UNKNOWN_ERROR_CLASS, calls = 1): void {
    if (this.sizing !== null) this.size(tResponseMs, calls);
    const index = Math.max(0, Math.floor((tResponseMs - this.originMs) / this.windowMs));
    if (index > this.currentIndex) this.rollTo(index);
    if (ok) {
      this.completed[index] = (this.completed[index] ?? 0) + 1;
      this.calls[index] = (this.calls[index] ?? 0) + calls;
      this.e2eSumUs[index] = (this.e2eSumUs[index] ?? 0) + Math.round(e2eUs);
      recordUs(this.currentE2e, e2eUs);
      return;
    }
    this.errors[index] = (this.errors[index] ?? 0) + 1;
    const byClass = (this.errorsByClass[index] ??= new Map<string, number>());
    byClass.set(errorClass, (byClass.get(errorClass) ?? 0) + 1);
  }

  /**
   * Closes every window that ended at or before `cutoffMs` even when no later item came to close
   * it, so a stalled target shows as empty windows while it stalls (the scenario timeline).
   */
  closeUntil(cutoffMs: number): void {
    const index = Math.floor((cutoffMs - this.originMs) / this.windowMs);
    if (index > this.currentIndex) this.rollTo(index);
  }

  /** Opens windows up to the one that holds `endMs`, so `stats(endMs)` reaches it even if nothing responded there. */
  extendTo(endMs: number): void {
    const index = Math.max(0, Math.ceil((endMs - this.originMs) / this.windowMs) - 1);
    if (index > this.currentIndex) this.rollTo(index);
  }

  /** Windows no longer open: full-length, their p95 final. Moves only when a window closes. */
  get closedCount(): number {
    return Math.max(0, this.currentIndex);
  }

  /**
   * The closed windows (all but the open one) from index `from`, the last n kept with their
   * histograms: what stability is judged on while the step runs.
   */
  closed(from = 0): WindowStat[] {
    const out: WindowStat[] = [];
    for (let i = from; i < this.currentIndex; i++) {
      const startMs = this.startOf(i);
      out.push(this.window(i, startMs, startMs + this.windowMs, this.e2ePercentilesMs[i] ?? null, this.e2eHistograms[i]));
    }
    return out;
  }

  /** The windows so far; the last one ends at `endedAtMs` (it may be shorter than the others). */
  stats(endedAtMs: number): WindowStat[] {
    if (this.currentIndex < 0) return [];
    const out: WindowStat[] = [];
    for (let i = 0; i <= this.currentIndex; i++) {
      const startMs = this.startOf(i);
      const open = i === this.currentIndex;
      const endMs = open ? Math.max(startMs, Math.min(startMs + this.windowMs, endedAtMs)) : startMs + this.windowMs;
      out.push(
        this.window(
          i,
          startMs,
          endMs,
          open ? windowPercentiles(this.currentE2e) : (this.e2ePercentilesMs[i] ?? null),
          this.kept !== 'all' ? undefined : open ? this.encodedCurrent() : this.e2eHistograms[i],
        ),
      );
    }
    return out;
  }

  private window(
    i: number,
    startMs: number,
    endMs: number,
    percentiles: WindowPercentiles | null,
    encoded: string | undefined,
  ): WindowStat {
    const byClass = this.errorsByClass[i];
    return {
      startMs,
      endMs,
      completed: this.completed[i] ?? 0,
      errors: this.errors[i] ?? 0,
      ...percentileFields(percentiles),
      ...histogramField(encoded),
      e2eSumMs: (this.e2eSumUs[i] ?? 0) / 1000,
      calls: roundCalls(this.calls[i] ?? 0),
      ...(byClass === undefined ? {} : { errorsByClass: Object.fromEntries([...byClass].sort(([a], [b]) => a.localeCompare(b))) }),
    };
  }

  /** Counts the calls `calls` (an item's share of its model call) and fixes the length once they tell. */
  private size(tResponseMs: number, calls: number): void {
    const rule = this.sizing;
    if (rule === null) return;
    this.callsSeen += calls;
    const sizedMs = sizedWindowMs(this.callsSeen, tResponseMs - this.originMs, rule, this.heldMs);
    this.heldMs = Math.max(this.heldMs, tResponseMs - this.originMs);
    if (sizedMs === null) return;
    this.windowLengthMs = sizedMs;
    this.sizing = null;
  }

  /** Window i's start; window 0 starts at the origin even while its length is still open. */
  private startOf(index: number): number {
    return index === 0 ? this.originMs : this.originMs + index * this.windowMs;
  }

  private rollTo(index: number): void {
    if (this.currentIndex >= 0) {
      this.e2ePercentilesMs[this.currentIndex] = windowPercentiles(this.currentE2e);
      if (this.kept === 'all' || this.kept > 0) this.e2eHistograms[this.currentIndex] = this.encodedCurrent();
      this.currentE2e.reset();
    }
    // Windows that fell out of the last n closed ones let their histograms go.
    if (this.kept !== 'all' && this.kept > 0) {
      for (; this.releasedBelow < index - this.kept; this.releasedBelow++) this.e2eHistograms[this.releasedBelow] = undefined;
    }
    // Windows in which nothing responded stay in the list as zeros: a stall is worth seeing.
    for (let i = this.currentIndex + 1; i <= index; i++) {
      this.completed[i] = 0;
      this.errors[i] = 0;
      this.e2eSumUs[i] = 0;
      this.calls[i] = 0;
      this.e2ePercentilesMs[i] = null;
    }
    this.currentIndex = index;
  }

  private encodedCurrent(): string | undefined {
    return this.currentE2e.totalCount > 0 ? encodeHistogram(this.currentE2e) : undefined;
  }
}

/** Sums of 1 / batch size carry float dust (64 x 1/64): 3 decimals hold any real share. */
function roundCalls(calls: number): number {
  return Math.round(calls * 1000) / 1000;
}

function histogramField(encoded: string | undefined): Pick<WindowStat, 'e2eHistogram'> {
  return encoded === undefined ? {} : { e2eHistogram: encoded };
}

type WindowPercentiles = readonly [p50Ms: number | null, p95Ms: number | null, p99Ms: number | null];

function windowPercentiles(histogram: Histogram): WindowPercentiles | null {
  const p95Ms = percentileMs(histogram, 95);
  return p95Ms === null ? null : [percentileMs(histogram, 50), p95Ms, percentileMs(histogram, 99)];
}

function percentileFields(percentiles: WindowPercentiles | null): Pick<WindowStat, 'e2eP50Ms' | 'e2eP95Ms' | 'e2eP99Ms'> {
  return { e2eP50Ms: percentiles?.[0] ?? null, e2eP95Ms: percentiles?.[1] ?? null, e2eP99Ms: percentiles?.[2] ?? null };
}
