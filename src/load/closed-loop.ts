/**
 * Closed-loop driver for one step: keeps `concurrency` requests in flight (or, in static mode,
 * `concurrency` batches of exactly `batchSize` items), warm-up first, then measurement by count
 * and/or duration. Every completion issues the next request; nothing else runs per item.
 */
import type { InFlightFigures } from '../core/measurement.js';
import { StepPhases, type DriverOptions, type EndReason } from './step-phases.js';
import { sendContinuations, type SendContinuations } from './send-continuations.js';

export type { ResultSink, TextFeed } from './step-phases.js';

export interface ClosedLoopOptions extends DriverOptions {
  /** Sends in flight: requests, or in static mode whole batches. */
  readonly concurrency: number;
}

export interface ClosedLoopOutcome {
  readonly warmupItems: number;
  readonly measuredItems: number;
  /** Why measurement ended: its count or duration was reached, the hard limit hit, or aborted. */
  readonly endedBy: EndReason;
  /** The load held while measured sends went out (StepPhases.inFlightFigures); null when sending never stopped on its own. */
  readonly inFlight: InFlightFigures | null;
  /** Requests (or static batches) still in flight when the drain grace ran out. */
  readonly abandoned: number;
  /** How long measurement ran past its planned length because shouldStop asked for more. */
  readonly extendedMs: number;
}

/** Completions in a row after which the next send waits for the event loop (timers, signals). */
const YIELD_EVERY = 1024;

/** Runs warm-up then measurement; resolves once every request issued has come back. */
export function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopOutcome> {
  return new ClosedLoop(options).run();
}

class ClosedLoop {
  private readonly phases: StepPhases;
  private readonly on: SendContinuations;
  private completionsSinceYield = 0;
  private deferredIssues = 0;
  private readonly issueDeferred = (): void => {
    this.deferredIssues--;
    this.issueOrFinish(this.options.clock());
  };

  constructor(private readonly options: ClosedLoopOptions) {
    const itemsPerSend = options.staticBatch?.batchSize ?? 1;
    this.phases = new StepPhases({ ...options, itemsPerSend });
    this.on = sendContinuations(options.sink, options.clock, itemsPerSend, () => this.complete());
  }

  async run(): Promise<ClosedLoopOutcome> {
    const done = this.phases.start(this.options.clock());
    for (let i = 0; i < this.options.concurrency && this.phases.phase !== 'draining'; i++) this.issue(this.options.clock());
    this.phases.finishIfDrained();
    await done;
    const { warmupItems, measuredItems, endedBy, abandoned, extendedMs } = this.phases;
    return { warmupItems, measuredItems, endedBy, abandoned, extendedMs, inFlight: this.phases.inFlightFigures };
  }

  private issue(now: number): void {
    if (this.phases.advance(now) === 'draining') return;
    const measuring = this.phases.phase === 'measure';
    this.phases.sent(now);
    const { target, stage, staticBatch, texts, sink } = this.options;
    if (measuring) sink.sent?.(staticBatch?.batchSize ?? 1, now, now);
    if (staticBatch) {
      const batch: string[] = new Array<string>(staticBatch.batchSize);
      for (let i = 0; i < batch.length; i++) batch[i] = texts.next();
      const sent = staticBatch.target.submitBatch(stage, batch, now);
      if (measuring) void sent.then(this.on.measuredBatch, this.on.measuredFailed);
      else void sent.then(this.on.warmupDone, this.on.warmupDone);
    } else {
      const sent = target.submit(stage, texts.next(), now);
      if (measuring) void sent.then(this.on.measuredItem, this.on.measuredFailed);
      else void sent.then(this.on.warmupDone, this.on.warmupDone);
    }
  }

  /** A send came back: its slot goes to the next send in the same tick, stamped with the same clock read. */
  private complete(): void {
    const now = this.options.clock();
    this.phases.returned(now);
    // A target that answers synchronously (e.g. every instance gone) would otherwise chain sends
    // in microtasks forever, starving the hard-limit timer and signal handlers.
    if (++this.completionsSinceYield >= YIELD_EVERY) {
      this.completionsSinceYield = 0;
      this.deferredIssues++;
      setImmediate(this.issueDeferred);
    } else {
      this.issueOrFinish(now);
    }
  }

  private issueOrFinish(now: number): void {
    this.issue(now);
    if (this.deferredIssues === 0) this.phases.finishIfDrained();
  }
}
