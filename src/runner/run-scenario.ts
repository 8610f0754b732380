/**
 * Runs a scenario: warm-up at its first non-zero level (not recorded), then its load stages as one
 * continuous drive (no drain or gap between stages: a drain after a spike would empty the queue
 * and fake the recovery). Items go to their stage by send time; each stage is handed to
 * `stageDone` once its time passed and everything it sent came back. All items also fold into one
 * timeline of windows. Stress scenarios stop a set number of hold stages past the first one that
 * breaks the budget; an abort (SIGINT/SIGTERM) ends the stage under way as partial.
 */
import { checkBudget, failedChecks, passesAll } from '../analysis/budget.js';
import { InputError } from '../errors.js';
import { LATE_SEND_WARN_SHARE, runOpenLoop } from '../load/open-loop.js';
import { profileArrivals } from '../load/profile-arrivals.js';
import { LoadProfile } from '../load/profile.js';
import { runRampedClosedLoop } from '../load/ramped-closed-loop.js';
import type { OpenLoopReport, TimelineWindow } from '../report/types.js';
import type { ComputeAppsResult } from '../telemetry/types.js';
import type { Budget, ScenarioSpec, Step } from '../workload/types.js';
import { batchSender, driveStep } from './drive-step.js';
import type { StepContext, StepRun } from './run-step.js';
import { StageLedger, type StageLedgerEntry } from './scenario-stages.js';
import { TimelineFold, windowStatOf } from './scenario-timeline.js';

export interface ScenarioCallbacks {
  /** Stage `step` is over (its time passed and every send it made came back or was abandoned). */
  stageDone(step: Step, run: StepRun): Promise<void>;
}

export interface ScenarioOutcome {
  /** Epoch ms when the first stage (of this run) began, after warm-up. */
  readonly startedAtMs: number;
  /** Stages of `steps` that ran to their end. */
  readonly stagesRun: number;
  /** 'breaking point found: ...' (stress) | 'interrupted by SIGINT' | ...; null when every stage ran. */
  readonly stoppedEarly: string | null;
  readonly timeline: readonly TimelineWindow[];
}

/** How often the drive closes timeline windows, finishes stages and ticks. */
const HEARTBEAT_MS = 50;
/** Items stamped just before a window's end may still be on their way back: close a little later. */
const WINDOW_CLOSE_SLACK_MS = 20;
/** Open loop: the driver's hard limit past the profile's end (its schedule ends the drive first). */
const OPEN_LOOP_SLACK_MS = 5_000;
const LATE_THRESHOLD_MS = 2;

export async function runScenario(
  scenario: ScenarioSpec,
  steps: readonly Step[],
  context: StepContext,
  budget: Budget,
  callbacks: ScenarioCallbacks,
): Promise<ScenarioOutcome> {
  const first = steps[0];
  if (first?.profile === undefined) throw new InputError('scenario.stages', 'expected at least one scenario step to run, got none');
  const { target, clock } = context;
  const profile = new LoadProfile(scenario.stages);
  const startOffsetMs = first.profile.offsetMs;
  await target.configure(first.stage, { maxBatchSize: first.batchSize, maxQueueDelayMs: first.maxQueueDelayMs, maxNewTokens: first.maxNewTokens });
  if (first.mode === 'static' && batchSender(first, target) === null) {
    throw new InputError(`stages[${first.stage}].mode`, `static batching is not supported by ${target.info.description}`);
  }
  // One signal for every way the drive stops: the caller's abort or the stress stop.
  const stop = new AbortController();
  const forwardAbort = (): void => stop.abort(context.signal?.reason);
  context.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (context.signal?.aborted) forwardAbort();
  try {
    await warmUp(first, profile, startOffsetMs, context, stop.signal);
    if (stop.signal.aborted) return { startedAtMs: clock(), stagesRun: 0, stoppedEarly: interruptText(stop.signal.reason), timeline: [] };
    return await new ScenarioDrive(scenario, profile, steps, context, budget, callbacks, stop).run(startOffsetMs);
  } finally {
    context.signal?.removeEventListener('abort', forwardAbort);
  }
}

/** Warm-up (steps[0].warmup) at the first non-zero level from the start offset on; nothing recorded. */
async function warmUp(first: Step, profile: LoadProfile, startOffsetMs: number, context: StepContext, signal: AbortSignal): Promise<void> {
  const { requests, durationMs } = first.warmup;
  if (!((requests ?? 0) > 0 || (durationMs ?? 0) > 0)) return;
  const startIndex = profile.stageIndexAt(startOffsetMs);
  const level = profile.levelAt(startOffsetMs) || (profile.stages.slice(startIndex).find((stage) => stage.target > 0)?.target ?? 0);
  if (level <= 0) return;
  const warm: Step = {
    ...first,
    concurrency: first.arrivals === null ? Math.max(1, Math.floor(level)) : null,
    arrivals: first.arrivals === null ? null : { ...first.arrivals, ratePerSec: level },
    measure: { requests: 0, maxDurationMs: first.measure.maxDurationMs },
  };
  await driveStep(warm, {
    target: context.target,
    texts: context.texts,
    sink: { record: () => undefined },
    clock: context.clock,
    seed: context.seed,
    signal,
    ...(context.drainGraceMs !== undefined && { drainGraceMs: context.drainGraceMs }),
  });
}

class ScenarioDrive {
  private ledger!: StageLedger;
  private timeline!: TimelineFold;
  private startMs = 0;
  /** When sending stopped early (abort or stress stop); null while the profile runs. */
  private stoppedAtMs: number | null = null;
  private stressStop: string | null = null;
  private firstBreak: { readonly entry: StageLedgerEntry; readonly failed: string } | null = null;
  private holdsSinceBreak = 0;
  /** Next stage (index into the ledger) to hand to stageDone; stages finish in order. */
  private nextToFinish = 0;
  private stagesRun = 0;
  private finishing: Promise<void> = Promise.resolve();
  private callbackError: { readonly error: unknown } | null = null;
  private processesAtStart: ComputeAppsResult | null = null;
  private lastTickMs = 0;
  private lastResponseMs = 0;
  private announcedStage = -1;
  private readonly onStop = (): void => {
    this.stoppedAtMs ??= this.context.clock();
  };

  constructor(
    private readonly scenario: ScenarioSpec,
    private readonly profile: LoadProfile,
    private readonly steps: readonly Step[],
    private readonly context: StepContext,
    private readonly budget: Budget,
    private readonly callbacks: ScenarioCallbacks,
    private readonly stop: AbortController,
  ) {}

  async run(startOffsetMs: number): Promise<ScenarioOutcome> {
    const { context, profile, stop } = this;
    const { clock } = context;
    const first = this.steps[0] as Step;
    this.processesAtStart = (await context.telemetry?.processes()) ?? null;
    this.startMs = clock();
    const endMs = this.startMs + Math.max(0, profile.totalMs - startOffsetMs);
    this.timeline = new TimelineFold(this.startMs, this.scenario.windowMs, (epochMs) => profile.levelAt(startOffsetMs + (epochMs - this.startMs)));
    this.ledger = new StageLedger({
      profile,
      steps: this.steps,
      startOffsetMs,
      startMs: this.startMs,
      clock,
      windowMs: this.scenario.windowMs,
      lateThresholdMs: LATE_THRESHOLD_MS,
      onItem: (result) => {
        this.timeline.add(result);
        if (result.tResponseMs > this.lastResponseMs) this.lastResponseMs = result.tResponseMs;
      },
      onStageDrained: () => this.finishReady(clock(), false),
    });
    stop.signal.addEventListener('abort', this.onStop, { once: true });
    this.lastTickMs = this.startMs;
    this.announceStage(this.startMs);
    const heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const open = first.arrivals !== null;
      const batches = batchSender(first, context.target);
      const target = this.ledger.countingTarget(context.target, open);
      const staticBatch = batches === null ? undefined : { target: target as typeof batches, batchSize: first.batchSize };
      const common = {
        target,
        stage: first.stage,
        texts: context.texts,
        sink: this.ledger,
        clock,
        signal: stop.signal,
        ...(context.drainGraceMs !== undefined && { drainGraceMs: context.drainGraceMs }),
        ...(staticBatch && { staticBatch }),
      };
      if (first.arrivals === null) {
        const perSend = staticBatch && context.target.info.kind !== 'http' ? first.batchSize : 1;
        await runRampedClosedLoop({ ...common, profile, startOffsetMs, sendsForLevel: (level) => Math.floor(level / perSend) });
      } else {
        const remainingMs = Math.max(0, profile.totalMs - startOffsetMs);
        const { process, ratePerSec, maxInFlight } = first.arrivals;
        await runOpenLoop({
          ...common,
          warmup: {},
          measure: { durationMs: remainingMs, maxDurationMs: remainingMs + OPEN_LOOP_SLACK_MS },
          schedule: profileArrivals(profile, process, { startOffsetMs, seed: context.seed + first.index }),
          ratePerSec,
          maxInFlight,
          lateThresholdMs: LATE_THRESHOLD_MS,
        });
      }
      // The last sends may come back before the profile's time is over: its stages end on time.
      await sleepUntil(endMs, clock, stop.signal);
    } finally {
      clearInterval(heartbeat);
      stop.signal.removeEventListener('abort', this.onStop);
    }
    const doneAtMs = clock();
    this.finishReady(doneAtMs, true);
    this.ledger.close();
    await this.finishing;
    if (this.callbackError) throw this.callbackError.error;
    this.emitWindows(this.timeline.finish(Math.max(this.stoppedAtMs ?? Math.min(doneAtMs, endMs), this.lastResponseMs)));
    const reason = stop.signal.reason;
    return {
      startedAtMs: this.startMs,
      stagesRun: this.stagesRun,
      stoppedEarly: this.stressStop ?? (stop.signal.aborted ? interruptText(reason) : null),
      timeline: this.timeline.windows(),
    };
  }

  private beat(): void {
    const now = this.context.clock();
    this.announceStage(now);
    this.emitWindows(this.timeline.closeUntil(now - WINDOW_CLOSE_SLACK_MS));
    this.finishReady(now, false);
    if (now - this.lastTickMs >= (this.context.tickMs ?? 1000)) {
      this.lastTickMs = now;
      const entry = this.ledger.entryAt(now);
      if (entry) this.context.emit({ kind: 'tick', step: entry.step, elapsedMs: now - entry.startMs, ...entry.recorder.live() });
    }
  }

  /** A step-start event when the drive enters a new stage (progress and the live view follow it). */
  private announceStage(now: number): void {
    const entry = this.ledger.entryAt(now);
    if (entry === undefined || entry.stageIndex <= this.announcedStage) return;
    this.announcedStage = entry.stageIndex;
    this.context.emit({ kind: 'step-start', step: entry.step, of: this.scenario.stages.length, repeat: null });
  }

  private emitWindows(windows: readonly TimelineWindow[]): void {
    const { live, emit } = this.context;
    for (const window of windows) {
      const entry = this.ledger.entryAt((window.startMs + window.endMs) / 2);
      if (entry === undefined) continue;
      emit({ kind: 'window', step: entry.step, window: windowStatOf(window), level: window.level, gpuUtilPct: live?.gpuUtilPct() ?? null, host: live?.host() ?? null });
    }
  }

  /**
   * Hands every stage that is over to stageDone, in order. `final`: the drive has ended, so the
   * stage under way (and any still waiting for items) is finished as it stands.
   */
  private finishReady(now: number, final: boolean): void {
    const { entries } = this.ledger;
    while (this.nextToFinish < entries.length) {
      const entry = entries[this.nextToFinish] as StageLedgerEntry;
      const sendingEndedMs = this.stoppedAtMs ?? Number.POSITIVE_INFINITY;
      const timePassed = entry.endMs <= Math.min(now, sendingEndedMs);
      const allBack = entry.recordedItems >= entry.sentItems && (this.ledger.issuedPast(entry.endMs) || sendingEndedMs <= now);
      if (!final && !(timePassed && allBack)) return;
      if (final && entry.startMs >= Math.min(now, sendingEndedMs) && entry.sentItems === 0) return;
      this.nextToFinish++;
      if (timePassed) this.stagesRun++;
      this.finishStage(entry, timePassed && allBack);
    }
  }

  private finishStage(entry: StageLedgerEntry, ranToEnd: boolean): void {
    const measurement = entry.recorder.finish();
    const askedForNothing = Math.max(this.profile.fromLevel(entry.stageIndex), entry.step.profile?.toLevel ?? 0) === 0;
    const complete = ranToEnd && (measurement.completed > 0 || askedForNothing);
    const openLoop = this.openLoopReport(entry);
    if (openLoop !== null && openLoop.lateShare > LATE_SEND_WARN_SHARE) {
      this.context.warn(
        `scenario stage ${entry.stageIndex} "${entry.step.profile?.name ?? ''}": ${(openLoop.lateShare * 100).toFixed(1)} % of sends were late ` +
          `(max ${openLoop.maxLateMs.toFixed(1)} ms); the driver could not keep the rate; latency still counts from the schedule`,
      );
    }
    if (ranToEnd) this.judgeStress(entry, measurement);
    const gpuWindow = { items: measurement.completed, ...(measurement.latencyMs.queue && { queueMsMean: measurement.latencyMs.queue.mean }) };
    const stageEndMs = Math.min(entry.endMs, this.stoppedAtMs ?? entry.endMs);
    const atStart = this.processesAtStart;
    this.finishing = this.finishing.then(async () => {
      if (this.callbackError) return;
      try {
        const { telemetry } = this.context;
        const atEnd = (await telemetry?.processes()) ?? null;
        this.processesAtStart = atEnd;
        const gpu = telemetry?.stepReport(entry.startMs, Math.max(entry.startMs, stageEndMs), gpuWindow, { atStart, atEnd }) ?? null;
        await this.callbacks.stageDone(entry.step, { measurement, complete, gpu, openLoop, stability: null, coldStartMs: null });
      } catch (error) {
        // A stage that cannot be reported stops the drive; the error reaches the caller.
        this.callbackError = { error };
        this.stop.abort('stage report failed');
      }
    });
  }

  /** Stress: after each hold stage, judge it; stop `stopAfterBreak` holds past the first failure. */
  private judgeStress(entry: StageLedgerEntry, measurement: Parameters<typeof checkBudget>[0]): void {
    const { stopAfterBreak } = this.scenario;
    // A hold at 0 asks for nothing: it cannot break (the verdict's levels skip it too).
    const heldLevel = entry.step.profile?.toLevel ?? 0;
    if (stopAfterBreak === null || this.stressStop !== null || !this.profile.isHold(entry.stageIndex) || heldLevel <= 0) return;
    if (this.firstBreak === null) {
      const check = checkBudget(measurement, this.budget);
      if (passesAll(check)) return;
      this.firstBreak = { entry, failed: failedChecks(check).join(', ') };
    } else {
      this.holdsSinceBreak++;
    }
    if (this.holdsSinceBreak < stopAfterBreak) return;
    // Breaking at the last stage ends nothing early.
    if (entry === this.ledger.entries.at(-1)) return;
    const broke = this.firstBreak.entry;
    const level = broke.step.profile?.toLevel ?? 0;
    const unit = broke.step.arrivals === null ? 'in flight' : 'req/s';
    this.stressStop =
      `breaking point found: stage ${broke.stageIndex} "${broke.step.profile?.name ?? ''}" at ${level} ${unit} failed ${this.firstBreak.failed}; ` +
      `stopped after ${this.holdsSinceBreak} more hold stage${this.holdsSinceBreak === 1 ? '' : 's'}`;
    this.stop.abort('breaking point');
  }

  private openLoopReport(entry: StageLedgerEntry): OpenLoopReport | null {
    const arrivals = entry.step.arrivals;
    if (arrivals === null) return null;
    const { sends, lateSends, maxLateMs, firstSendAtMs, lastSendAtMs } = entry;
    const spanMs = firstSendAtMs !== null && lastSendAtMs !== null ? lastSendAtMs - firstSendAtMs : 0;
    return {
      process: arrivals.process,
      targetRatePerSec: arrivals.ratePerSec,
      achievedRatePerSec: sends >= 2 && spanMs > 0 ? (sends - 1) / (spanMs / 1000) : 0,
      maxInFlight: arrivals.maxInFlight,
      sends,
      lateSends,
      lateShare: sends === 0 ? 0 : lateSends / sends,
      lateThresholdMs: LATE_THRESHOLD_MS,
      maxLateMs,
    };
  }
}

function interruptText(reason: unknown): string {
  return typeof reason === 'string' && reason !== '' ? `interrupted by ${reason}` : 'interrupted';
}

/** Resolves at `epochMs` on `clock`, or at once when the signal aborts. */
function sleepUntil(epochMs: number, clock: () => number, signal: AbortSignal): Promise<void> {
  const waitMs = epochMs - clock();
  if (waitMs <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    signal.addEventListener('abort', done, { once: true });
  });
}
