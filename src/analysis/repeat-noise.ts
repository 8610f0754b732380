/**
 * Run-to-run noise from repeats (--repeat N). A run's stored histograms say how precisely that run
 * pins a percentile; they cannot say how far the next run, a minute later or in a new process,
 * moves it (on a shared 2-core VM, 20-40 %). The per-repeat values can: their spread on a log scale
 * gives a Welch t interval for the ratio candidate / baseline, centred on the change reported.
 */
import type { Interval, WorseWhen } from './bootstrap.js';
import { studentTQuantile } from './student-t.js';

/** Per side: the merged value compared, and each repeat's own value of the same metric. */
export interface RepeatedValue {
  readonly merged: number;
  readonly repeats: readonly (number | null)[];
}

interface LogSpread {
  readonly n: number;
  /** Sample variance of ln(value); null with fewer than 2 repeats. */
  readonly variance: number | null;
}

function logSpread(repeats: readonly (number | null)[]): LogSpread {
  const logs = repeats.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0).map(Math.log);
  const n = logs.length;
  if (n < 2) return { n, variance: null };
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  return { n, variance: logs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) };
}

/**
 * The interval of the relative change (positive = worse) that run-to-run noise allows, or null when
 * neither side was repeated (nothing to estimate it from) or a merged value is not positive. A side
 * with a single run borrows the other side's spread, with n = 1: one run strays from its mean by
 * that spread, undivided.
 */
export function repeatChangeInterval(
  baseline: RepeatedValue,
  candidate: RepeatedValue,
  worseWhen: WorseWhen,
  confidence: number,
): Interval | null {
  if (!(baseline.merged > 0 && candidate.merged > 0)) return null;
  const b = logSpread(baseline.repeats);
  const c = logSpread(candidate.repeats);
  if (b.variance === null && c.variance === null) return null;
  const bVar = b.variance ?? (c.variance as number);
  const cVar = c.variance ?? (b.variance as number);
  const bN = b.variance === null ? 1 : b.n;
  const cN = c.variance === null ? 1 : c.n;
  const bTerm = bVar / bN;
  const cTerm = cVar / cN;
  const se = Math.sqrt(bTerm + cTerm);
  // Welch-Satterthwaite; a borrowed spread carries only its own side's degrees of freedom.
  const df =
    b.variance === null
      ? c.n - 1
      : c.variance === null
        ? b.n - 1
        : se === 0
          ? b.n + c.n - 2
          : (bTerm + cTerm) ** 2 / (bTerm ** 2 / (b.n - 1) + cTerm ** 2 / (c.n - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const logRatio = Math.log(candidate.merged / baseline.merged);
  const low = logRatio - t * se;
  const high = logRatio + t * se;
  // Latency is worse higher: c/b - 1. Throughput is worse lower: 1 - c/b (bounds swap).
  return worseWhen === 'higher' ? { low: Math.expm1(low), high: Math.expm1(high) } : { low: -Math.expm1(high), high: -Math.expm1(low) };
}

/** The smallest interval holding both: a change is beyond the noise only when it is beyond each source. */
export function envelope(a: Interval, b: Interval | null): Interval {
  return b === null ? a : { low: Math.min(a.low, b.low), high: Math.max(a.high, b.high) };
}
