/**
 * How a driver's sends come back: built once per step, so no closure is made per request. Warm-up
 * results are dropped; measured ones go to the sink; a send that rejects counts as failed items.
 */
import type { Clock } from '../core/clock.js';
import type { ItemResult } from '../core/item-result.js';
import { TARGET_ERROR, type ResultSink } from './step-phases.js';

/** The four ways a send comes back, each built once per step: no closure per request. */
export interface SendContinuations {
  readonly warmupDone: () => void;
  readonly measuredItem: (result: ItemResult) => void;
  readonly measuredBatch: (results: ItemResult[]) => void;
  readonly measuredFailed: () => void;
}

/** Warm-up results are dropped; measured ones go to the sink; `returned` runs after each. */
export function sendContinuations(sink: ResultSink, clock: Clock, itemsPerSend: number, returned: () => void): SendContinuations {
  return {
    warmupDone: returned,
    measuredItem: (result) => {
      sink.record(result);
      returned();
    },
    measuredBatch: (results) => {
      for (const result of results) sink.record(result);
      returned();
    },
    measuredFailed: () => {
      const now = clock();
      const failed: ItemResult = {
        ok: false,
        errorClass: TARGET_ERROR,
        tArrivalMs: now,
        tResponseMs: now,
        queueMs: 0,
        inferenceMs: 0,
        batchSize: itemsPerSend,
      };
      for (let i = 0; i < itemsPerSend; i++) sink.record(failed);
      returned();
    },
  };
}
