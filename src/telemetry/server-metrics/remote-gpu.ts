/**
 * A GPU pipebench cannot reach with nvidia-smi, read from a DCGM exporter or Triton's GPU gauges:
 * each scrape becomes one GpuSample per GPU, so the step summary is the very aggregation the local
 * nvidia-smi telemetry uses (gpu-aggregate.ts) and report.md shows the same GPU table for it.
 */
import { summarizeGpuWindow } from '../gpu-aggregate.js';
import { parseThrottleMask } from '../throttle.js';
import type { GpuSample } from '../types.js';
import type { GpuWindowSummary } from '../../core/report/telemetry.js';
import { valueAt, type ScrapeRow, type SeriesInfo } from './scrape-store.js';
import { counterIncrease, type Window } from './step-window.js';

const MIB = 1024 * 1024;

/** GpuSample field -> the metric that feeds it, and the factor to our unit. */
interface GpuFieldSource {
  readonly metric: string;
  readonly scale: number;
}

type SampledField =
  | 'utilPct'
  | 'memUtilPct'
  | 'memUsedBytes'
  | 'memTotalBytes'
  | 'powerW'
  | 'powerLimitW'
  | 'tempC'
  | 'smClockMHz'
  | 'memClockMHz'
  | 'throttleMask';

export interface RemoteGpuDialect {
  /** The label that tells GPUs apart; its values are numbered in order of appearance when not numeric. */
  readonly gpuLabel: string;
  readonly uuidLabel: string | null;
  readonly nameLabel: string | null;
  readonly fields: Readonly<Partial<Record<SampledField, readonly GpuFieldSource[]>>>;
  /** A cumulative energy counter and its factor to joules: more exact than integrating power. */
  readonly energy: GpuFieldSource | null;
}

export const DCGM_GPU: RemoteGpuDialect = {
  gpuLabel: 'gpu',
  uuidLabel: 'UUID',
  nameLabel: 'modelName',
  fields: {
    utilPct: [{ metric: 'DCGM_FI_DEV_GPU_UTIL', scale: 1 }],
    memUtilPct: [{ metric: 'DCGM_FI_DEV_MEM_COPY_UTIL', scale: 1 }],
    memUsedBytes: [{ metric: 'DCGM_FI_DEV_FB_USED', scale: MIB }],
    memTotalBytes: [{ metric: 'DCGM_FI_DEV_FB_TOTAL', scale: MIB }],
    powerW: [{ metric: 'DCGM_FI_DEV_POWER_USAGE', scale: 1 }],
    powerLimitW: [
      { metric: 'DCGM_FI_DEV_POWER_MGMT_LIMIT', scale: 1 },
      { metric: 'DCGM_FI_DEV_ENFORCED_POWER_LIMIT', scale: 1 },
    ],
    tempC: [{ metric: 'DCGM_FI_DEV_GPU_TEMP', scale: 1 }],
    smClockMHz: [{ metric: 'DCGM_FI_DEV_SM_CLOCK', scale: 1 }],
    memClockMHz: [{ metric: 'DCGM_FI_DEV_MEM_CLOCK', scale: 1 }],
    throttleMask: [
      { metric: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', scale: 1 },
      { metric: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', scale: 1 },
    ],
  },
  // DCGM counts millijoules since the driver loaded.
  energy: { metric: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', scale: 1e-3 },
};

export const TRITON_GPU: RemoteGpuDialect = {
  gpuLabel: 'gpu_uuid',
  uuidLabel: 'gpu_uuid',
  nameLabel: null,
  fields: {
    // Triton's utilisation is a ratio (0.0 - 1.0).
    utilPct: [{ metric: 'nv_gpu_utilization', scale: 100 }],
    memUsedBytes: [{ metric: 'nv_gpu_memory_used_bytes', scale: 1 }],
    memTotalBytes: [{ metric: 'nv_gpu_memory_total_bytes', scale: 1 }],
    powerW: [{ metric: 'nv_gpu_power_usage', scale: 1 }],
    powerLimitW: [{ metric: 'nv_gpu_power_limit', scale: 1 }],
  },
  energy: { metric: 'nv_energy_consumption', scale: 1 },
};

/** The metric names a dialect reads (kept out of `raw`). */
export function dialectMetrics(dialect: RemoteGpuDialect): string[] {
  const names = Object.values(dialect.fields).flatMap((sources) => sources.map((source) => source.metric));
  return dialect.energy === null ? names : [...names, dialect.energy.metric];
}

/** True when the scrapes carry at least one of the dialect's GPU metrics. */
export function hasRemoteGpu(series: readonly SeriesInfo[], dialect: RemoteGpuDialect): boolean {
  const names = new Set(dialectMetrics(dialect));
  return series.some((info) => names.has(info.name) && info.labels[dialect.gpuLabel] !== undefined);
}

/** Per-GPU summaries of the window, as local nvidia-smi telemetry would give them. */
export function remoteGpuSummaries(
  rows: readonly ScrapeRow[],
  series: readonly SeriesInfo[],
  dialect: RemoteGpuDialect,
  window: Window,
  items: number,
): GpuWindowSummary[] {
  const gpus = gpuIndexes(series, dialect);
  if (gpus.size === 0) return [];
  const samples = toSamples(rows, series, dialect, gpus);
  const summaries = summarizeGpuWindow(samples, window.fromMs, window.toMs, { items });
  if (dialect.energy === null) return summaries;
  const energy = dialect.energy;
  return summaries.map((summary) => {
    const id = series.findIndex(
      (info) => info.name === energy.metric && gpus.get(info.labels[dialect.gpuLabel] ?? '') === summary.gpuIndex,
    );
    const joules = id < 0 ? null : counterIncrease(rows, id, window);
    if (joules === null) return summary;
    const energyJ = joules * energy.scale;
    return { ...summary, energyJ, energyPerItemJ: items > 0 ? energyJ / items : null };
  });
}

/** GPU label value -> index: the number itself when the label is numeric (DCGM's gpu="0"), else order of appearance. */
function gpuIndexes(series: readonly SeriesInfo[], dialect: RemoteGpuDialect): Map<string, number> {
  const names = new Set(dialectMetrics(dialect));
  const out = new Map<string, number>();
  for (const info of series) {
    const label = info.labels[dialect.gpuLabel];
    if (label === undefined || !names.has(info.name) || out.has(label)) continue;
    out.set(label, /^\d+$/.test(label) ? Number(label) : out.size);
  }
  return out;
}

function toSamples(
  rows: readonly ScrapeRow[],
  series: readonly SeriesInfo[],
  dialect: RemoteGpuDialect,
  gpus: ReadonlyMap<string, number>,
): GpuSample[] {
  // Per GPU and field: the series ids to read, in the dialect's order of preference.
  const ids = new Map<string, Map<SampledField, { id: number; scale: number }[]>>();
  const meta = new Map<string, { uuid: string | null; name: string | null }>();
  series.forEach((info, id) => {
    const gpu = info.labels[dialect.gpuLabel];
    if (gpu === undefined || !gpus.has(gpu)) return;
    for (const [field, sources] of Object.entries(dialect.fields) as [SampledField, readonly GpuFieldSource[]][]) {
      const source = sources.find((s) => s.metric === info.name);
      if (source === undefined) continue;
      const byField = ids.get(gpu) ?? new Map<SampledField, { id: number; scale: number }[]>();
      ids.set(gpu, byField);
      byField.set(field, [...(byField.get(field) ?? []), { id, scale: source.scale }]);
      if (!meta.has(gpu))
        meta.set(gpu, {
          uuid: dialect.uuidLabel === null ? null : (info.labels[dialect.uuidLabel] ?? null),
          name: dialect.nameLabel === null ? null : (info.labels[dialect.nameLabel] ?? null),
        });
    }
  });
  const samples: GpuSample[] = [];
  for (const row of rows) {
    for (const [gpu, byField] of ids) {
      const read = (field: SampledField): number | null => {
        for (const { id, scale } of byField.get(field) ?? []) {
          const value = valueAt(row, id);
          if (Number.isFinite(value)) return value * scale;
        }
        return null;
      };
      const mask = read('throttleMask');
      const util = read('utilPct');
      if (util === null && read('powerW') === null && read('smClockMHz') === null) continue;
      samples.push({
        tMs: row.tMs,
        gpuIndex: gpus.get(gpu)!,
        uuid: meta.get(gpu)?.uuid ?? null,
        name: meta.get(gpu)?.name ?? null,
        utilPct: util,
        memUtilPct: read('memUtilPct'),
        memUsedBytes: read('memUsedBytes'),
        memTotalBytes: read('memTotalBytes'),
        powerW: read('powerW'),
        powerLimitW: read('powerLimitW'),
        tempC: read('tempC'),
        smClockMHz: read('smClockMHz'),
        memClockMHz: read('memClockMHz'),
        throttleMask: mask === null ? null : (parseThrottleMask(String(Math.round(mask))) ?? null),
        pstate: null,
      });
    }
  }
  return samples;
}
