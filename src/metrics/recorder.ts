/**
 * Records the measured items of one step. `record` is the hot path: it stamps nothing, allocates
 * nothing beyond what HDR does, and only records values, bumps counters and folds into the open
 * window. `finish` turns it all into plain data (StepMeasurement).
 *
 * Definitions (tested in test/metrics/recorder.test.ts):
 * - startedAtMs = earliest t_arrival, endedAtMs = latest t_response over every recorded item, ok or
 *   not; measuredMs = endedAtMs - startedAtMs. With nothing recorded both are the recorder's
 *   creation time and measuredMs is 0.
 * - Latencies are recorded for ok items only (a failure's latency says nothing about the model).
 * - itemsPerSec = completed / measured seconds (0 when measuredMs is 0); outputTokensPerSec the
 *   same for output tokens, null when no item reported any (not a generation step).
 * - errors.rate = errors / (completed + errors), 0 with nothing recorded.
 * - retries = the items' resends summed (ok or not); abandoned = items the driver gave up waiting
 *   for (abandon()), counted apart: neither completed nor errors, their outcome is unknown.
 * - meanBatchSize = mean over ok items of the size of the model call each ran in (0 with none).
 * - server/overhead (HTTP): the server-reported time, and inference - server clamped at 0 (a
 *   server's clock can disagree with ours by a little; overhead is never negative).
 * - outputText (HTTP): characters of generated text per ok item, when the protocol reported them.
 */
import { UNKNOWN_ERROR_CLASS, type ItemResult } from '../core/item-result.js';
import { epochNowMs, msToUs, type Clock } from '../core/clock.js';
import { createHistogram, encodeHistogram, percentileMs, recordUs, summarize, type Histogram } from './histogram.js';
import { LATENCY_PHASES, type LatencyPhase, type LatencySummary, type StepMeasurement, type WindowStat } from '../core/measurement.js';
import { recordChars, summarizeTextLengths } from './text-length.js';
import { WindowFolder } from './windows.js';
import type { WindowSizingRule } from './window-sizing.js';

export interface StepRecorderOptions {
  /** A fixed window length (default 1 s), or a rule sizing windows by the model calls they hold. */
  readonly windowMs?: number | WindowSizingRule;
  readonly clock?: Clock;
  /**
   * Windows start here instead of at the first measured arrival, and carry their e2e histograms:
   * the recorders of one step's worker threads share one window grid, so their windows merge exactly.
   */
  readonly sharedWindowOriginMs?: number;
  /** How many of the latest closed windows keep their e2e histogram for judging stability (default 0). */
  readonly judgedWindows?: number;
}

/** The e2e latencies recorded so far, for judging precision while the step runs (once per closed window). */
export interface E2eSoFar {
  readonly histogram: Histogram;
  readonly completed: number;
  readonly meanBatchSize: number;
}

/** What a progress display may read while the step runs. */
export interface LiveStats {
  readonly completed: number;
  readonly errors: number;
  readonly p95Ms: number | null;
}

/** A step's window length when none is given (fixed windows: workers' and shards' shared grid too). */
export const DEFAULT_WINDOW_MS = 1000;

export class StepRecorder {
  private readonly createdAtMs: number;
  private readonly e2e: Histogram = createHistogram();
  private readonly queue: Histogram = createHistogram();
  private readonly inference: Histogram = createHistogram();
  // Generation only; created on the first item that carries them.
  private ttft: Histogram | null = null;
  private itl: Histogram | null = null;
  private server: Histogram | null = null;
  private overhead: Histogram | null = null;
  private completed = 0;
  private errorTotal = 0;
  private readonly errorsByClass = new Map<string, number>();
  private retries = 0;
  private abandoned = 0;
  private outputTokens = 0;
  private sawOutputTokens = false;
  private outputChars: Histogram | null = null;
  private batchSizeSum = 0;
  private firstArrivalMs = Number.POSITIVE_INFINITY;
  private lastResponseMs = Number.NEGATIVE_INFINITY;
  private readonly windows: WindowFolder;

  constructor(options: StepRecorderOptions = {}) {
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    if (typeof windowMs === 'number' && !(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    const shared = options.sharedWindowOriginMs;
    this.windows = new WindowFolder(windowMs, shared !== undefined ? 'all' : (options.judgedWindows ?? 0));
    if (shared !== undefined) this.windows.start(shared);
    this.createdAtMs = (options.clock ?? epochNowMs)();
  }

  record(result: ItemResult): void {
    if (!this.windows.started) this.windows.start(result.tArrivalMs);
    if (result.tArrivalMs < this.firstArrivalMs) this.firstArrivalMs = result.tArrivalMs;
    if (result.tResponseMs > this.lastResponseMs) this.lastResponseMs = result.tResponseMs;
    const e2eUs = msToUs(result.tResponseMs - result.tArrivalMs);
    this.windows.add(result.tResponseMs, result.ok, e2eUs, result.errorClass, result.batchSize > 1 ? 1 / result.batchSize : 1);
    if (result.retries !== undefined) this.retries += result.retries;
    if (!result.ok) {
      const errorClass = result.errorClass ?? UNKNOWN_ERROR_CLASS;
      this.errorsByClass.set(errorClass, (this.errorsByClass.get(errorClass) ?? 0) + 1);
      this.errorTotal++;
      return;
    }
    this.completed++;
    this.batchSizeSum += result.batchSize;
    recordUs(this.e2e, e2eUs);
    recordUs(this.queue, msToUs(result.queueMs));
    recordUs(this.inference, msToUs(result.inferenceMs));
    if (result.ttftMs !== undefined) recordUs((this.ttft ??= createHistogram()), msToUs(result.ttftMs));
    if (result.itlMs !== undefined) recordUs((this.itl ??= createHistogram()), msToUs(result.itlMs));
    if (result.serverMs !== undefined) {
      recordUs((this.server ??= createHistogram()), msToUs(result.serverMs));
      recordUs((this.overhead ??= createHistogram()), msToUs(Math.max(0, result.inferenceMs - result.serverMs)));
    }
    if (result.outputTokens !== undefined) {
      this.outputTokens += result.outputTokens;
      this.sawOutputTokens = true;
    }
    if (result.outputChars !== undefined) recordChars((this.outputChars ??= createHistogram()), result.outputChars);
  }

  /** Items sent that will not be recorded: the step ended while they were still in flight. */
  abandon(items: number): void {
    this.abandoned += items;
  }

  /** Cheap enough for a 1 Hz progress tick: one percentile walk over the e2e histogram. */
  live(): LiveStats {
    return { completed: this.completed, errors: this.errorTotal, p95Ms: percentileMs(this.e2e, 95) };
  }

  /** The e2e histogram so far, encoded: what a worker thread hands over for a merged live p95. */
  encodedE2e(): string {
    return encodeHistogram(this.e2e);
  }

  e2eSoFar(): E2eSoFar {
    return { histogram: this.e2e, completed: this.completed, meanBatchSize: this.completed > 0 ? this.batchSizeSum / this.completed : 0 };
  }

  /** The earliest measured arrival so far, null before the first item. */
  get firstMeasuredArrivalMs(): number | null {
    return Number.isFinite(this.firstArrivalMs) ? this.firstArrivalMs : null;
  }

  /** Windows closed so far (cheap to poll: a counter). */
  get closedWindowCount(): number {
    return this.windows.closedCount;
  }

  /** The closed windows while the step runs: what stability is judged on (the open one is partial). */
  closedWindows(): WindowStat[] {
    return this.windows.closed();
  }

  finish(): StepMeasurement {
    const recorded = this.completed + this.errorTotal > 0;
    const startedAtMs = recorded ? this.firstArrivalMs : this.createdAtMs;
    const endedAtMs = recorded ? this.lastResponseMs : this.createdAtMs;
    const measuredMs = Math.max(0, endedAtMs - startedAtMs);
    const perSec = (count: number): number => (measuredMs > 0 ? count / (measuredMs / 1000) : 0);
    const latencyMs: Partial<Record<LatencyPhase, LatencySummary>> = {};
    const histograms: Partial<Record<LatencyPhase, string>> = {};
    for (const phase of LATENCY_PHASES) {
      const histogram = this.histogramOf(phase);
      const summary = histogram ? summarize(histogram) : undefined;
      if (!histogram || !summary) continue;
      latencyMs[phase] = summary;
      histograms[phase] = encodeHistogram(histogram);
    }
    const outputText = this.outputChars === null ? undefined : summarizeTextLengths(this.outputChars);
    return {
      startedAtMs,
      endedAtMs,
      measuredMs,
      completed: this.completed,
      errors: {
        total: this.errorTotal,
        rate: recorded ? this.errorTotal / (this.completed + this.errorTotal) : 0,
        byClass: Object.fromEntries([...this.errorsByClass].sort(([a], [b]) => a.localeCompare(b))),
      },
      retries: this.retries,
      abandoned: this.abandoned,
      throughput: {
        itemsPerSec: perSec(this.completed),
        outputTokensPerSec: this.sawOutputTokens ? perSec(this.outputTokens) : null,
      },
      meanBatchSize: this.completed > 0 ? this.batchSizeSum / this.completed : 0,
      latencyMs,
      histograms,
      windows: this.windows.stats(endedAtMs),
      ...(outputText !== undefined && { outputText }),
    };
  }

  private histogramOf(phase: LatencyPhase): Histogram | null {
    const byPhase = {
      e2e: this.e2e,
      queue: this.queue,
      inference: this.inference,
      ttft: this.ttft,
      itl: this.itl,
      server: this.server,
      overhead: this.overhead,
    } satisfies Record<LatencyPhase, Histogram | null>;
    return byPhase[phase];
  }
}
