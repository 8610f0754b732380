/**
 * The harness's own cost during a run: CPU (process.cpuUsage), event-loop delay
 * (perf_hooks.monitorEventLoopDelay), the main-thread time spent parsing GPU samples, and the
 * nvidia-smi process's CPU from /proc (Linux).
 */
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { epochNowMs, type Clock } from '../core/clock.js';
import type { SamplerResult } from './types.js';
import type { EventLoopDelaySummary, HarnessHealthReport } from '../core/report/telemetry.js';

/** Clock ticks per second in /proc/<pid>/stat: 100 on every mainstream Linux build (USER_HZ). */
const USER_HZ = 100;

export interface HarnessHealthMonitor {
  /** Stop measuring; `gpu` adds the sampler's parse and process cost. */
  stop(gpu?: SamplerResult | null): HarnessHealthReport;
}

export interface HarnessHealthOptions {
  /** Event-loop delay sampling resolution (ms, default 10). */
  readonly resolutionMs?: number;
  readonly clock?: Clock;
}

export function startHarnessHealth(options: HarnessHealthOptions = {}): HarnessHealthMonitor {
  const clock = options.clock ?? epochNowMs;
  const resolutionMs = options.resolutionMs ?? 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const startedAtMs = clock();
  const cpuAtStart = process.cpuUsage();
  let report: HarnessHealthReport | null = null;
  return {
    stop(gpu = null) {
      if (report !== null) return report;
      histogram.disable();
      const wallMs = clock() - startedAtMs;
      const cpu = process.cpuUsage(cpuAtStart);
      report = {
        wallMs,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        cpuShare: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : 0,
        eventLoopDelay: summarizeEventLoopDelay(histogram, resolutionMs),
        gpuSampling: gpu === null ? null : gpuSamplingCost(gpu, wallMs),
      };
      return report;
    },
  };
}

/**
 * Histogram values are nanoseconds between the monitor's timer ticks, so they include the
 * resolution itself (an idle loop at 10 ms reads ~10 ms): the delay is what lies beyond it.
 * Null when the loop never got a tick in.
 */
export function summarizeEventLoopDelay(histogram: IntervalHistogram, resolutionMs: number): EventLoopDelaySummary | null {
  if (histogram.count === 0) return null;
  const ms = (ns: number): number => Math.max(0, ns / 1e6 - resolutionMs);
  return { meanMs: ms(histogram.mean), p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
}

function gpuSamplingCost(gpu: SamplerResult, wallMs: number): NonNullable<HarnessHealthReport['gpuSampling']> {
  const samples = gpu.lines.samples;
  return {
    samples,
    parseMs: gpu.parseMs,
    parseUsPerSample: samples > 0 ? (gpu.parseMs * 1000) / samples : null,
    samplerCpuMs: gpu.samplerCpuMs,
    samplerCpuShare: gpu.samplerCpuMs !== null && wallMs > 0 ? gpu.samplerCpuMs / wallMs : null,
  };
}

/**
 * utime + stime (fields 14 and 15) of /proc/<pid>/stat in ms. The command name (field 2) may hold
 * spaces and parentheses, so fields are counted after its closing parenthesis.
 */
export function parseProcStatCpuMs(statText: string, ticksPerSec = USER_HZ): number | null {
  const afterName = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1000) / ticksPerSec;
}

/** CPU a process has used so far (ms), or null off Linux or once it is gone. */
export async function readProcessCpuMs(pid: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  try {
    return parseProcStatCpuMs(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
