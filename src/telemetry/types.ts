/**
 * Telemetry data the samplers work with: GPU samples from nvidia-smi, parsed CSV lines and the
 * sampler's outcome. What report.json records of them is in core/report/telemetry.ts.
 */
import type { FieldSelection, GpuInventory, LineCounts, SamplerSource, TelemetryStatus } from '../core/report/telemetry.js';

/** One GPU at one tick. Fields the driver could not report (`[N/A]`, `[Not Supported]`) are null. */
export interface GpuSample {
  /** Epoch ms on the run's clock (local-time stamps converted; replayed traces re-based onto now). */
  readonly tMs: number;
  readonly gpuIndex: number;
  readonly uuid: string | null;
  readonly name: string | null;
  /** Share of the sample period with a kernel running (not SM occupancy). */
  readonly utilPct: number | null;
  /** Share of the sample period the memory controller was reading or writing. */
  readonly memUtilPct: number | null;
  readonly memUsedBytes: number | null;
  readonly memTotalBytes: number | null;
  readonly powerW: number | null;
  readonly powerLimitW: number | null;
  readonly tempC: number | null;
  readonly smClockMHz: number | null;
  readonly memClockMHz: number | null;
  /** nvml clock event (throttle) reasons bitmask; see throttle.ts. */
  readonly throttleMask: number | null;
  readonly pstate: string | null;
}

/** What one line of `--query-gpu` CSV turned out to be. */
export type GpuCsvLine =
  | { readonly kind: 'sample'; readonly sample: GpuSample }
  | { readonly kind: 'header'; readonly fields: readonly string[]; readonly unknownFields: readonly string[] }
  | { readonly kind: 'blank' }
  /** nvidia-smi reporting a device problem instead of values ("No devices were found", "GPU is lost"). */
  | { readonly kind: 'device-error'; readonly message: string }
  | { readonly kind: 'garbage'; readonly line: string; readonly why: string };

/** How nvidia-smi's zone-less local-time stamps map to epoch ms. */
export type TimeZoneRule = { readonly kind: 'local' } | { readonly kind: 'offset'; readonly offsetMinutes: number };

/** What a sampler handed back when stopped. */
export interface SamplerResult {
  readonly source: SamplerSource;
  readonly status: TelemetryStatus;
  /** Why the telemetry is partial or absent (one sentence); null when ok. */
  readonly reason: string | null;
  readonly samples: readonly GpuSample[];
  readonly fields: FieldSelection | null;
  readonly intervalMs: number;
  readonly lines: LineCounts;
  /** Main-thread time spent parsing lines (ms), the harness's share of the sampling cost. */
  readonly parseMs: number;
  /** CPU the nvidia-smi process used (user + system, from /proc; null elsewhere or when replaying). */
  readonly samplerCpuMs: number | null;
  readonly samplerPid: number | null;
  /**
   * Shift applied to nvidia-smi's stamps so they sit on the harness's clock (ms); 0 when they
   * already agreed. Non-zero means the two disagreed on the time zone or the clock.
   */
  readonly stampCorrectionMs: number;
}

export interface GpuWindowOptions {
  /** Items completed in the window: energy per item. */
  readonly items?: number;
  /** Mean queue time per item from the batcher in the window. */
  readonly queueMsMean?: number;
}

export type GpuInventoryResult =
  { readonly kind: 'ok'; readonly inventory: GpuInventory } | { readonly kind: 'unavailable'; readonly reason: string };

/** A running GPU sampler (live nvidia-smi or a replayed trace); the seam the run loop sees. */
export interface Sampler {
  readonly source: SamplerSource;
  /** The nvidia-smi process while one runs; null for replay or when none could start. */
  readonly pid: number | null;
  /** Samples so far, in arrival order (time order per GPU). */
  samples(): readonly GpuSample[];
  /** True once a first sample arrived; false when the sampler gave up before that. */
  readonly ready: Promise<boolean>;
  /** Stop sampling (the nvidia-smi process is gone when this resolves); idempotent. */
  stop(): Promise<SamplerResult>;
}
