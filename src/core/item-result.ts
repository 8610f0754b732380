/**
 * Outcome of one item (one prompt). Durations in ms; stamps on the shared epoch clock (core/clock).
 * For HTTP targets: queue = t_write - t_arrival (waiting for a connection, or a late open-loop
 * send), inference = t_response - t_write (the request on the wire and in the server).
 */
/** The class of a failure that did not say what it was. */
export const UNKNOWN_ERROR_CLASS = 'unknown';

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
