/**
 * A step's live figures while its worker threads measure it: each worker's closed windows (on the
 * step's shared grid) and counts as they arrive, merged at every read by the same function that
 * merges the final measurements. A window is closed here once every worker has closed it. What the
 * stability watch, the progress tick and the live window events read.
 */
import type { WindowStat } from '../../core/measurement.js';
import { createHistogram, decodeHistogram, percentileMs } from '../../metrics/histogram.js';
import { mergeWindowLists } from '../../metrics/measurement-merge.js';
import type { LiveStats } from '../../metrics/recorder.js';
import type { ClosedWindowSource } from '../stability-watch.js';
import type { FromWorker } from './messages.js';

type Update = Extract<FromWorker, { kind: 'update' }>;

interface WorkerPart {
  readonly windows: WindowStat[];
  completed: number;
  errors: number;
  firstMeasuredArrivalMs: number | null;
  e2e: string | null;
}

export class MergedLiveStep implements ClosedWindowSource {
  private readonly parts: WorkerPart[];
  private mergedAt: { readonly closed: number; readonly firstMs: number | null } | null = null;
  private merged: WindowStat[] = [];

  constructor(workers: number) {
    this.parts = Array.from({ length: workers }, () => ({ windows: [], completed: 0, errors: 0, firstMeasuredArrivalMs: null, e2e: null }));
  }

  add(worker: number, update: Update): void {
    const part = this.parts[worker];
    if (part === undefined) return;
    part.windows.push(...update.windows);
    part.completed = update.completed;
    part.errors = update.errors;
    part.firstMeasuredArrivalMs = update.firstMeasuredArrivalMs;
    part.e2e = update.e2e;
  }

  get firstMeasuredArrivalMs(): number | null {
    let first: number | null = null;
    for (const part of this.parts) {
      const at = part.firstMeasuredArrivalMs;
      if (at !== null && (first === null || at < first)) first = at;
    }
    return first;
  }

  get closedWindowCount(): number {
    return this.closedWindows().length;
  }

  /** Windows every worker has closed, merged (recomputed only when that set or the first arrival moved). */
  closedWindows(): WindowStat[] {
    const closed = Math.min(...this.parts.map((part) => part.windows.length));
    const firstMs = this.firstMeasuredArrivalMs;
    if (this.mergedAt?.closed === closed && this.mergedAt.firstMs === firstMs) return this.merged;
    this.mergedAt = { closed, firstMs };
    this.merged =
      firstMs === null || closed === 0
        ? []
        : mergeWindowLists(
            this.parts.map((part) => part.windows.slice(0, closed)),
            firstMs,
          );
    return this.merged;
  }

  /** Counts summed; p95 from the workers' e2e histograms added (exact). */
  live(): LiveStats {
    let completed = 0;
    let errors = 0;
    const e2e = createHistogram();
    for (const part of this.parts) {
      completed += part.completed;
      errors += part.errors;
      if (part.e2e !== null) e2e.add(decodeHistogram(part.e2e));
    }
    return { completed, errors, p95Ms: percentileMs(e2e, 95) };
  }
}
