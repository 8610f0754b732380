/**
 * Closed loop whose concurrency follows a load profile: it keeps sendsForLevel(levelAt(t)) sends
 * in flight from a start offset to the profile's end, continuously (no drain between stages). The
 * count is re-checked on every completion and on a control timer, so a ramp up adds sends even
 * while nothing completes; when the level drops, sends in flight finish and are not replaced.
 * Every send is recorded (warm-up is the caller's business) and stamped with its issue time.
 */
import type { Clock } from '../core/clock.js';
import type { StaticBatchTarget, Target } from '../targets/target.js';
import type { Stage } from '../core/stage.js';
import type { LoadProfile } from './profile.js';
import { abortDrainGraceMs, DrainGrace, type ResultSink, type TextFeed } from './step-phases.js';
import { sendContinuations, type SendContinuations } from './send-continuations.js';

export interface RampedClosedLoopOptions {
  readonly target: Target;
  readonly stage: Stage;
  readonly texts: TextFeed;
  readonly sink: ResultSink;
  readonly clock: Clock;
  readonly profile: LoadProfile;
  /** Where in the profile the drive starts (a resume starts at a later stage); default 0. */
  readonly startOffsetMs?: number;
  /** Sends to keep in flight at a level; default floor(level). Static batches: floor(level / batch). */
  readonly sendsForLevel?: (level: number) => number;
  /** Static batching: each send is one submitBatch of exactly batchSize texts. */
  readonly staticBatch?: { readonly target: StaticBatchTarget; readonly batchSize: number };
  /** Stops sending; what is in flight drains for at most ABORT_DRAIN_GRACE_MS, then is abandoned. */
  readonly signal?: AbortSignal;
  /** How long sends in flight may take to come back once the profile ended. Default 10 s. */
  readonly drainGraceMs?: number;
  /** How often the level is re-checked when nothing completes. Default 20 ms. */
  readonly controlMs?: number;
}

export interface RampedClosedLoopOutcome {
  /** Epoch ms (clock) the drive began at startOffsetMs into the profile. */
  readonly startedAtMs: number;
  /** When sending stopped: the profile's end, or the abort. */
  readonly stoppedAtMs: number;
  readonly endedBy: 'profile-end' | 'aborted';
  readonly sends: number;
  /** Sends still in flight when the drain grace ran out. */
  readonly abandoned: number;
}

const DEFAULT_DRAIN_GRACE_MS = 10_000;
const DEFAULT_CONTROL_MS = 20;
/** Completions in a row after which refilling waits for the event loop (timers, signals). */
const YIELD_EVERY = 1024;

export function runRampedClosedLoop(options: RampedClosedLoopOptions): Promise<RampedClosedLoopOutcome> {
  return new RampedClosedLoop(options).run();
}

class RampedClosedLoop {
  private readonly on: SendContinuations;
  private readonly sendsForLevel: (level: number) => number;
  private readonly startOffsetMs: number;
  private startMs = 0;
  private endMs = 0;
  private stoppedAtMs: number | null = null;
  private endedBy: RampedClosedLoopOutcome['endedBy'] = 'profile-end';
  private inFlight = 0;
  private sends = 0;
  private abandoned = 0;
  private completionsSinceYield = 0;
  private yieldQueued = false;
  private controlTimer: NodeJS.Timeout | undefined;
  private endTimer: NodeJS.Timeout | undefined;
  private readonly grace = new DrainGrace(() => {
    this.abandoned = this.inFlight;
    this.finish();
  });
  private resolveDone: (() => void) | undefined;
  private readonly onControl = (): void => {
    this.completionsSinceYield = 0;
    this.topUp();
  };
  private readonly onYield = (): void => {
    this.yieldQueued = false;
    this.completionsSinceYield = 0;
    this.topUp();
  };
  private readonly onEnd = (): void => this.stop('profile-end');
  private readonly onAbort = (): void => {
    this.stop('aborted');
    // Also when the profile had already ended: an abort cuts that drain short.
    if (this.resolveDone !== undefined) this.grace.arm(abortDrainGraceMs(this.options.drainGraceMs));
  };

  constructor(private readonly options: RampedClosedLoopOptions) {
    this.startOffsetMs = options.startOffsetMs ?? 0;
    this.sendsForLevel = options.sendsForLevel ?? Math.floor;
    this.on = sendContinuations(options.sink, options.clock, options.staticBatch?.batchSize ?? 1, () => this.returned());
  }

  async run(): Promise<RampedClosedLoopOutcome> {
    const { clock, profile, signal } = this.options;
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.startMs = clock();
    this.endMs = this.startMs + Math.max(0, profile.totalMs - this.startOffsetMs);
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.stop('aborted');
    else {
      this.endTimer = setTimeout(this.onEnd, this.endMs - this.startMs);
      this.controlTimer = setInterval(this.onControl, this.options.controlMs ?? DEFAULT_CONTROL_MS);
      this.controlTimer.unref();
      this.topUp();
    }
    await done;
    signal?.removeEventListener('abort', this.onAbort);
    this.grace.cancel();
    const { startMs: startedAtMs, endedBy, sends, abandoned } = this;
    return { startedAtMs, stoppedAtMs: this.stoppedAtMs ?? clock(), endedBy, sends, abandoned };
  }

  /** Sends until the number in flight reaches what the level asks for now. */
  private topUp(): void {
    if (this.stoppedAtMs !== null) return;
    const now = this.options.clock();
    if (now >= this.endMs) {
      this.stop('profile-end');
      return;
    }
    const wanted = this.sendsForLevel(this.options.profile.levelAt(this.startOffsetMs + (now - this.startMs)));
    while (this.inFlight < wanted) this.send(now);
  }

  private send(now: number): void {
    this.inFlight++;
    this.sends++;
    const { target, stage, staticBatch, texts, sink } = this.options;
    sink.sent?.(staticBatch?.batchSize ?? 1, now, now);
    if (staticBatch) {
      const batch: string[] = new Array<string>(staticBatch.batchSize);
      for (let i = 0; i < batch.length; i++) batch[i] = texts.next();
      void staticBatch.target.submitBatch(stage, batch, now).then(this.on.measuredBatch, this.on.measuredFailed);
    } else {
      void target.submit(stage, texts.next(), now).then(this.on.measuredItem, this.on.measuredFailed);
    }
  }

  private returned(): void {
    this.inFlight--;
    if (this.stoppedAtMs !== null) {
      if (this.inFlight === 0) this.finish();
      return;
    }
    // A target that answers synchronously would otherwise chain sends in microtasks forever,
    // starving the timers (the profile's end, the signal).
    if (++this.completionsSinceYield < YIELD_EVERY) this.topUp();
    else if (!this.yieldQueued) {
      this.yieldQueued = true;
      setImmediate(this.onYield);
    }
  }

  private stop(reason: RampedClosedLoopOutcome['endedBy']): void {
    if (this.stoppedAtMs !== null) return;
    this.stoppedAtMs = this.options.clock();
    this.endedBy = reason;
    clearTimeout(this.endTimer);
    clearInterval(this.controlTimer);
    if (this.inFlight === 0) {
      this.finish();
      return;
    }
    // An abort (onAbort) then moves this sooner.
    this.grace.arm(this.options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS);
  }

  private finish(): void {
    this.grace.cancel();
    this.resolveDone?.();
    this.resolveDone = undefined;
  }
}
