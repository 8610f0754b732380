/**
 * report.json per step: `serverMetrics`, what the server's own Prometheus metrics (and a DCGM
 * exporter's, for a GPU pipebench cannot see through nvidia-smi) said about the step's window.
 * Figures are per step: counters as deltas over the step, histograms as the step's own bucket
 * deltas, gauges as mean and max over the step's scrapes.
 */
import type { GpuWindowSummary } from './telemetry.js';

/** Which server the scraped metric names belong to; `generic` when none is recognised. */
export type ServerMetricsSource = 'triton' | 'torchserve' | 'vllm' | 'tgi' | 'pipebench' | 'dcgm' | 'generic';

/**
 * A per-request (or per-execution) quantity over the step. From a histogram: mean from _sum/_count,
 * percentiles estimated as Prometheus' histogram_quantile does (linear within a bucket). From
 * cumulative counters only (Triton's *_duration_us): the mean, percentiles null.
 */
export interface ServerDistribution {
  /** Observations in the step (requests, executions). */
  readonly count: number;
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** One scraped endpoint's figures for one step. */
export interface ServerEndpointStep {
  /** The metrics URL as scraped, credentials masked. */
  readonly url: string;
  readonly source: ServerMetricsSource;
  /** Scrapes that fell inside the step (the boundaries are interpolated from the ones around it). */
  readonly scrapes: number;
  /** Requests the server completed in the step (its own count); null when it exposes none. */
  readonly requests: number | null;
  /** Items per model execution, as the server's batcher formed them. */
  readonly batchSize: ServerDistribution | null;
  /** The batcher's configured maximum when the server exposes it. */
  readonly maxBatchSize: number | null;
  /** Time a request waited in the server before its execution, ms. */
  readonly queueMs: ServerDistribution | null;
  /** Time the server computed for a request (input + infer + output where split), ms. */
  readonly computeMs: ServerDistribution | null;
  /** Generation servers (vLLM, TGI): time to first token and between tokens, ms. */
  readonly ttftMs: ServerDistribution | null;
  readonly itlMs: ServerDistribution | null;
  /** A remote GPU (DCGM exporter, Triton's GPU gauges): the same aggregates as local nvidia-smi telemetry. */
  readonly gpus: readonly GpuWindowSummary[];
  /**
   * True when the server counted far more requests than this run completed in the step: someone else
   * loads it (or a load balancer spreads ours), so its figures describe more than this run.
   */
  readonly shared: boolean;
  /** Every other scraped series (name{labels}): its delta over the step (counters) or mean (gauges). */
  readonly raw: Readonly<Record<string, number>>;
}

export interface ServerStepMetrics {
  readonly endpoints: readonly ServerEndpointStep[];
}
