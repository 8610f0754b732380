/**
 * The load of a scenario drive: one driver across the whole profile from the start offset on, a
 * ramped closed loop (in flight follows the level) or an open loop on the profile's arrival
 * schedule. Every send and result goes to the sink (the stage ledger).
 */
import type { Step } from '../core/workload.js';
import { runOpenLoop } from '../load/open-loop.js';
import { profileArrivals } from '../load/profile-arrivals.js';
import type { LoadProfile } from '../load/profile.js';
import { runRampedClosedLoop } from '../load/ramped-closed-loop.js';
import type { ResultSink } from '../load/step-phases.js';
import { batchUnitOf } from '../targets/target.js';
import { batchSender } from './drive-step.js';
import type { StepContext } from './run-step.js';

/** Open loop: the driver's hard limit past the profile's end (its schedule ends the drive first). */
const OPEN_LOOP_SLACK_MS = 5_000;

export interface ProfileDrive {
  readonly context: StepContext;
  readonly sink: ResultSink;
  /** Stops sending (the caller's abort or a stress stop). */
  readonly signal: AbortSignal;
  readonly lateThresholdMs: number;
  /** Epoch ms the profile's time ends (from the drive's start). */
  readonly endMs: number;
}

/**
 * Drives `first`'s stage and batch size through the profile; resolves when sending ended, the drain
 * is over and the profile's time has passed (the last sends may come back before it: its stages
 * end on time), or at once on abort.
 */
export async function driveProfile(first: Step, profile: LoadProfile, startOffsetMs: number, drive: ProfileDrive): Promise<void> {
  await sendLoad(first, profile, startOffsetMs, drive);
  await sleepUntil(drive.endMs, drive.context.clock, drive.signal);
}

async function sendLoad(first: Step, profile: LoadProfile, startOffsetMs: number, drive: ProfileDrive): Promise<void> {
  const { context, sink, signal } = drive;
  const batches = batchSender(first, context.target);
  const staticBatch = batches === null ? undefined : { target: batches, batchSize: first.batchSize };
  const common = {
    target: context.target,
    stage: first.stage,
    texts: context.texts,
    sink,
    clock: context.clock,
    signal,
    ...(context.drainGraceMs !== undefined && { drainGraceMs: context.drainGraceMs }),
    ...(staticBatch && { staticBatch }),
  };
  if (first.arrivals === null) {
    const perSend = staticBatch && batchUnitOf(context.target) === 'model-call' ? first.batchSize : 1;
    await runRampedClosedLoop({ ...common, profile, startOffsetMs, sendsForLevel: (level) => Math.floor(level / perSend) });
    return;
  }
  const remainingMs = Math.max(0, profile.totalMs - startOffsetMs);
  const { process, ratePerSec, maxInFlight } = first.arrivals;
  await runOpenLoop({
    ...common,
    warmup: {},
    measure: { durationMs: remainingMs, maxDurationMs: remainingMs + OPEN_LOOP_SLACK_MS },
    schedule: profileArrivals(profile, process, { startOffsetMs, seed: context.seed + first.index }),
    ratePerSec,
    maxInFlight,
    lateThresholdMs: drive.lateThresholdMs,
  });
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
