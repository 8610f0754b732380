/**
 * The one seam between the load driver and whatever answers requests (in-process TF.js models
 * behind a batcher, or an HTTP service). The driver, recorder and reports never know which.
 */
export type Stage = 'classify' | 'generate' | 'pipeline';
export const STAGES = ['classify', 'generate', 'pipeline'] as const satisfies readonly Stage[];

/**
 * Outcome of one item (one prompt). Durations in ms; stamps on the shared epoch clock (metrics/clock).
 * For HTTP targets: queue = t_write - t_arrival (waiting for a connection, or a late open-loop
 * send), inference = t_response - t_write (the request on the wire and in the server).
 */
export interface ItemResult {
  readonly ok: boolean;
  /** Set when !ok: a short stable class such as "model_error", "worker_exit", "timeout". */
  readonly errorClass?: string;
  readonly tArrivalMs: number;
  readonly tResponseMs: number;
  /** t_dispatch - t_enqueue, summed over stages for the pipeline. */
  readonly queueMs: number;
  /** t_done - t_dispatch (the batch's time, shared by its items), summed over stages for the pipeline. */
  readonly inferenceMs: number;
  /** Size of the model call this item ran in (for the pipeline: the generate call). */
  readonly batchSize: number;
  /** Generation only: first token on the host - t_dispatch. */
  readonly ttftMs?: number;
  /** Generation only: mean time between successive tokens. */
  readonly itlMs?: number;
  readonly outputTokens?: number;
  /** HTTP only: characters of generated text received for this item, when the protocol can tell. */
  readonly outputChars?: number;
  /**
   * HTTP only: the processing time the server itself reported (e.g. BetterPrompts'
   * `processing_time_ms`), so e2e - queue - server = network + serialisation overhead.
   */
  readonly serverMs?: number;
  /**
   * HTTP only, absent when 0: how many times this item's request was sent again (the workload's
   * retries, and the one resend after a keep-alive connection closed under it). A batch request
   * counts once, on its first item.
   */
  readonly retries?: number;
}

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

/** Which health route answered an HTTP target's preflight, as report.json and the progress line show it. */
export interface HealthAnswer {
  /** The route as shown: a path on the target, or the full URL when it is on another origin. */
  readonly route: string;
  /** Routes tried before it that are not there, e.g. "/api/v1/health: HTTP 404". */
  readonly passedOver: readonly string[];
}

/** "GET /health/ answered (not there: /api/v1/health: HTTP 404, /health: HTTP 307)". */
export function describeHealth(health: HealthAnswer): string {
  const passed = health.passedOver.length === 0 ? '' : ` (not there: ${health.passedOver.join(', ')})`;
  return `GET ${health.route} answered${passed}`;
}

export interface Target {
  readonly info: TargetInfo;
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
