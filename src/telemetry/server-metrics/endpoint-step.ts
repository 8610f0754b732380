/**
 * One endpoint's figures for one step (ServerEndpointStep), set against what the client measured
 * in the same step. Pure.
 */
import type { ServerEndpointStep } from '../../core/report/server-metrics.js';
import { detectSource, SERVER_MAPPINGS } from './known-servers.js';
import { dialectMetrics, remoteGpuSummaries } from './remote-gpu.js';
import type { ScrapeRow, SeriesInfo } from './scrape-store.js';
import { StepView } from './step-view.js';
import type { Window } from './step-window.js';

/** What the client measured in the step, in the server's units (requests, not items, for batch requests). */
export interface ClientStepFacts {
  /** Requests the client completed or failed in the step (a request of b texts counts once). */
  readonly requests: number;
  /** Items completed: energy per item. */
  readonly items: number;
  /** Mean client inference time per request (write to response), ms; null when not measured. */
  readonly inferenceMsMean: number | null;
}

/**
 * The server counted more than this many times the client's requests: someone else loads it.
 * 1.5x, because interpolating the counters to the step's boundaries misplaces at most a scrape
 * interval's worth of requests at each end, far less than half a step of several seconds.
 */
export const SHARED_FACTOR = 1.5;
/** And more than this many requests beyond them: a handful of requests is boundary noise in a short step. */
export const SHARED_SLACK_REQUESTS = 5;
/** Server time (queue + compute) above this many times the client's inference time cannot be this run's alone. */
export const SLOWER_THAN_CLIENT_FACTOR = 1.5;
/** Plus this much, so sub-millisecond steps do not trip it on rounding. */
export const SLOWER_THAN_CLIENT_SLACK_MS = 2;

export interface EndpointStepResult {
  readonly step: ServerEndpointStep;
  readonly warnings: readonly string[];
}

export function endpointStep(
  url: string,
  rows: readonly ScrapeRow[],
  series: readonly SeriesInfo[],
  window: Window,
  client: ClientStepFacts,
  what: string,
): EndpointStepResult {
  const source = detectSource(series.map((info) => info.name));
  const view = new StepView(rows, series, window);
  const mapped = SERVER_MAPPINGS[source](view);
  const gpus = mapped.gpu === null ? [] : remoteGpuSummaries(rows, series, mapped.gpu, window, client.items);
  if (mapped.gpu !== null) view.markUsed(dialectMetrics(mapped.gpu));
  const scrapes = rows.filter((row) => row.tMs >= window.fromMs && row.tMs <= window.toMs).length;
  const warnings: string[] = [];
  const shared = mapped.requests !== null && mapped.requests > client.requests * SHARED_FACTOR + SHARED_SLACK_REQUESTS;
  if (shared) {
    warnings.push(
      `${what}: server metrics ${url} counted ${Math.round(mapped.requests!)} requests while this run completed ${client.requests}: ` +
        'another client loads this server (or a load balancer spreads this run), so its figures for the step are marked shared',
    );
  }
  const serverMs = (mapped.queueMs?.mean ?? 0) + (mapped.computeMs?.mean ?? 0);
  const hasServerTime = mapped.queueMs?.mean != null || mapped.computeMs?.mean != null;
  if (
    !shared &&
    hasServerTime &&
    client.inferenceMsMean !== null &&
    serverMs > client.inferenceMsMean * SLOWER_THAN_CLIENT_FACTOR + SLOWER_THAN_CLIENT_SLACK_MS
  ) {
    warnings.push(
      `${what}: server metrics ${url} say a request spent ${serverMs.toFixed(1)} ms in the server, more than the client's ${client.inferenceMsMean.toFixed(1)} ms ` +
        'inference on the wire: other traffic is in its figures, or it measures something else',
    );
  }
  return {
    step: { url, source, scrapes, ...withoutGpu(mapped), gpus, shared, raw: view.raw() },
    warnings,
  };
}

function withoutGpu<T extends { gpu: unknown }>(mapped: T): Omit<T, 'gpu'> {
  const { gpu: _gpu, ...rest } = mapped;
  return rest;
}
