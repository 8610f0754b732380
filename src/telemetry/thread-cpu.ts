/**
 * CPU time of the calling thread alone. process.cpuUsage() is the whole process's, in a worker
 * thread too (Node 20 has no per-thread call), so inside a scraping worker beside a busy load it
 * would count the load's CPU as the scraper's. On Linux /proc/thread-self/stat describes the
 * thread that reads it (readFileSync runs on the calling thread): utime + stime in USER_HZ ticks,
 * 100 a second. Elsewhere the thread's event-loop active time stands in (the wall time its loop
 * was busy, which for a thread that only parses is its CPU plus any time it was preempted).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** /proc reports thread times in USER_HZ, fixed at 100 per second for user space. */
const MS_PER_TICK = 10;

/** utime + stime of a /proc/<pid>/task/<tid>/stat line, ms; null when malformed. */
export function parseThreadStatCpuMs(text: string): number | null {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
  const after = text
    .slice(text.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  // Field 3 (state) is after[0], so utime (field 14) and stime (field 15) are after[11] and after[12].
  const utime = Number(after[11]);
  const stime = Number(after[12]);
  if (after.length < 13 || !Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) * MS_PER_TICK;
}

export interface ThreadCpuMeter {
  /** How the figures are measured: per-thread /proc ticks, or the event loop's active time. */
  readonly source: 'proc-thread' | 'event-loop-active';
  /** Cumulative CPU ms of the calling thread (10 ms steps on Linux): read twice, subtract. */
  now(): number;
}

function readProcThreadCpuMs(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    return parseThreadStatCpuMs(readFileSync('/proc/thread-self/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** The meter for the calling thread: /proc when it answers, else event-loop active time. */
export function threadCpuMeter(): ThreadCpuMeter {
  if (readProcThreadCpuMs() !== null) return { source: 'proc-thread', now: () => readProcThreadCpuMs() ?? 0 };
  return { source: 'event-loop-active', now: () => performance.eventLoopUtilization().active };
}
