/**
 * For dynamic batching: how much of an item's end-to-end latency it spent waiting in the batcher's
 * queue. A high share says the batch size or max queue delay, not the model, sets the latency.
 */
import type { LatencySummary } from '../core/measurement.js';
import type { QueueShare } from '../core/report/verdicts.js';

/** A measured step as the queue share sees it; a StepMeasurement fits. */
export interface QueueShareSubject {
  readonly latencyMs: { readonly e2e?: Pick<LatencySummary, 'mean' | 'p50'>; readonly queue?: Pick<LatencySummary, 'mean' | 'p50'> };
}

/** Null when the step recorded no queue or no e2e phase, or its e2e mean or p50 is 0. */
export function queueShare(step: QueueShareSubject): QueueShare | null {
  const { e2e, queue } = step.latencyMs;
  if (e2e === undefined || queue === undefined || !(e2e.mean > 0) || !(e2e.p50 > 0)) return null;
  return { ofMean: queue.mean / e2e.mean, ofP50: queue.p50 / e2e.p50 };
}
