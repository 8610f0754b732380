/**
 * Whole-machine CPU busy share from /proc/stat: the aggregate `cpu` line's jiffy counters, read
 * twice, give the share of all cores' time spent not idle between the two reads.
 */
import { readFile } from 'node:fs/promises';

/** Cumulative jiffies of all cores since boot. */
export interface CpuTimes {
  readonly busyTicks: number;
  readonly totalTicks: number;
}

/**
 * The first line `cpu  user nice system idle iowait irq softirq steal guest guest_nice`. Idle and
 * iowait count as not busy; guest and guest_nice are already inside user and nice, so they are
 * left out of the total. Null when the line is missing or malformed.
 */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 4 || ticks.some((t) => !Number.isFinite(t) || t < 0)) return null;
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total };
}

/** 0-100 busy over all cores between two reads; null when no time passed or the counters went back. */
export function cpuBusyPct(before: CpuTimes, after: CpuTimes): number | null {
  const total = after.totalTicks - before.totalTicks;
  const busy = after.busyTicks - before.busyTicks;
  if (total <= 0 || busy < 0) return null;
  return Math.min(100, (100 * busy) / total);
}

/** Null off Linux or when /proc/stat cannot be read. */
export async function readCpuTimes(): Promise<CpuTimes | null> {
  if (process.platform !== 'linux') return null;
  try {
    return parseProcStat(await readFile('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}
