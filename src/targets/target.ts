/**
 * The one seam between the load driver and whatever answers requests (in-process TF.js models
 * behind a batcher, or an HTTP service). The driver, recorder and reports never know which.
 */
import type { ItemResult } from '../core/item-result.js';
import type { Stage } from '../core/stage.js';
import type { HealthAnswer } from '../core/report/environment.js';

/** How the target groups items into model calls for one step. */
export interface BatchingConfig {
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
  /**
   * Generation length for generate and pipeline steps. null (HTTP targets only): the user set none,
   * so requests carry no length and the server's own default applies.
   */
  readonly maxNewTokens: number | null;
}

export interface TargetInfo {
  readonly kind: 'inprocess' | 'http';
  readonly description: string;
  /** HTTP only: the base URL (never with credentials) and the protocol spoken. */
  readonly url?: string;
  readonly protocol?: string;
  /** HTTP only: the health route that answered the preflight (null: the check was skipped). */
  readonly health?: HealthAnswer | null;
}

/**
 * What one batch of b is for a target. 'request': one request carries b texts (client-side
 * batching whenever b > 1; closed-loop concurrency counts requests; the protocol's per-request
 * limit is known when a step is configured). 'model-call': b items run as one model call (only
 * static mode sends whole batches; closed-loop concurrency counts items).
 */
export type BatchUnit = 'request' | 'model-call';

export interface Target {
  readonly info: TargetInfo;
  /** Absent: 'model-call'. */
  readonly batchUnit?: BatchUnit;
  /** Apply the batching settings for the next step (called between steps, with nothing in flight). */
  configure(stage: Stage, config: BatchingConfig): Promise<void>;
  /** Send one item; resolves when its response is back. Never rejects for a model fault: returns ok=false. */
  submit(stage: Stage, text: string, tArrivalMs: number): Promise<ItemResult>;
  close(): Promise<void>;
}

/** Optional capability: run exactly `texts.length` items as one model call (static batching). */
export interface StaticBatchTarget extends Target {
  submitBatch(stage: Stage, texts: readonly string[], tArrivalMs: number): Promise<ItemResult[]>;
}

export function supportsStaticBatches(target: Target): target is StaticBatchTarget {
  return typeof (target as Partial<StaticBatchTarget>).submitBatch === 'function';
}

export function batchUnitOf(target: Target): BatchUnit {
  return target.batchUnit ?? 'model-call';
}
