/**
 * Open-loop driver for one step: sends on an arrival schedule whatever the target does. Each
 * send is stamped with its SCHEDULED time, so timer lag and waiting for an in-flight slot count
 * as latency (coordinated omission cannot hide queueing). Warm-up and measurement follow one
 * schedule without a gap; a send issued more than lateThresholdMs after it was due is late.
 */
import type { InFlightFigures } from '../core/measurement.js';
import type { ArrivalSchedule } from './arrivals.js';
import { SendCounter, type SendStats } from './send-stats.js';
import { StepPhases, type DriverOptions, type EndReason } from './step-phases.js';
import { sendContinuations, type SendContinuations } from './send-continuations.js';

export interface OpenLoopOptions extends DriverOptions {
  /** A fresh schedule for this step; warm-up then measurement continue it (in schedule time). */
  readonly schedule: ArrivalSchedule;
  /** The rate the schedule was built for (sends per second), for the report. */
  readonly ratePerSec: number;
  /** Cap on sends in flight: a due send waits for a slot (and then is late). null = no cap. */
  readonly maxInFlight: number | null;
  /** A send issued more than this after its scheduled time is late. Default 2 ms (timers are ~1 ms). */
  readonly lateThresholdMs?: number;
}

export interface OpenLoopOutcome {
  readonly warmupItems: number;
  readonly measuredItems: number;
  readonly endedBy: EndReason;
  /** Sends still in flight when the drain grace ran out. */
  readonly abandoned: number;
  /** How long measurement ran past its planned length because shouldStop asked for more. */
  readonly extendedMs: number;
  readonly sends: SendStats;
  /** Sends in flight while measured ones went out (StepPhases.inFlightFigures); null when sending never stopped on its own. */
  readonly inFlight: InFlightFigures | null;
}

const DEFAULT_LATE_THRESHOLD_MS = 2;
/** Sends in a row after which the loop lets the event loop run (responses, the hard limit, signals). */
const YIELD_EVERY = 1024;

/** Runs warm-up then measurement on the schedule; resolves once every send has come back. */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopOutcome> {
  const { maxInFlight } = options;
  if (maxInFlight !== null && !(Number.isInteger(maxInFlight) && maxInFlight >= 1)) {
    return Promise.reject(new RangeError(`maxInFlight must be null or an integer >= 1, got ${maxInFlight}`));
  }
  return new OpenLoop(options).run();
}

class OpenLoop {
  private readonly phases: StepPhases;
  private readonly on: SendContinuations;
  private readonly cap: number;
  private startMs = 0;
  /** Due time of the oldest send not yet issued; sends due but waiting for a slot are implied by it. */
  private nextDueMs = 0;
  private sendTimer: NodeJS.Timeout | undefined;
  private yieldQueued = false;
  private sendsSinceYield = 0;
  private readonly itemsPerSend: number;
  private readonly sendCounter: SendCounter;
  // Prebuilt so that no closure is allocated per send or per wake.
  private readonly onTimer = (): void => {
    this.sendTimer = undefined;
    this.sendsSinceYield = 0;
    this.sendDue();
  };
  private readonly onYield = (): void => {
    this.yieldQueued = false;
    this.sendsSinceYield = 0;
    this.sendDue();
  };

  constructor(private readonly options: OpenLoopOptions) {
    const itemsPerSend = options.staticBatch?.batchSize ?? 1;
    this.itemsPerSend = itemsPerSend;
    this.sendCounter = new SendCounter(options.lateThresholdMs ?? DEFAULT_LATE_THRESHOLD_MS);
    this.cap = options.maxInFlight ?? Number.POSITIVE_INFINITY;
    this.phases = new StepPhases({ ...options, itemsPerSend, onStop: () => this.stopTimer() });
    this.on = sendContinuations(options.sink, options.clock, itemsPerSend, () => this.returned());
  }

  async run(): Promise<OpenLoopOutcome> {
    this.startMs = this.options.clock();
    const done = this.phases.start(this.startMs);
    this.pullNext();
    this.sendDue();
    await done;
    this.stopTimer();
    const { warmupItems, measuredItems, endedBy, abandoned, extendedMs } = this.phases;
    return {
      warmupItems,
      measuredItems,
      endedBy,
      abandoned,
      extendedMs,
      sends: this.sendCounter.stats(),
      inFlight: this.phases.inFlightFigures,
    };
  }

  /** Issues every send that is due (as far as the cap allows), then sleeps until the next one. */
  private sendDue(): void {
    let now = this.options.clock();
    while (this.phases.phase !== 'draining' && this.nextDueMs <= now && this.phases.inFlight < this.cap) {
      if (this.sendsSinceYield >= YIELD_EVERY) {
        this.queueYield();
        return;
      }
      this.sendsSinceYield++;
      this.send(now);
      now = this.options.clock();
    }
    // Cap full with sends due: the next return sends the oldest. Otherwise wake when one is due.
    if (this.phases.phase !== 'draining' && this.nextDueMs > now && this.sendTimer === undefined) {
      this.sendTimer = setTimeout(this.onTimer, Math.ceil(this.nextDueMs - now));
    }
  }

  private send(now: number): void {
    const dueMs = this.nextDueMs;
    const measuring = this.phases.phase === 'measure';
    if (measuring) {
      this.sendCounter.count(dueMs, now);
      this.options.sink.sent?.(this.itemsPerSend, dueMs, now);
    }
    this.phases.sent(now);
    const { target, stage, staticBatch, texts } = this.options;
    if (staticBatch) {
      const batch: string[] = new Array<string>(staticBatch.batchSize);
      for (let i = 0; i < batch.length; i++) batch[i] = texts.next();
      const sent = staticBatch.target.submitBatch(stage, batch, dueMs);
      if (measuring) void sent.then(this.on.measuredBatch, this.on.measuredFailed);
      else void sent.then(this.on.warmupDone, this.on.warmupDone);
    } else {
      const sent = target.submit(stage, texts.next(), dueMs);
      if (measuring) void sent.then(this.on.measuredItem, this.on.measuredFailed);
      else void sent.then(this.on.warmupDone, this.on.warmupDone);
    }
    this.pullNext();
  }

  /**
   * Takes the next send time and settles its phase now, in schedule time: a count or duration
   * reached by the send just issued ends measurement at once instead of at the next due time.
   */
  private pullNext(): void {
    this.nextDueMs = this.startMs + this.options.schedule.next();
    this.phases.advance(this.nextDueMs);
  }

  private returned(): void {
    this.phases.returned(this.options.clock());
    if (this.phases.phase === 'draining') this.phases.finishIfDrained();
    else if (this.phases.inFlight === this.cap - 1) this.sendDue();
  }

  private queueYield(): void {
    if (this.yieldQueued) return;
    this.yieldQueued = true;
    setImmediate(this.onYield);
  }

  private stopTimer(): void {
    clearTimeout(this.sendTimer);
    this.sendTimer = undefined;
  }
}
