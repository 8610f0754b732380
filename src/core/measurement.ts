/** What the recorder measured in one step: plain data, durations in ms, histograms in microseconds. */

/**
 * server: what an HTTP server reported as its own processing time; overhead = inference - server
 * (network, serialisation and the server's framework around the model). Both HTTP only.
 */
export const LATENCY_PHASES = ['e2e', 'queue', 'inference', 'ttft', 'itl', 'server', 'overhead'] as const;
export type LatencyPhase = (typeof LATENCY_PHASES)[number];

export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly min: number;
}

/** One measurement window (default 1 s): enough to judge stability and plot over time. */
export interface WindowStat {
  readonly startMs: number;
  readonly endMs: number;
  readonly completed: number;
  readonly errors: number;
  readonly e2eP95Ms: number | null;
  /** Always recorded now; absent in reports written before they were. */
  readonly e2eP50Ms?: number | null;
  readonly e2eP99Ms?: number | null;
  /**
   * The window's e2e HDR histogram (microseconds, compressed base64). In report.json only where the
   * window is a merge of concurrent parts (--workers), so it can be merged again exactly; the
   * closed windows a running step judges its stability on always carry it.
   */
  readonly e2eHistogram?: string;
  /**
   * Sum of the answered items' e2e latency (ms): sums add exactly across windows and runs where
   * percentiles cannot (mean = e2eSumMs / completed; the live summary's _sum). Always recorded
   * now; absent in reports written before it was.
   */
  readonly e2eSumMs?: number;
  /**
   * Independent model calls behind the answered items (each item counts 1 / its call's batch
   * size): the sample count a window's p95 and rate rest on. Always recorded now; absent in
   * reports written before it was.
   */
  readonly calls?: number;
  /** Failed items by class; only in windows that had failures. */
  readonly errorsByClass?: Readonly<Record<string, number>>;
}

/**
 * Characters of generated text the measured ok items received (HTTP protocols that can tell:
 * betterprompts generate and pipeline, openai). Lengths are per item; a request of several texts
 * gives each of them the request's mean.
 */
export interface OutputTextSummary {
  readonly items: number;
  readonly meanChars: number;
  readonly p50Chars: number;
  readonly p95Chars: number;
  readonly minChars: number;
  readonly maxChars: number;
  /** HDR histogram of the per-item lengths (characters), compressed base64: repeats merge exactly. */
  readonly histogram: string;
}

/**
 * How many sends were in flight while a step sent its measured load (from the moment measurement
 * began, warm-up sends still out counting, to the moment sending stopped): the integral of the
 * count over time, and the span's length. Mean in flight = areaMs / spanMs; repeats add both.
 * Counted in the unit of the step's concurrency: over HTTP requests on the wire (written to a
 * connection, not yet answered: a request waiting for a connection or for the client's event loop
 * is not in flight), in process items submitted and not yet answered.
 */
export interface InFlightFigures {
  readonly areaMs: number;
  readonly spanMs: number;
}

export interface StepMeasurement {
  readonly startedAtMs: number; // epoch ms, first measured arrival
  readonly endedAtMs: number; // epoch ms, last measured response
  readonly measuredMs: number;
  readonly completed: number; // ok items
  readonly errors: { readonly total: number; readonly rate: number; readonly byClass: Readonly<Record<string, number>> };
  /**
   * Requests sent again (HTTP: the workload's retries and keep-alive resends); not errors. Always
   * recorded now; absent in reports written before it was.
   */
  readonly retries?: number;
  /**
   * Items sent that never came back before the step ended (the drain after an interruption or the
   * hard limit ran out): neither completed nor errors. Always recorded now; absent before.
   */
  readonly abandoned?: number;
  readonly throughput: { readonly itemsPerSec: number; readonly outputTokensPerSec: number | null };
  /** Mean size of the model calls the measured items ran in. */
  readonly meanBatchSize: number;
  /** Only phases that saw samples (ttft/itl only for generation, server/overhead only for HTTP). */
  readonly latencyMs: Readonly<Partial<Record<LatencyPhase, LatencySummary>>>;
  /** HDR histograms (integer microseconds), compressed base64: merge and re-analyse later. */
  readonly histograms: Readonly<Partial<Record<LatencyPhase, string>>>;
  readonly windows: readonly WindowStat[];
  /** Present only when items reported the length of the text they received (see OutputTextSummary). */
  readonly outputText?: OutputTextSummary;
  /** The load the step held (see InFlightFigures). Absent in reports written before it was kept. */
  readonly inFlight?: InFlightFigures;
}

/** Mean sends in flight while the step sent its measured load; null when not known or the span is empty. */
export function meanInFlight(measurement: Pick<StepMeasurement, 'inFlight'>): number | null {
  const figures = measurement.inFlight;
  return figures === undefined || !(figures.spanMs > 0) ? null : figures.areaMs / figures.spanMs;
}

/** Items a measurement recorded, answered or failed: what a step's `measured` counts. */
export function measuredItems(measurement: Pick<StepMeasurement, 'completed' | 'errors'>): number {
  return measurement.completed + measurement.errors.total;
}
