/**
 * An HTTP item's result from the attempt that ended it. Timing: t_write is the first attempt's
 * (so queueMs = t_write - t_arrival and inferenceMs = t_response - t_write include every retry and
 * wait), or the outcome's own end when no attempt was written; TTFT counts from the write of the
 * attempt that answered. Pure.
 */
import type { ItemResult } from '../../core/item-result.js';
import type { SendOutcome } from './send.js';

export function httpItemResult(
  outcome: SendOutcome,
  firstWriteMs: number | null,
  retries: number,
  tArrivalMs: number,
  batchSize: number,
): ItemResult {
  const tResponseMs = outcome.tResponseMs;
  const tWriteMs = firstWriteMs ?? tResponseMs;
  const queueMs = tWriteMs - tArrivalMs;
  const inferenceMs = tResponseMs - tWriteMs;
  if (!outcome.ok) {
    const failed = { ok: false, errorClass: outcome.errorClass, tArrivalMs, tResponseMs, queueMs, inferenceMs, batchSize } as const;
    return retries === 0 ? failed : { ...failed, retries };
  }
  const { decoded } = outcome;
  const result: { -readonly [K in keyof ItemResult]: ItemResult[K] } = {
    ok: true,
    tArrivalMs,
    tResponseMs,
    queueMs,
    inferenceMs,
    batchSize,
  };
  if (retries > 0) result.retries = retries;
  if (decoded.serverMs !== null) result.serverMs = decoded.serverMs;
  if (decoded.firstTokenAtMs !== undefined) result.ttftMs = decoded.firstTokenAtMs - outcome.tWriteMs;
  if (decoded.itlMs !== undefined) result.itlMs = decoded.itlMs;
  if (decoded.outputTokens !== undefined) result.outputTokens = decoded.outputTokens;
  if (decoded.outputChars !== undefined) result.outputChars = decoded.outputChars;
  return result;
}
