/**
 * How one step's load is split over worker threads, as pure functions of the step: how many
 * workers it gets, and each worker's share. Closed loop: the in-flight count split so the parts sum
 * to it. Open loop: the planned arrival schedule dealt round-robin by arrival index, so the union of
 * the workers' schedules is exactly the planned one; counts (warm-up, measured) are split by the same
 * rule, so each worker's warm-up and measured sends are exactly its arrivals of the planned ones.
 */
import type { ArrivalSchedule } from '../../load/arrivals.js';
import type { PhaseLength, Step, WorkerCount } from '../../core/workload.js';

/** One worker's place among a step's workers. */
export interface WorkerSlot {
  readonly index: number;
  readonly of: number;
}

/** `auto`: one worker per core but one (the main thread keeps a core), at least 1. */
export function resolveWorkerCount(requested: WorkerCount, cores: number): number {
  return requested === 'auto' ? Math.max(1, cores - 1) : requested;
}

/**
 * Workers one step gets: no more than sends it keeps in flight (closed loop), its in-flight cap, or
 * (open loop without a cap) one per request per second; at least 1. `sendsInFlight`: the closed
 * loop's sends (drive-step.ts closedLoopSends).
 */
export function workersForStep(workers: number, step: Step, sendsInFlight: number): number {
  const needs = step.arrivals === null ? sendsInFlight : (step.arrivals.maxInFlight ?? Math.ceil(step.arrivals.ratePerSec));
  return Math.max(1, Math.min(workers, needs));
}

/** How many of the indices `from`..`to - 1` fall to `slot` in a round-robin deal. */
export function dealtBetween(from: number, to: number, slot: WorkerSlot): number {
  return dealtBelow(to, slot) - dealtBelow(from, slot);
}

/** `total` split so the parts sum to it; the first `total mod of` parts get one more. */
export function splitCount(total: number, slot: WorkerSlot): number {
  return dealtBelow(total, slot);
}

/**
 * The planned schedule, only this slot's arrivals (indices slot.index, +of, +2 of, ...), shifted by
 * `shiftMs` (a worker that started its schedule late keeps the planned send times).
 */
export function dealtSchedule(planned: ArrivalSchedule, slot: WorkerSlot, shiftMs = 0): ArrivalSchedule {
  let nextIndex = 0;
  return {
    next: () => {
      while (nextIndex % slot.of !== slot.index) {
        planned.next();
        nextIndex++;
      }
      nextIndex++;
      return planned.next() - shiftMs;
    },
  };
}

/**
 * The step as one worker drives it: its share of the in-flight count (closed loop) or cap (open
 * loop), and of the warm-up and measured counts, in sends (a request of b texts counts b items).
 * Durations and the hard limit stay: every worker measures the same time.
 */
export function workerStep(step: Step, sendsInFlight: number, itemsPerSend: number, slot: WorkerSlot): Step {
  const warmupSends = sendsOf(step.warmup.requests, itemsPerSend);
  const measureSends = sendsOf(step.measure.requests, itemsPerSend);
  const warmup: PhaseLength = {
    ...step.warmup,
    ...(warmupSends !== undefined && { requests: dealtBetween(0, warmupSends, slot) * itemsPerSend }),
  };
  const measure = {
    ...step.measure,
    ...(measureSends !== undefined && {
      requests: dealtBetween(warmupSends ?? 0, (warmupSends ?? 0) + measureSends, slot) * itemsPerSend,
    }),
  };
  if (step.arrivals !== null) {
    const { maxInFlight } = step.arrivals;
    const arrivals = { ...step.arrivals, maxInFlight: maxInFlight === null ? null : Math.max(1, splitCount(maxInFlight, slot)) };
    return { ...step, arrivals, warmup, measure };
  }
  // Closed loop over HTTP: concurrency counts requests (drive-step.ts closedLoopSends).
  return { ...step, concurrency: splitCount(sendsInFlight, slot), warmup, measure };
}

function sendsOf(items: number | undefined, itemsPerSend: number): number | undefined {
  return items === undefined ? undefined : Math.ceil(items / itemsPerSend);
}

function dealtBelow(limit: number, slot: WorkerSlot): number {
  return limit <= slot.index ? 0 : Math.ceil((limit - slot.index) / slot.of);
}
