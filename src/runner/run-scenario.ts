/**
 * Runs a scenario: warm-up at its first non-zero level (not recorded), then its load stages as one
 * continuous drive (no drain or gap between stages: a drain after a spike would empty the queue
 * and fake the recovery). Items go to their stage by send time; each stage is handed to
 * `stageDone` once its time passed and everything it sent came back. All items also fold into one
 * timeline of windows. Stress scenarios stop a set number of hold stages past the first one that
 * breaks the budget; an abort (SIGINT/SIGTERM) ends the stage under way as partial.
 */
import { InputError } from '../errors.js';
import { LATE_SEND_WARN_SHARE, openLoopReport } from '../load/send-stats.js';
import { LoadProfile } from '../load/profile.js';
import { measuredItems } from '../core/measurement.js';
import type { OpenLoopReport } from '../core/report/step.js';
import type { ComputeAppsResult } from '../core/report/telemetry.js';
import type { Budget, Step } from '../core/workload.js';
import type { ScenarioSpec } from '../core/scenario.js';
import { batchSender } from './drive-step.js';
import { abandonedWarning, type StepContext, type StepRun } from './run-step.js';
import { serverStepMetrics } from './server-step.js';
import type { ScenarioOutcome } from './types.js';
import { StageLedger, type StageLedgerEntry } from './stage-ledger.js';
import { TimelineFold, type LevelledWindow } from './scenario-timeline.js';
import { StressWatch } from './stress-watch.js';
import { warmUp } from './scenario-warm-up.js';
import { driveProfile } from './scenario-drive-load.js';

export interface ScenarioCallbacks {
  /** Stage `step` is over (its time passed and every send it made came back or was abandoned). */
  stageDone(step: Step, run: StepRun): Promise<void>;
}

/** How often the drive closes timeline windows, finishes stages and ticks. */
const HEARTBEAT_MS = 50;
/** Items stamped just before a window's end may still be on their way back: close a little later. */
const WINDOW_CLOSE_SLACK_MS = 20;
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
  await target.configure(first.stage, {
    maxBatchSize: first.batchSize,
    maxQueueDelayMs: first.maxQueueDelayMs,
    maxNewTokens: first.maxNewTokens,
  });
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

/** Handing stages to stageDone: in order, one report at a time; the first failure stops the drive. */
interface FinishState {
  /** Next stage (index into the ledger) to hand over. */
  next: number;
  /** Stages that ran to their end. */
  ran: number;
  queue: Promise<void>;
  error: { readonly error: unknown } | null;
  /** GPU processes when the stage being reported began (the previous stage's end). */
  processesAtStart: ComputeAppsResult | null;
}

/** What the heartbeat has ticked and announced. */
interface BeatState {
  lastTickMs: number;
  announcedStage: number;
}

class ScenarioDrive {
  private ledger!: StageLedger;
  private timeline!: TimelineFold;
  private startMs = 0;
  /** When sending stopped early (abort or stress stop); null while the profile runs. */
  private stoppedAtMs: number | null = null;
  private readonly stress: StressWatch;
  private lastResponseMs = 0;
  private readonly finish: FinishState = { next: 0, ran: 0, queue: Promise.resolve(), error: null, processesAtStart: null };
  private readonly beats: BeatState = { lastTickMs: 0, announcedStage: -1 };
  private readonly onStop = (): void => {
    this.stoppedAtMs ??= this.context.clock();
  };

  constructor(
    private readonly scenario: ScenarioSpec,
    private readonly profile: LoadProfile,
    private readonly steps: readonly Step[],
    private readonly context: StepContext,
    budget: Budget,
    private readonly callbacks: ScenarioCallbacks,
    private readonly stop: AbortController,
  ) {
    this.stress = new StressWatch(scenario.stopAfterBreak, profile, budget);
  }

  async run(startOffsetMs: number): Promise<ScenarioOutcome> {
    const { context, profile, stop } = this;
    const { clock } = context;
    const first = this.steps[0] as Step;
    this.finish.processesAtStart = (await context.telemetry?.processes()) ?? null;
    this.startMs = clock();
    const endMs = this.startMs + Math.max(0, profile.totalMs - startOffsetMs);
    this.timeline = new TimelineFold(this.startMs, this.scenario.windowMs, (epochMs) =>
      profile.levelAt(startOffsetMs + (epochMs - this.startMs)),
    );
    this.ledger = new StageLedger({
      profile,
      steps: this.steps,
      startOffsetMs,
      startMs: this.startMs,
      clock,
      windowMs: this.scenario.windowMs,
      scheduled: first.arrivals !== null,
      lateThresholdMs: LATE_THRESHOLD_MS,
      onItem: (result) => {
        this.timeline.add(result);
        if (result.tResponseMs > this.lastResponseMs) this.lastResponseMs = result.tResponseMs;
      },
      onStageDrained: () => this.finishReady(clock(), false),
    });
    stop.signal.addEventListener('abort', this.onStop, { once: true });
    this.beats.lastTickMs = this.startMs;
    this.announceStage(this.startMs);
    const heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await driveProfile(first, profile, startOffsetMs, {
        context,
        sink: this.ledger,
        signal: stop.signal,
        lateThresholdMs: LATE_THRESHOLD_MS,
        endMs,
      });
    } finally {
      clearInterval(heartbeat);
      stop.signal.removeEventListener('abort', this.onStop);
    }
    const doneAtMs = clock();
    this.finishReady(doneAtMs, true);
    this.ledger.close();
    await this.finish.queue;
    if (this.finish.error) throw this.finish.error.error;
    this.emitWindows(this.timeline.finish(Math.max(this.stoppedAtMs ?? Math.min(doneAtMs, endMs), this.lastResponseMs)));
    const reason = stop.signal.reason;
    return {
      startedAtMs: this.startMs,
      stagesRun: this.finish.ran,
      stoppedEarly: this.stress.stoppedEarly ?? (stop.signal.aborted ? interruptText(reason) : null),
      timeline: this.timeline.windows(),
    };
  }

  private beat(): void {
    const now = this.context.clock();
    this.announceStage(now);
    this.emitWindows(this.timeline.closeUntil(now - WINDOW_CLOSE_SLACK_MS));
    this.finishReady(now, false);
    if (now - this.beats.lastTickMs >= (this.context.tickMs ?? 1000)) {
      this.beats.lastTickMs = now;
      const entry = this.ledger.entryAt(now);
      if (entry) this.context.emit({ kind: 'tick', step: entry.step, elapsedMs: now - entry.startMs, ...entry.recorder.live() });
    }
  }

  /** A step-start event when the drive enters a new stage (progress and the live view follow it). */
  private announceStage(now: number): void {
    const entry = this.ledger.entryAt(now);
    if (entry === undefined || entry.stageIndex <= this.beats.announcedStage) return;
    this.beats.announcedStage = entry.stageIndex;
    this.context.emit({ kind: 'step-start', step: entry.step, of: this.scenario.stages.length, repeat: null });
  }

  private emitWindows(windows: readonly LevelledWindow[]): void {
    const { live, emit } = this.context;
    for (const { stat, level } of windows) {
      const entry = this.ledger.entryAt((stat.startMs + stat.endMs) / 2);
      if (entry === undefined) continue;
      emit({
        kind: 'window',
        step: entry.step,
        window: stat,
        level,
        gpuUtilPct: live?.gpuUtilPct() ?? null,
        gpuPowerW: live?.gpuPowerW() ?? null,
        host: live?.host() ?? null,
      });
    }
  }

  /**
   * Hands every stage that is over to stageDone, in order. `final`: the drive has ended, so the
   * stage under way (and any still waiting for items) is finished as it stands.
   */
  private finishReady(now: number, final: boolean): void {
    const { entries } = this.ledger;
    while (this.finish.next < entries.length) {
      const entry = entries[this.finish.next] as StageLedgerEntry;
      const sendingEndedMs = this.stoppedAtMs ?? Number.POSITIVE_INFINITY;
      const timePassed = entry.endMs <= Math.min(now, sendingEndedMs);
      const allBack = entry.recordedItems >= entry.sentItems && (this.ledger.issuedPast(entry.endMs) || sendingEndedMs <= now);
      if (!final && !(timePassed && allBack)) return;
      if (final && entry.startMs >= Math.min(now, sendingEndedMs) && entry.sentItems === 0) return;
      this.finish.next++;
      if (timePassed) this.finish.ran++;
      this.finishStage(entry, timePassed && allBack);
    }
  }

  private finishStage(entry: StageLedgerEntry, ranToEnd: boolean): void {
    // Only the drive's end finishes a stage with sends still out: the drain gave up on them.
    const abandoned = entry.sentItems - entry.recordedItems;
    if (abandoned > 0) {
      entry.recorder.abandon(abandoned);
      const what = `scenario stage ${entry.stageIndex} "${entry.step.profile?.name ?? ''}"`;
      this.context.warn(abandonedWarning(what, abandoned, this.context.signal?.aborted === true));
    }
    const measurement = entry.recorder.finish();
    const askedForNothing = Math.max(this.profile.fromLevel(entry.stageIndex), entry.step.profile?.toLevel ?? 0) === 0;
    // As a sweep step: a stage whose every item failed ran to its end and measured its error rate.
    const complete = ranToEnd && (measuredItems(measurement) > 0 || askedForNothing);
    const openLoop = this.openLoopReport(entry);
    if (openLoop !== null && openLoop.lateShare > LATE_SEND_WARN_SHARE) {
      this.context.warn(
        `scenario stage ${entry.stageIndex} "${entry.step.profile?.name ?? ''}": ${(openLoop.lateShare * 100).toFixed(1)} % of sends were late ` +
          `(max ${openLoop.maxLateMs.toFixed(1)} ms); the driver could not keep the rate; latency still counts from the schedule`,
      );
    }
    if (ranToEnd && this.stress.judge(entry, measurement, entry === this.ledger.entries.at(-1))) this.stop.abort('breaking point');
    const gpuWindow = {
      items: measurement.completed,
      ...(measurement.latencyMs.queue && { queueMsMean: measurement.latencyMs.queue.mean }),
    };
    const stageEndMs = Math.min(entry.endMs, this.stoppedAtMs ?? entry.endMs);
    const atStart = this.finish.processesAtStart;
    this.finish.queue = this.finish.queue.then(async () => {
      if (this.finish.error) return;
      try {
        const { telemetry } = this.context;
        const atEnd = (await telemetry?.processes()) ?? null;
        this.finish.processesAtStart = atEnd;
        const gpu = telemetry?.stepReport(entry.startMs, Math.max(entry.startMs, stageEndMs), gpuWindow, { atStart, atEnd }) ?? null;
        const server = this.context.serverMetrics ?? null;
        const what = `scenario stage ${entry.stageIndex} "${entry.step.profile?.name ?? ''}"`;
        const window = { fromMs: entry.startMs, toMs: Math.max(entry.startMs, stageEndMs) };
        const serverMetrics = await serverStepMetrics(server, entry.step, measurement, window, what, this.context.warn);
        // A stage is timed: it runs its duration, or is stopped before its end (interrupt, stress stop).
        const endedBy = ranToEnd ? 'duration' : 'aborted';
        await this.callbacks.stageDone(entry.step, {
          measurement,
          complete,
          endedBy,
          gpu,
          ...(server && { serverMetrics }),
          openLoop,
          stability: null,
          coldStartMs: null,
        });
      } catch (error) {
        // A stage that cannot be reported stops the drive; the error reaches the caller.
        this.finish.error = { error };
        this.stop.abort('stage report failed');
      }
    });
  }

  private openLoopReport(entry: StageLedgerEntry): OpenLoopReport | null {
    const arrivals = entry.step.arrivals;
    return arrivals === null ? null : openLoopReport(arrivals, entry.sends.stats());
  }
}

function interruptText(reason: unknown): string {
  return typeof reason === 'string' && reason !== '' ? `interrupted by ${reason}` : 'interrupted';
}
