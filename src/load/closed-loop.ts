/**
 * Closed-loop driver for one step: keeps `concurrency` requests in flight (or, in static mode,
 * `concurrency` batches of exactly `batchSize` items), warm-up first, then measurement by count
 * and/or duration. Every completion issues the next request; nothing else runs per item.
 */
import type { Clock } from '../metrics/clock.js';
import type { ItemResult, Stage, StaticBatchTarget, Target } from '../targets/target.js';
import type { PhaseLength } from '../workload/types.js';

export interface TextFeed {
  next(): string;
}

export interface ResultSink {
  record(result: ItemResult): void;
}

export interface ClosedLoopOptions {
  readonly target: Target;
  readonly stage: Stage;
  readonly concurrency: number;
  readonly texts: TextFeed;
  readonly warmup: PhaseLength;
  readonly measure: PhaseLength & { readonly maxDurationMs: number };
  readonly sink: ResultSink;
  readonly clock: Clock;
  /** Aborting stops issuing; requests in flight still finish and are recorded. */
  readonly signal?: AbortSignal;
  /** Static batching: items per model call; the target must support submitBatch. */
  readonly staticBatch?: { readonly target: StaticBatchTarget; readonly batchSize: number };
  /**
   * After an abort or the hard limit, how long requests still in flight may take to come back;
   * then the loop ends without them (a stalled target cannot hang the run). Default 10 s.
   */
  readonly drainGraceMs?: number;
}

export interface ClosedLoopOutcome {
  readonly warmupItems: number;
  readonly measuredItems: number;
  /** Why measurement ended: its count or duration was reached, the hard limit hit, or aborted. */
  readonly endedBy: 'requests' | 'duration' | 'maxDuration' | 'aborted';
  /** Requests (or static batches) still in flight when the drain grace ran out. */
  readonly abandoned: number;
}

/** Completions in a row after which the next send waits for the event loop (timers, signals). */
const YIELD_EVERY = 1024;
/** What a rejected send is recorded as; targets should not reject, but the interface allows it. */
const TARGET_ERROR = 'target_error';

type Phase = 'warmup' | 'measure' | 'draining';

/** Runs warm-up then measurement; resolves once every request issued has come back. */
export function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopOutcome> {
  return new ClosedLoop(options).run();
}

class ClosedLoop {
  private phase: Phase = 'warmup';
  private inFlight = 0;
  private warmupIssued = 0;
  private measureIssued = 0;
  private phaseStartMs = 0;
  private endedBy: ClosedLoopOutcome['endedBy'] = 'requests';
  private resolveDone: (() => void) | undefined;
  private readonly itemsPerSend: number;
  private abandoned = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  private completionsSinceYield = 0;
  private deferredIssues = 0;
  // Prebuilt continuations: no closure is allocated per request on the hot path.
  private readonly onWarmupDone = (): void => this.complete();
  private readonly onMeasuredItem = (result: ItemResult): void => {
    this.options.sink.record(result);
    this.complete();
  };
  private readonly onMeasuredBatch = (results: ItemResult[]): void => {
    for (const result of results) this.options.sink.record(result);
    this.complete();
  };
  private readonly onWarmupFailed = (): void => this.complete();
  private readonly onMeasuredFailed = (): void => {
    const now = this.options.clock();
    const failed: ItemResult = { ok: false, errorClass: TARGET_ERROR, tArrivalMs: now, tResponseMs: now, queueMs: 0, inferenceMs: 0, batchSize: this.itemsPerSend };
    for (let i = 0; i < this.itemsPerSend; i++) this.options.sink.record(failed);
    this.complete();
  };
  private readonly issueDeferred = (): void => {
    this.deferredIssues--;
    this.issueOrFinish();
  };

  constructor(private readonly options: ClosedLoopOptions) {
    this.itemsPerSend = options.staticBatch?.batchSize ?? 1;
  }

  run(): Promise<ClosedLoopOutcome> {
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.phaseStartMs = this.options.clock();
    if (!hasLength(this.options.warmup)) this.startMeasuring(this.phaseStartMs);
    const onAbort = (): void => {
      this.stopIssuing('aborted');
      this.armDrainGrace();
    };
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    // The hard limit also covers a target that stops answering: issuing ends, in-flight work drains.
    const limit = setTimeout(() => this.stopIssuing('maxDuration'), this.hardLimitMs());
    if (this.options.signal?.aborted) this.stopIssuing('aborted');
    for (let i = 0; i < this.options.concurrency && this.phase !== 'draining'; i++) this.issue();
    if (this.inFlight === 0) this.finish();
    return done.then(() => {
      clearTimeout(limit);
      clearTimeout(this.graceTimer);
      this.options.signal?.removeEventListener('abort', onAbort);
      return {
        warmupItems: this.warmupIssued * this.itemsPerSend,
        measuredItems: this.measureIssued * this.itemsPerSend,
        endedBy: this.endedBy,
        abandoned: this.abandoned,
      };
    });
  }

  private hardLimitMs(): number {
    const warmupMs = this.options.warmup.durationMs ?? this.options.measure.maxDurationMs;
    return warmupMs + this.options.measure.maxDurationMs;
  }

  private issue(): void {
    const now = this.options.clock();
    this.advancePhase(now);
    if (this.phase === 'draining') return;
    this.inFlight++;
    const measuring = this.phase === 'measure';
    if (measuring) this.measureIssued++;
    else this.warmupIssued++;
    const { target, stage, staticBatch, texts } = this.options;
    if (staticBatch) {
      const batch: string[] = new Array<string>(staticBatch.batchSize);
      for (let i = 0; i < batch.length; i++) batch[i] = texts.next();
      const sent = staticBatch.target.submitBatch(stage, batch, now);
      if (measuring) void sent.then(this.onMeasuredBatch, this.onMeasuredFailed);
      else void sent.then(this.onWarmupDone, this.onWarmupFailed);
    } else {
      const sent = target.submit(stage, texts.next(), now);
      if (measuring) void sent.then(this.onMeasuredItem, this.onMeasuredFailed);
      else void sent.then(this.onWarmupDone, this.onWarmupFailed);
    }
  }

  private advancePhase(now: number): void {
    if (this.phase === 'warmup') {
      const { requests, durationMs } = this.options.warmup;
      const byCount = requests !== undefined && this.warmupIssued * this.itemsPerSend >= requests;
      const byTime = durationMs !== undefined && now - this.phaseStartMs >= durationMs;
      if (byCount || byTime) this.startMeasuring(now);
    }
    if (this.phase === 'measure') {
      const { requests, durationMs, maxDurationMs } = this.options.measure;
      if (requests !== undefined && this.measureIssued * this.itemsPerSend >= requests) this.stopIssuing('requests');
      else if (durationMs !== undefined && now - this.phaseStartMs >= durationMs) this.stopIssuing('duration');
      else if (now - this.phaseStartMs >= maxDurationMs) this.stopIssuing('maxDuration');
    }
  }

  private startMeasuring(now: number): void {
    this.phase = 'measure';
    this.phaseStartMs = now;
  }

  private stopIssuing(reason: ClosedLoopOutcome['endedBy']): void {
    if (this.phase === 'draining') return;
    this.phase = 'draining';
    this.endedBy = reason;
    if (reason === 'maxDuration') this.armDrainGrace();
  }

  private armDrainGrace(): void {
    if (this.graceTimer !== undefined || this.resolveDone === undefined) return;
    this.graceTimer = setTimeout(() => {
      this.abandoned = this.inFlight;
      this.finish();
    }, this.options.drainGraceMs ?? 10_000);
  }

  private complete(): void {
    this.inFlight--;
    // A target that answers synchronously (e.g. every instance gone) would otherwise chain sends
    // in microtasks forever, starving the hard-limit timer and signal handlers.
    if (++this.completionsSinceYield >= YIELD_EVERY) {
      this.completionsSinceYield = 0;
      this.deferredIssues++;
      setImmediate(this.issueDeferred);
    } else {
      this.issueOrFinish();
    }
  }

  private issueOrFinish(): void {
    this.issue();
    if (this.inFlight === 0 && this.phase === 'draining' && this.deferredIssues === 0) this.finish();
  }

  private finish(): void {
    this.resolveDone?.();
    this.resolveDone = undefined;
  }
}

function hasLength(phase: PhaseLength): boolean {
  return (phase.requests ?? 0) > 0 || (phase.durationMs ?? 0) > 0;
}
