/**
 * report.json's telemetry records: GPU per step and per run (inventory, timeline), the host's
 * metrics and the harness's own cost. Plain readonly data; units in the names.
 */

export interface FieldSelection {
  /** The `--query-gpu` names to ask for, in order. */
  readonly fields: readonly string[];
  /** Wanted fields this driver does not know; not asked for. */
  readonly dropped: readonly string[];
  /** Wanted fields asked for under the name this driver knows. */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
}

export type TelemetryStatus = 'ok' | 'partial' | 'absent';

export type SamplerSource = 'nvidia-smi' | 'replay';

export interface LineCounts {
  readonly total: number;
  readonly samples: number;
  readonly garbage: number;
  readonly deviceErrors: number;
}

/** Aggregates over one window for one GPU: the per-step numbers and `gpu summarize`'s. */
export interface GpuWindowSummary {
  readonly gpuIndex: number;
  readonly name: string | null;
  readonly samples: number;
  readonly utilPct: { readonly mean: number; readonly p95: number; readonly max: number } | null;
  readonly memUtilPct: { readonly mean: number; readonly max: number } | null;
  readonly memUsedPeakBytes: number | null;
  readonly memTotalBytes: number | null;
  readonly powerW: { readonly mean: number; readonly max: number } | null;
  readonly powerLimitW: number | null;
  /** Power integrated over the window (piecewise linear between samples, no bridging of gaps). */
  readonly energyJ: number | null;
  readonly energyPerItemJ: number | null;
  readonly smClockMHz: { readonly mean: number; readonly min: number; readonly max: number } | null;
  readonly tempMaxC: number | null;
  /** Throttle reasons active in any sample (names, gpu_idle included). */
  readonly throttleReasons: readonly string[];
  /** Share of samples with a reason other than gpu_idle active: clocks held down under load. */
  readonly throttledShare: number | null;
  /** Share of the window with a kernel running (mean utilization.gpu / 100). */
  readonly busyShare: number | null;
  /** The step's mean queue time from the batcher, when given: set against busyShare. */
  readonly queueMsMean: number | null;
}

export interface GpuInventoryGpu {
  readonly index: number;
  readonly name: string | null;
  readonly uuid: string | null;
  readonly pciBusId: string | null;
  readonly memTotalBytes: number | null;
  readonly powerLimitW: number | null;
  readonly persistence: boolean | null;
  readonly migMode: string | null;
  readonly eccMode: string | null;
}

export interface GpuInventory {
  readonly driverVersion: string | null;
  readonly cudaVersion: string | null;
  readonly gpus: readonly GpuInventoryGpu[];
}

export interface ComputeApp {
  readonly pid: number;
  readonly processName: string;
  readonly usedMemBytes: number | null;
  /** The process is this run's (the harness or one of its model processes). */
  readonly own: boolean;
}

export type ComputeAppsResult =
  | {
      readonly kind: 'ok';
      readonly atMs: number;
      readonly apps: readonly ComputeApp[];
      /**
       * GPU memory of this run's processes; null when none of them is listed (nvidia-smi in a
       * container without the host's pid namespace lists no processes at all).
       */
      readonly ownMemBytes: number | null;
    }
  | { readonly kind: 'unavailable'; readonly atMs: number; readonly reason: string };

export interface EventLoopDelaySummary {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The harness's own cost during a run (report.json `harnessHealth`). */
export interface HarnessHealthReport {
  readonly wallMs: number;
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  /** (user + system) / wall: 1.0 = one core busy. */
  readonly cpuShare: number;
  readonly eventLoopDelay: EventLoopDelaySummary | null;
  /** Sampler cost: parsing on our thread, and the nvidia-smi process itself. */
  readonly gpuSampling: {
    readonly samples: number;
    readonly parseMs: number;
    readonly parseUsPerSample: number | null;
    readonly samplerCpuMs: number | null;
    /** samplerCpuMs / wall: nvidia-smi's share of one core. */
    readonly samplerCpuShare: number | null;
  } | null;
  /** The server-metrics scrapers' cost; null (or absent, in older reports) when nothing was scraped. */
  readonly serverScraping?: {
    readonly endpoints: number;
    /** Scrapes parsed, and scrapes that failed (status, HTML, too large, timeout, unreachable). */
    readonly scrapes: number;
    readonly failures: number;
    readonly bytes: number;
    /** Parsing and storing the pages (wall ms), in the scraping worker thread, off the load's thread. */
    readonly parseMs: number;
    /** The scraping worker thread's own CPU (fetch, parse, store, step figures). */
    readonly cpuMs: number;
    readonly cpuMsPerScrape: number | null;
    /** cpuMs / wall: the scrapers' share of one core. */
    readonly cpuShare: number | null;
  } | null;
}

/** One point of a GPU's downsampled timeline (a real sample, or a bucket's extremes in time order). */
export interface GpuTimelinePoint {
  readonly tMs: number;
  readonly utilPct: number | null;
  readonly memUsedBytes: number | null;
  readonly powerW: number | null;
  readonly smClockMHz: number | null;
}

export interface GpuTimelineSeries {
  readonly gpuIndex: number;
  readonly name: string | null;
  /** Samples of this GPU before downsampling. */
  readonly samples: number;
  readonly points: readonly GpuTimelinePoint[];
}

/** What the GPUs did over the whole run, small enough for report.json and a chart. */
export interface GpuTimeline {
  /** Per GPU; longer series were cut into buckets that keep each field's min and max. */
  readonly maxPointsPerGpu: number;
  readonly gpus: readonly GpuTimelineSeries[];
}

/** report.json `gpuTelemetry`: the run-level record. */
export interface GpuTelemetryReport {
  readonly status: TelemetryStatus;
  readonly reason: string | null;
  readonly source: SamplerSource | null;
  readonly inventory: GpuInventory | null;
  readonly inventoryReason: string | null;
  readonly fields: FieldSelection | null;
  readonly intervalMs: number;
  readonly samples: number;
  readonly lines: LineCounts;
  /** See SamplerResult.stampCorrectionMs. */
  readonly stampCorrectionMs: number;
  /** Downsampled util/memory/power/SM clock over time; null when nothing was sampled. */
  readonly timeline: GpuTimeline | null;
}

/** report.json per step: `gpu`. */
export interface GpuStepReport {
  readonly gpus: readonly GpuWindowSummary[];
  readonly processesAtStart: ComputeAppsResult | null;
  readonly processesAtEnd: ComputeAppsResult | null;
  readonly notes: readonly string[];
}

/** tf.memory() of the in-process model instances, summed over them. */
export interface TfMemory {
  readonly numTensors: number;
  readonly numBytes: number;
}

/** One host sample (default every 1 s). Rates cover the time since the previous sample. */
export interface HostSample {
  readonly tMs: number; // epoch ms
  /** This process (all threads, model workers included): 100 = one core busy. null on the first sample. */
  readonly processCpuPct: number | null;
  /** The whole machine, all cores: 0-100 busy. null off Linux or on the first sample. */
  readonly systemCpuPct: number | null;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Event-loop delay p99 over the interval, beyond the monitor's resolution. */
  readonly eventLoopDelayP99Ms: number | null;
  /** The same delay's median: a loop that is late at the median is saturated, not hit by one pause. Absent in older reports. */
  readonly eventLoopDelayP50Ms?: number | null;
  /** All interfaces, loopback included (/proc/net/dev); null off Linux or on the first sample. */
  readonly netRxBytesPerSec: number | null;
  readonly netTxBytesPerSec: number | null;
  /** In-process targets only; null when the target has no TF.js instances or they did not answer. */
  readonly tfMemory: TfMemory | null;
}

/** report.json `host`: the run's host metrics, start to end. */
export interface HostReport {
  readonly intervalMs: number;
  readonly samples: number;
  /** Downsampled for long runs (bucket extremes kept), at most maxPoints. */
  readonly maxPoints: number;
  readonly timeline: readonly HostSample[];
  readonly rssBytes: { readonly start: number; readonly end: number; readonly peak: number };
  readonly heapUsedBytes: { readonly start: number; readonly end: number; readonly peak: number };
  readonly tfMemory: { readonly start: TfMemory | null; readonly end: TfMemory | null };
  /** Totals over the run, all interfaces; null off Linux. */
  readonly netRxBytes: number | null;
  readonly netTxBytes: number | null;
}
