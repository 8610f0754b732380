/**
 * Aggregates of GPU samples over a time window, per GPU: what a step did to the GPU (and what
 * `gpu summarize` prints for a window of a recorded trace). Pure.
 */
import { decodeThrottleReasons, LOAD_THROTTLE_MASK } from './throttle.js';
import type { GpuSample, GpuWindowOptions } from './types.js';
import type { GpuWindowSummary } from '../core/report/telemetry.js';

export interface StepWindow extends GpuWindowOptions {
  readonly startMs: number;
  readonly endMs: number;
}

export interface SummarizeOptions extends GpuWindowOptions {
  /** Longest gap between two samples that energy is integrated across (default: max(1 s, 5 x median interval)). */
  readonly maxGapMs?: number;
}

/** Summaries of each GPU seen in [fromMs, toMs], ordered by index; empty when no sample falls inside. */
export function summarizeGpuWindow(
  samples: readonly GpuSample[],
  fromMs: number,
  toMs: number,
  options: SummarizeOptions = {},
): GpuWindowSummary[] {
  const byGpu = groupByGpu(samples);
  const summaries: GpuWindowSummary[] = [];
  for (const [gpuIndex, series] of [...byGpu].sort(([a], [b]) => a - b)) {
    const inside = series.filter((s) => s.tMs >= fromMs && s.tMs <= toMs);
    if (inside.length === 0) continue;
    const maxGapMs = options.maxGapMs ?? Math.max(1000, 5 * medianInterval(series));
    summaries.push(summarizeSeries(gpuIndex, inside, integrateEnergyJ(series, fromMs, toMs, maxGapMs), options));
  }
  return summaries;
}

/** One summary list per step, each over the step's own time window. */
export function summarizeGpuSteps(samples: readonly GpuSample[], steps: readonly StepWindow[]): GpuWindowSummary[][] {
  return steps.map((step) => summarizeGpuWindow(samples, step.startMs, step.endMs, step));
}

function summarizeSeries(
  gpuIndex: number,
  inside: readonly GpuSample[],
  energyJ: number | null,
  options: GpuWindowOptions,
): GpuWindowSummary {
  const util = values(inside, (s) => s.utilPct);
  const memUtil = values(inside, (s) => s.memUtilPct);
  const power = values(inside, (s) => s.powerW);
  const smClock = values(inside, (s) => s.smClockMHz);
  const masks = values(inside, (s) => s.throttleMask);
  const anyMask = masks.reduce((all, mask) => all | mask, 0);
  const utilMean = util.length > 0 ? mean(util) : null;
  return {
    gpuIndex,
    name: lastNonNull(inside, (s) => s.name),
    samples: inside.length,
    utilPct: util.length > 0 ? { mean: utilMean!, p95: percentile(util, 0.95), max: maxOf(util) } : null,
    memUtilPct: memUtil.length > 0 ? { mean: mean(memUtil), max: maxOf(memUtil) } : null,
    memUsedPeakBytes: maxOrNull(values(inside, (s) => s.memUsedBytes)),
    memTotalBytes: lastNonNull(inside, (s) => s.memTotalBytes),
    powerW: power.length > 0 ? { mean: mean(power), max: maxOf(power) } : null,
    powerLimitW: lastNonNull(inside, (s) => s.powerLimitW),
    energyJ,
    energyPerItemJ: energyJ !== null && options.items !== undefined && options.items > 0 ? energyJ / options.items : null,
    smClockMHz: smClock.length > 0 ? { mean: mean(smClock), min: minOf(smClock), max: maxOf(smClock) } : null,
    tempMaxC: maxOrNull(values(inside, (s) => s.tempC)),
    throttleReasons: decodeThrottleReasons(anyMask),
    throttledShare: masks.length > 0 ? masks.filter((mask) => (mask & LOAD_THROTTLE_MASK) !== 0).length / masks.length : null,
    busyShare: utilMean === null ? null : utilMean / 100,
    queueMsMean: options.queueMsMean ?? null,
  };
}

/**
 * Power integrated over [fromMs, toMs]: linear between consecutive samples (neighbours just outside
 * the window included, clipped to it); gaps longer than maxGapMs (a GPU that stopped answering)
 * are not bridged. Null when no two samples with power bracket any part of the window.
 */
export function integrateEnergyJ(series: readonly GpuSample[], fromMs: number, toMs: number, maxGapMs: number): number | null {
  let joules = 0;
  let covered = false;
  for (let i = 1; i < series.length; i += 1) {
    const a = series[i - 1]!;
    const b = series[i]!;
    if (a.powerW === null || b.powerW === null) continue;
    const dt = b.tMs - a.tMs;
    if (dt <= 0 || dt > maxGapMs || b.tMs <= fromMs || a.tMs >= toMs) continue;
    const startMs = Math.max(a.tMs, fromMs);
    const endMs = Math.min(b.tMs, toMs);
    const powerAt = (t: number): number => a.powerW! + ((b.powerW! - a.powerW!) * (t - a.tMs)) / dt;
    joules += ((powerAt(startMs) + powerAt(endMs)) / 2) * ((endMs - startMs) / 1000);
    covered = true;
  }
  return covered ? joules : null;
}

function groupByGpu(samples: readonly GpuSample[]): Map<number, GpuSample[]> {
  const byGpu = new Map<number, GpuSample[]>();
  for (const sample of samples) {
    const series = byGpu.get(sample.gpuIndex);
    if (series === undefined) byGpu.set(sample.gpuIndex, [sample]);
    else series.push(sample);
  }
  for (const series of byGpu.values()) series.sort((a, b) => a.tMs - b.tMs);
  return byGpu;
}

function values(samples: readonly GpuSample[], pick: (s: GpuSample) => number | null): number[] {
  const out: number[] = [];
  for (const sample of samples) {
    const value = pick(sample);
    if (value !== null) out.push(value);
  }
  return out;
}

function lastNonNull<T>(samples: readonly GpuSample[], pick: (s: GpuSample) => T | null): T | null {
  for (let i = samples.length - 1; i >= 0; i -= 1) {
    const value = pick(samples[i]!);
    if (value !== null) return value;
  }
  return null;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((sum, x) => sum + x, 0) / xs.length;
}

function maxOrNull(xs: readonly number[]): number | null {
  return xs.length > 0 ? maxOf(xs) : null;
}

/** Loops, not Math.max(...xs): an hour at 10 Hz is too many arguments for a spread. */
function maxOf(xs: readonly number[]): number {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  return max;
}

function minOf(xs: readonly number[]): number {
  let min = Infinity;
  for (const x of xs) if (x < min) min = x;
  return min;
}

/** Nearest-rank percentile (a value that was observed); xs non-empty. */
export function percentile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

function medianInterval(series: readonly GpuSample[]): number {
  if (series.length < 2) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < series.length; i += 1) gaps.push(series[i]!.tMs - series[i - 1]!.tMs);
  return percentile(gaps, 0.5);
}
