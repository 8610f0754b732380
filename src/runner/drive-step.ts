/**
 * Drives one step's load through the right driver: closed loop (a fixed number in flight) or open
 * loop (a schedule of sends, fresh per step). Also decides how items travel: one by one, or as
 * whole batches (in-process static mode; HTTP requests carrying batchSize texts).
 */
import { createArrivals, type ArrivalSchedule } from '../load/arrivals.js';
import { runClosedLoop, type ResultSink, type TextFeed } from '../load/closed-loop.js';
import { runOpenLoop } from '../load/open-loop.js';
import { openLoopReport, type SendStats } from '../load/send-stats.js';
import type { Clock } from '../core/clock.js';
import type { OpenLoopReport } from '../core/report/step.js';
import { countsWireInFlight, preparesLoad } from '../targets/capabilities.js';
import type { InFlightFigures, StepMeasurement } from '../core/measurement.js';
import type { StepRecorder } from '../metrics/recorder.js';
import { batchUnitOf, supportsStaticBatches, type StaticBatchTarget, type Target } from '../targets/target.js';
import type { Step } from '../core/workload.js';

export interface DriveOptions {
  readonly target: Target;
  readonly texts: TextFeed;
  readonly sink: ResultSink;
  readonly clock: Clock;
  /** The workload's seed; each open-loop step's schedule uses seed + step index. */
  readonly seed: number;
  readonly signal?: AbortSignal;
  readonly drainGraceMs?: number;
  /** See StepPhasesOptions.shouldStop (stability: measure past the plan until the windows settle). */
  readonly shouldStop?: (overrunMs: number) => boolean;
  /** Open loop: this driver's part of the step's planned schedule (a load worker thread's arrivals); absent: all of it. */
  readonly scheduleShare?: (planned: ArrivalSchedule) => ArrivalSchedule;
}

export interface DriveOutcome {
  readonly endedBy: 'requests' | 'duration' | 'maxDuration' | 'aborted';
  /** Items still in flight when the drain ran out (a static batch's items count one by one). */
  readonly abandoned: number;
  /** How long measurement ran past its planned length (shouldStop asked for more). */
  readonly extendedMs: number;
  /** Open-loop steps only. */
  readonly openLoop: OpenLoopReport | null;
  /** Open-loop steps only: the sends as counted, for merging several drivers' counts. */
  readonly sends: SendStats | null;
  /** The load held while measured sends went out; null when sending never stopped on its own. */
  readonly inFlight: InFlightFigures | null;
}

export async function driveStep(step: Step, options: DriveOptions): Promise<DriveOutcome> {
  const { target, texts, sink, clock, signal, drainGraceMs, shouldStop } = options;
  const batches = batchSender(step, target);
  const itemsPerSend = batches === null ? 1 : step.batchSize;
  const common = {
    target,
    stage: step.stage,
    texts,
    warmup: step.warmup,
    measure: step.measure,
    sink,
    clock,
    ...(signal !== undefined && { signal }),
    ...(drainGraceMs !== undefined && { drainGraceMs }),
    ...(shouldStop !== undefined && { shouldStop }),
    ...(batches !== null && { staticBatch: { target: batches, batchSize: step.batchSize } }),
    ...(countsWireInFlight(target) && { inFlightGauge: target.wireInFlight }),
  };
  // What can be readied without a request is, before the driver reads its clock for the step's start.
  const sends = step.arrivals === null ? closedLoopSends(step, target) : 1;
  if (preparesLoad(target)) await target.prepareLoad(step.stage, sends);
  if (step.arrivals === null) {
    const outcome = await runClosedLoop({ ...common, concurrency: sends });
    return {
      endedBy: outcome.endedBy,
      abandoned: outcome.abandoned * itemsPerSend,
      extendedMs: outcome.extendedMs,
      openLoop: null,
      sends: null,
      inFlight: outcome.inFlight,
    };
  }
  const { process, ratePerSec, maxInFlight } = step.arrivals;
  const planned = createArrivals(process, ratePerSec, options.seed + step.index);
  const outcome = await runOpenLoop({
    ...common,
    schedule: options.scheduleShare?.(planned) ?? planned,
    ratePerSec,
    maxInFlight,
  });
  return {
    endedBy: outcome.endedBy,
    abandoned: outcome.abandoned * itemsPerSend,
    extendedMs: outcome.extendedMs,
    openLoop: openLoopReport(step.arrivals, outcome.sends),
    sends: outcome.sends,
    inFlight: outcome.inFlight,
  };
}

/**
 * Whole batches per send: in process only in static mode (dynamic items meet in the batcher);
 * over HTTP whenever a request carries more than one text (client-side batching).
 */
/** The step's measurement once its driver is done: what the recorder holds, the items left in flight, the load held. */
export function finishMeasurement(recorder: StepRecorder, outcome: DriveOutcome): StepMeasurement {
  if (outcome.abandoned > 0) recorder.abandon(outcome.abandoned);
  const recorded = recorder.finish();
  return outcome.inFlight === null ? recorded : { ...recorded, inFlight: outcome.inFlight };
}

export function batchSender(step: Step, target: Target): StaticBatchTarget | null {
  const wanted = step.mode === 'static' || (batchUnitOf(target) === 'request' && step.batchSize > 1);
  return wanted && supportsStaticBatches(target) ? target : null;
}

/**
 * Sends in flight for a closed-loop step. In process, Step.concurrency counts items, so static
 * mode keeps whole batches in flight; over HTTP it counts requests.
 */
export function closedLoopSends(step: Step, target: Target): number {
  const level = step.concurrency ?? 1;
  if (batchUnitOf(target) === 'request' || step.mode !== 'static') return level;
  return Math.max(1, Math.floor(level / step.batchSize));
}
