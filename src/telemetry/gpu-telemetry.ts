/**
 * GPU telemetry for one run, in the order a run needs it: inventory and sampler at the start,
 * per-step summaries (with process memory at the step's boundaries), and the run-level record
 * plus at most one warning at the end. Live nvidia-smi, a replayed trace, or off.
 */
import { queryComputeApps } from './compute-apps.js';
import { summarizeGpuWindow } from './gpu-aggregate.js';
import { readGpuInventory } from './gpu-inventory.js';
import { buildGpuTimeline } from './gpu-timeline.js';
import { modelGpuNotes, type ModelPlacement } from './gpu-use.js';
import { startReplaySampler, type ReplayTrace } from './gpu-replay.js';
import { startNvidiaSmiSampler } from './gpu-sampler.js';
import type { GpuInventoryResult, GpuSample, GpuWindowOptions, Sampler, SamplerResult, TimeZoneRule } from './types.js';
import type { ComputeAppsResult, GpuStepReport, GpuTelemetryReport } from '../core/report/telemetry.js';

export type GpuTelemetryMode =
  | { readonly kind: 'off' }
  | {
      readonly kind: 'nvidia-smi';
      readonly intervalMs?: number;
      readonly command?: string;
      readonly env?: NodeJS.ProcessEnv;
      /** How long each start-up probe (-q -x, --help-query-gpu) may take; they run side by side. Default 5 s. */
      readonly probeTimeoutMs?: number;
    }
  /** The trace is read (and checked) by readReplayTrace before the run starts. */
  | { readonly kind: 'replay'; readonly trace: ReplayTrace; readonly speed?: number };

export interface GpuTelemetryOptions {
  readonly mode: GpuTelemetryMode;
  readonly timeZone?: TimeZoneRule;
  /** This run's processes for the per-process view (default: the harness). */
  readonly ownPids?: () => readonly number[];
  /** Where the model runs: a GPU it does not use gets "not used by the model", not the host-side note. */
  readonly placement?: ModelPlacement;
}

export interface GpuTelemetryOutcome {
  readonly report: GpuTelemetryReport;
  /** For harness health (parse and sampler cost); null when off. */
  readonly samplerResult: SamplerResult | null;
  /** One line for the run's warnings when telemetry is partial or absent; null otherwise. */
  readonly warning: string | null;
}

export interface GpuTelemetrySession {
  readonly sampler: Sampler | null;
  readonly inventory: GpuInventoryResult;
  /** GPU memory per process now (null when not sampling live nvidia-smi). */
  processes(): Promise<ComputeAppsResult | null>;
  /** A step's GPU summary over its time window; pass the process views taken at its boundaries. */
  stepReport(
    startMs: number,
    endMs: number,
    window: GpuWindowOptions,
    processes?: { atStart: ComputeAppsResult | null; atEnd: ComputeAppsResult | null },
  ): GpuStepReport;
  /** Mean utilisation over the GPUs in the most recent sample; null when off or none yet. For live views. */
  latestUtilPct(): number | null;
  /** Power drawn by all the GPUs together in the most recent sample; null when off or none read it. For live views. */
  latestPowerW(): number | null;
  finish(): Promise<GpuTelemetryOutcome>;
}

/** Never throws for a GPU problem (a replay trace was checked when it was read). */
export async function startGpuTelemetry(options: GpuTelemetryOptions): Promise<GpuTelemetrySession> {
  const { mode } = options;
  const timeZone = options.timeZone ?? { kind: 'local' };
  if (mode.kind === 'off') return session(null, { kind: 'unavailable', reason: 'GPU telemetry was turned off' }, null, options);
  if (mode.kind === 'replay') {
    const sampler = startReplaySampler(mode.trace, { speed: mode.speed, timeZone });
    return session(sampler, { kind: 'unavailable', reason: `replaying ${mode.trace.path}: no live inventory` }, null, options);
  }
  // Side by side: an nvidia-smi that hangs costs one probe timeout, not one per probe.
  const { command, env, probeTimeoutMs } = mode;
  const [inventory, sampler] = await Promise.all([
    readGpuInventory({ command, env, ...(probeTimeoutMs !== undefined && { timeoutMs: probeTimeoutMs }) }),
    startNvidiaSmiSampler({
      intervalMs: mode.intervalMs,
      command,
      env,
      timeZone,
      ...(probeTimeoutMs !== undefined && { helpTimeoutMs: probeTimeoutMs }),
    }),
  ]);
  return session(sampler, inventory, mode, options);
}

function session(
  sampler: Sampler | null,
  inventory: GpuInventoryResult,
  live: Extract<GpuTelemetryMode, { kind: 'nvidia-smi' }> | null,
  options: GpuTelemetryOptions,
): GpuTelemetrySession {
  let outcome: Promise<GpuTelemetryOutcome> | null = null;
  return {
    sampler,
    inventory,
    async processes() {
      if (live === null || sampler === null || sampler.pid === null) return null;
      return queryComputeApps({ command: live.command, env: live.env, ownPids: options.ownPids?.() ?? [process.pid] });
    },
    stepReport(startMs, endMs, window, processes) {
      const gpus = sampler === null ? [] : summarizeGpuWindow(sampler.samples(), startMs, endMs, window);
      const atStart = processes?.atStart ?? null;
      const atEnd = processes?.atEnd ?? null;
      return {
        gpus,
        processesAtStart: atStart,
        processesAtEnd: atEnd,
        notes: modelGpuNotes(gpus, options.placement ?? null, [atStart, atEnd]),
      };
    },
    latestUtilPct() {
      return sampler === null ? null : latestUtilPct(sampler.samples());
    },
    latestPowerW() {
      return sampler === null ? null : latestPowerW(sampler.samples());
    },
    finish() {
      outcome ??= finish(sampler, inventory);
      return outcome;
    },
  };
}

/**
 * The latest reading of each GPU: walks back from the end only until a GPU repeats (one tick holds
 * one line per GPU), so the cost is the number of GPUs, not the length of the run.
 */
function latestPerGpu(samples: readonly GpuSample[]): GpuSample[] {
  const seen = new Set<number>();
  const latest: GpuSample[] = [];
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i]!;
    if (seen.has(sample.gpuIndex)) break;
    seen.add(sample.gpuIndex);
    latest.push(sample);
  }
  return latest;
}

/** Mean utilisation over the GPUs that read one in the latest tick. */
export function latestUtilPct(samples: readonly GpuSample[]): number | null {
  const read = latestPerGpu(samples).flatMap((s) => (s.utilPct === null ? [] : [s.utilPct]));
  return read.length === 0 ? null : read.reduce((sum, pct) => sum + pct, 0) / read.length;
}

/** Power summed over the GPUs that read one in the latest tick (the node's GPU draw). */
export function latestPowerW(samples: readonly GpuSample[]): number | null {
  const read = latestPerGpu(samples).flatMap((s) => (s.powerW === null ? [] : [s.powerW]));
  return read.length === 0 ? null : read.reduce((sum, watts) => sum + watts, 0);
}

async function finish(sampler: Sampler | null, inventory: GpuInventoryResult): Promise<GpuTelemetryOutcome> {
  const inventoryFields = {
    inventory: inventory.kind === 'ok' ? inventory.inventory : null,
    inventoryReason: inventory.kind === 'ok' ? null : inventory.reason,
  };
  if (sampler === null) {
    const report: GpuTelemetryReport = {
      status: 'absent',
      reason: 'GPU telemetry was turned off',
      source: null,
      ...inventoryFields,
      fields: null,
      intervalMs: 0,
      samples: 0,
      lines: { total: 0, samples: 0, garbage: 0, deviceErrors: 0 },
      stampCorrectionMs: 0,
      timeline: null,
    };
    return { report, samplerResult: null, warning: null };
  }
  const result = await sampler.stop();
  const report: GpuTelemetryReport = {
    status: result.status,
    reason: result.reason,
    source: result.source,
    ...inventoryFields,
    fields: result.fields,
    intervalMs: result.intervalMs,
    samples: result.samples.length,
    lines: result.lines,
    stampCorrectionMs: result.stampCorrectionMs,
    timeline: buildGpuTimeline(result.samples),
  };
  const dropped =
    result.fields !== null && result.fields.dropped.length > 0
      ? ` (fields this driver does not know, not sampled: ${result.fields.dropped.join(', ')})`
      : '';
  const warning =
    result.status === 'ok'
      ? dropped === ''
        ? null
        : `GPU telemetry${dropped}`
      : `GPU telemetry ${result.status}: ${result.reason ?? 'no reason given'}${dropped}`;
  return { report, samplerResult: result, warning };
}
