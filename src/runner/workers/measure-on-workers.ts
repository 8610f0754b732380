/**
 * One step's load split over `count` load worker threads: each gets its share (split-load.ts), all
 * start at one instant on one window grid; their windows are merged live (progress ticks, window
 * events, the stability watch) and their measurements merged exactly at the end, by the one merge
 * of concurrent measurements (metrics/measurement-merge.ts). Stability is judged here: once every
 * worker has reached its planned length, the watch decides when all of them stop. An abort reaches
 * every worker; each drains and reports what it measured.
 */
import { epochNowMs } from '../../core/clock.js';
import type { Step } from '../../core/workload.js';
import { InternalError, PipebenchError, type ExitCode } from '../../errors.js';
import { mergeSendStats } from '../../load/merge-send-stats.js';
import { openLoopReport, type SendStats } from '../../load/send-stats.js';
import { mergedEndReason } from '../../load/step-phases.js';
import { mergeConcurrentMeasurements } from '../../metrics/measurement-merge.js';
import { batchSender, closedLoopSends } from '../drive-step.js';
import type { LoadContext, LoadRun } from '../load-run.js';
import { StabilityWatch } from '../stability-watch.js';
import { windowEmitter } from '../window-events.js';
import type { LoadWorkerPool } from './load-worker-pool.js';
import type { FromWorker } from './messages.js';
import { MergedLiveStep } from './merged-live.js';
import { workerStep } from './split-load.js';

type Measured = Extract<FromWorker, { kind: 'measured' }>;

/** Time for the step message to reach every worker before they all start. */
const START_LEAD_MS = 50;
/** How often a worker posts its closed windows and counts (at most; the run's tick may be shorter). */
const UPDATE_MS = 250;

export async function measureOnWorkers(step: Step, context: LoadContext, pool: LoadWorkerPool, count: number): Promise<LoadRun> {
  // Worker threads stamp with the real clock: the start and the stop decisions use it too.
  const clock = epochNowMs;
  const { emit, target } = context;
  const sendsInFlight = closedLoopSends(step, target);
  const itemsPerSend = batchSender(step, target) === null ? 1 : step.batchSize;
  const live = new MergedLiveStep(count);
  const watch = context.stability
    ? new StabilityWatch(live, context.stability, step.measure, clock, step.arrivals?.process === 'poisson')
    : null;
  const windowEvents = windowEmitter(step, emit, context.live);
  const measured: (Measured | null)[] = Array.from({ length: count }, () => null);
  const plannedAtMs: (number | null)[] = Array.from({ length: count }, () => null);
  let stopSent = false;
  const tickMs = context.tickMs ?? 1000;
  const startAtMs = clock() + START_LEAD_MS;

  const postAll = (message: { readonly kind: 'stop' } | { readonly kind: 'abort' }): void => {
    for (let i = 0; i < count; i++) pool.post(i, message);
  };
  /** Once every worker is past its plan, the watch (on merged windows) says when all stop. */
  const judge = (): void => {
    if (watch === null || stopSent || plannedAtMs.some((at) => at === null)) return;
    const lastPlannedMs = Math.max(...(plannedAtMs as number[]));
    if (watch.shouldStop(Math.max(0, clock() - lastPlannedMs))) {
      stopSent = true;
      postAll({ kind: 'stop' });
    }
  };
  const onAbort = (): void => postAll({ kind: 'abort' });

  const done = new Promise<void>((resolve, reject) => {
    let left = count;
    for (let i = 0; i < count; i++) {
      pool.listen(i, (message) => {
        switch (message.kind) {
          case 'update':
            live.add(i, message);
            return judge();
          case 'planned':
            plannedAtMs[i] = message.atMs;
            return judge();
          case 'measured':
            measured[i] = message;
            if (--left === 0) resolve();
            return;
          case 'failed':
            // The others stop and drain; the run keeps the steps measured before this one.
            postAll({ kind: 'abort' });
            return reject(failure(message.message, message.exitCode));
          default:
            return;
        }
      });
    }
  });
  const started = clock();
  // Ref'd on purpose: while the workers measure, this keeps the process (and the merge) alive.
  const ticker = setInterval(() => {
    emit({ kind: 'tick', step, elapsedMs: clock() - started, ...live.live() });
    windowEvents(live);
    judge();
  }, tickMs);
  context.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let i = 0; i < count; i++) {
      const slot = { index: i, of: count };
      pool.post(i, {
        kind: 'step',
        step: workerStep(step, sendsInFlight, itemsPerSend, slot),
        slot,
        seed: context.seed,
        startAtMs,
        windowOriginMs: startAtMs,
        judged: watch !== null,
        updateMs: Math.min(UPDATE_MS, tickMs),
        ...(context.drainGraceMs !== undefined && { drainGraceMs: context.drainGraceMs }),
      });
    }
    if (context.signal?.aborted) onAbort();
    await done;
  } finally {
    clearInterval(ticker);
    context.signal?.removeEventListener('abort', onAbort);
    for (let i = 0; i < count; i++) pool.listen(i, null);
  }
  windowEvents(live);
  const parts = measured as Measured[];
  const measurement = mergeConcurrentMeasurements(parts.map((part) => part.measurement));
  windowEvents.last(measurement.windows);
  const extendedMs = Math.max(...parts.map((part) => part.extendedMs));
  const sends = parts.map((part) => part.sends).filter((s): s is SendStats => s !== null);
  return {
    measurement,
    endedBy: mergedEndReason(parts.map((part) => part.endedBy)),
    abandoned: parts.reduce((sum, part) => sum + part.abandoned, 0),
    openLoop: step.arrivals !== null && sends.length > 0 ? openLoopReport(step.arrivals, mergeSendStats(sends)) : null,
    stability: watch?.report(extendedMs) ?? null,
  };
}

function failure(message: string, exitCode: number): PipebenchError {
  return exitCode === 3 ? new InternalError(message) : new PipebenchError(message, exitCode as ExitCode);
}
