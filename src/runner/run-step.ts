/**
 * One measurement of one step: configure the target, drive the load, record in windows sized to
 * hold ~20 model calls, and decide when to stop: a fixed plan (with stability on) measures past its
 * length until the windows settle or the allowance is spent; an adaptive one (measure.precision)
 * until its p95 interval is reached and the windows settle, or its time cap. Returns plain facts;
 * the caller merges repeats and builds the report step.
 */
import { DEFAULT_WINDOW_MS, StepRecorder } from '../metrics/recorder.js';
import { measuredItems, type StepMeasurement } from '../core/measurement.js';
import { LATE_SEND_WARN_SHARE } from '../load/send-stats.js';
import type { EndReason } from '../load/step-phases.js';
import { formatMs } from '../format.js';
import type { MeasureEndReason, OpenLoopReport, StabilityReport } from '../core/report/step.js';
import type { GpuStepReport } from '../core/report/telemetry.js';
import type { GpuTelemetrySession } from '../telemetry/gpu-telemetry.js';
import type { ServerMetricsSession } from '../telemetry/server-metrics/session.js';
import type { ServerStepMetrics } from '../core/report/server-metrics.js';
import { InputError } from '../errors.js';
import type { Step } from '../core/workload.js';
import { batchSender, closedLoopSends, driveStep, finishMeasurement } from './drive-step.js';
import type { LoadContext, LoadRun } from './load-run.js';
import { windowEmitter } from './window-events.js';
import { measureOnWorkers } from './workers/measure-on-workers.js';
import type { LoadWorkerPool } from './workers/load-worker-pool.js';
import { workersForStep } from './workers/split-load.js';
import { StabilityWatch } from './stability-watch.js';
import { PrecisionWatch } from './precision-watch.js';
import { callWindowRule } from '../metrics/window-sizing.js';
import { serverStepMetrics } from './server-step.js';
import { measureColdStart } from './cold-start.js';
import type { ArrivalSchedule } from '../load/arrivals.js';
import type { ShardRun } from './shard-run.js';

export interface StepRun {
  readonly measurement: StepMeasurement;
  /**
   * False when interrupted, requests were abandoned, or nothing was recorded. A step whose every
   * item failed ran to its end: it is complete, and its error rate is what it measured. A step the
   * hard limit (maxDuration) stopped short of its count is complete too: what it measured is sound, only fewer.
   */
  readonly complete: boolean;
  /** What ended the measurement: its planned count or duration, the hard limit, or an interrupt. */
  readonly endedBy: MeasureEndReason;
  readonly gpu: GpuStepReport | null;
  /** What the scraped servers said about the step; absent or null without --server-metrics. */
  readonly serverMetrics?: ServerStepMetrics | null;
  readonly openLoop: OpenLoopReport | null;
  /** null when stability is off. */
  readonly stability: StabilityReport | null;
  /** The step's first model call, made before its load (in process only; see cold-start.ts). */
  readonly coldStartMs: number | null;
}

export interface StepContext extends LoadContext {
  readonly telemetry: GpuTelemetrySession | null;
  /** The run's server-metrics scrapers; absent or null when nothing is scraped. */
  readonly serverMetrics?: ServerMetricsSession | null;
  readonly warn: (message: string) => void;
  /** --workers: the run's load worker threads (HTTP); absent or null: every step runs on this thread. */
  readonly loadWorkers?: LoadWorkerPool | null;
  /** --shard i/N: this process drives its share of each step; absent or null: all of it. */
  readonly shard?: ShardRun | null;
}

export async function measureStep(step: Step, context: StepContext): Promise<StepRun> {
  const { target, clock, telemetry } = context;
  await target.configure(step.stage, {
    maxBatchSize: step.batchSize,
    maxQueueDelayMs: step.maxQueueDelayMs,
    maxNewTokens: step.maxNewTokens,
  });
  if (step.mode === 'static' && batchSender(step, target) === null) {
    throw new InputError(`stages[${step.stage}].mode`, `static batching is not supported by ${target.info.description}`);
  }
  const coldStartMs = context.signal?.aborted ? null : await measureColdStart(step, target, context.texts, clock);
  const processesAtStart = (await telemetry?.processes()) ?? null;
  const workers = context.loadWorkers ? workersForStep(context.loadWorkers.size, step, closedLoopSends(step, target)) : 1;
  const shard = context.shard ?? null;
  // A shard drives (and is judged on) its share; its report keeps the plan's step, so shards compare.
  const driven =
    shard === null ? step : shard.share(step, closedLoopSends(step, target), batchSender(step, target) === null ? 1 : step.batchSize);
  const load =
    context.loadWorkers && workers > 1
      ? await measureOnWorkers(step, context, context.loadWorkers, workers)
      : await measureHere(driven, context, shard);
  const { measurement, endedBy, abandoned, openLoop } = load;
  if (abandoned > 0) {
    context.warn(abandonedWarning(`step ${step.index} (${step.stage} batch ${step.batchSize})`, abandoned, endedBy === 'aborted'));
  }
  const complete = endedBy !== 'aborted' && abandoned === 0 && measuredItems(measurement) > 0;
  const gpu =
    telemetry?.stepReport(
      measurement.startedAtMs,
      measurement.endedAtMs,
      { items: measurement.completed, ...(measurement.latencyMs.queue && { queueMsMean: measurement.latencyMs.queue.mean }) },
      { atStart: processesAtStart, atEnd: (await telemetry.processes()) ?? null },
    ) ?? null;
  const what = `step ${step.index} (${step.stage} batch ${step.batchSize})`;
  const window = { fromMs: measurement.startedAtMs, toMs: measurement.endedAtMs };
  const serverMetrics = await serverStepMetrics(context.serverMetrics ?? null, step, measurement, window, what, context.warn);
  const cutShort = cutShortWarning(driven, endedBy, measurement);
  if (cutShort !== null) context.warn(cutShort);
  if (openLoop !== null && openLoop.lateShare > LATE_SEND_WARN_SHARE) {
    context.warn(
      `step ${step.index} (${step.stage} batch ${step.batchSize} at ${openLoop.targetRatePerSec} req/s): ` +
        `${(openLoop.lateShare * 100).toFixed(1)} % of sends were late (max ${openLoop.maxLateMs.toFixed(1)} ms); ` +
        'the driver could not keep the rate; latency still counts from the schedule',
    );
  }
  return {
    measurement,
    complete,
    endedBy,
    gpu,
    ...(context.serverMetrics && { serverMetrics }),
    openLoop,
    stability: load.stability,
    coldStartMs,
  };
}

/**
 * The step's load on this thread: one recorder, the stability watch on its windows, and
 * (measure.precision) the precision watch that decides the end. Windows are sized to hold ~20 model
 * calls; a shard's stay DEFAULT_WINDOW_MS on the grid the shards share (so their reports merge exactly), and
 * a shard runs its plan's count or duration without judging precision, as worker threads do.
 */
async function measureHere(step: Step, context: LoadContext, shard: ShardRun | null): Promise<LoadRun> {
  const { clock, emit } = context;
  await shard?.waitForStart(clock);
  const recorder = new StepRecorder(
    shard
      ? { clock, windowMs: DEFAULT_WINDOW_MS, sharedWindowOriginMs: shard.windowOriginMs(clock(), DEFAULT_WINDOW_MS) }
      : {
          clock,
          windowMs: callWindowRule(step.measure.maxDurationMs / (context.stability?.windows ?? 3)),
          judgedWindows: context.stability?.windows ?? 0,
        },
  );
  const stability = context.stability
    ? new StabilityWatch(recorder, context.stability, step.measure, clock, step.arrivals?.process === 'poisson')
    : null;
  const precision =
    shard === null && step.measure.precision !== undefined
      ? new PrecisionWatch(recorder, step.measure.precision, stability, step.measure.maxWindows ?? null)
      : null;
  const shouldStop = precision?.shouldStop ?? stability?.shouldStop;
  const driven = shard === null ? withDriverMeasure(step) : step;
  const started = clock();
  const windowEvents = windowEmitter(step, emit, context.live);
  const ticker = setInterval(() => {
    const live = recorder.live();
    emit({ kind: 'tick', step, elapsedMs: clock() - started, ...live });
    windowEvents(recorder);
  }, context.tickMs ?? 1000);
  ticker.unref();
  try {
    const outcome = await driveStep(driven, {
      target: context.target,
      texts: context.texts,
      sink: recorder,
      clock,
      seed: context.seed,
      ...(context.signal && { signal: context.signal }),
      ...(context.drainGraceMs !== undefined && { drainGraceMs: context.drainGraceMs }),
      ...(shouldStop && { shouldStop }),
      ...(shard && { scheduleShare: (planned: ArrivalSchedule) => shard.schedule(planned) }),
    });
    windowEvents(recorder);
    const measurement = finishMeasurement(recorder, outcome);
    windowEvents.last(measurement.windows);
    return {
      measurement,
      endedBy: endReason(outcome.endedBy, precision, stability),
      abandoned: outcome.abandoned,
      openLoop: outcome.openLoop,
      // An adaptive step with no least length has no plan to run past.
      stability: stability?.report(driven === step ? outcome.extendedMs : 0) ?? null,
    };
  } finally {
    clearInterval(ticker);
  }
}

/**
 * An adaptive step with no least length (no requests or duration) is planned to end at once, so
 * the precision watch decides from its first closed window on; any other step drives as planned.
 */
function withDriverMeasure(step: Step): Step {
  const { measure } = step;
  if (measure.precision === undefined || measure.requests !== undefined || measure.durationMs !== undefined) return step;
  return { ...step, measure: { ...measure, durationMs: 0 } };
}

/** Why the step ended, in the report's words: the driver's reason, or the watch that stopped it. */
function endReason(driver: EndReason, precision: PrecisionWatch | null, stability: StabilityWatch | null): MeasureEndReason {
  if (driver === 'aborted' || driver === 'maxDuration') return driver;
  if (precision?.precisionReached) return 'precision';
  if (precision?.windowCapReached) return 'maxWindows';
  return stability?.settledPastPlan ? 'stable' : driver;
}

/**
 * The hard limit (maxDuration) ended a step before it measured the items asked for: one line that
 * says how many, and how to give the step the time it needs. null when the plan's own length ended it.
 */
export function cutShortWarning(step: Step, endedBy: MeasureEndReason, measurement: StepMeasurement): string | null {
  const requested = step.measure.requests;
  const measured = measuredItems(measurement);
  if (endedBy !== 'maxDuration' || requested === undefined || measured >= requested) return null;
  const level =
    step.arrivals !== null ? ` at ${step.arrivals.ratePerSec} req/s` : step.concurrency !== null ? ` at ${step.concurrency} in flight` : '';
  return (
    `step ${step.index} (${step.stage} batch ${step.batchSize}${level}): measured ${measured} of the ${requested} items requested: ` +
    `its hard limit measure.maxDuration (${formatMs(step.measure.maxDurationMs)}) ended it first; ` +
    'raise measure.maxDuration in the workload, or give a --duration longer than it as well (the hard limit then becomes 3 x that duration, at least 30 s)'
  );
}

/** One line for the run's warnings: what was abandoned, and that it is in no other count. */
export function abandonedWarning(what: string, items: number, interrupted: boolean): string {
  const when = interrupted ? 'the run was interrupted' : 'sending stopped';
  return `${what}: ${items} item${items === 1 ? '' : 's'} still in flight after the drain that followed when ${when}: abandoned (counted as abandoned, not as completed or errors)`;
}
