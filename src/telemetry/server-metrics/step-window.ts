/**
 * What a run of scrapes says about one time window (a step), per series: a counter's increase
 * and a gauge's mean and max, interpolated to the window's boundaries; a histogram's own bucket
 * counts in the window and percentiles estimated as Prometheus' histogram_quantile does. Pure.
 *
 * Counter resets (a server restart) follow Prometheus' increase(): a value below the one before
 * means the counter restarted from zero, so the increase across that pair is the new value, never
 * a negative one.
 */
import { valueAt, type ScrapeRow } from './scrape-store.js';
import type { ServerDistribution } from '../../core/report/server-metrics.js';

export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Increase of one counter over the window: each pair of consecutive scrapes contributes its
 * increase times the share of the pair's interval inside the window (linear interpolation at the
 * boundaries). Null when no pair of scrapes with the series overlaps the window.
 */
export function counterIncrease(rows: readonly ScrapeRow[], id: number, window: Window): number | null {
  let total = 0;
  let covered = false;
  let prev: { tMs: number; value: number } | null = null;
  for (const row of rows) {
    const value = valueAt(row, id);
    if (!Number.isFinite(value)) continue;
    if (prev !== null && row.tMs > prev.tMs) {
      const overlapMs = Math.min(row.tMs, window.toMs) - Math.max(prev.tMs, window.fromMs);
      if (overlapMs > 0) {
        const increase = value >= prev.value ? value - prev.value : value;
        total += (increase * overlapMs) / (row.tMs - prev.tMs);
        covered = true;
      }
    }
    prev = { tMs: row.tMs, value };
  }
  return covered ? total : null;
}

/** Sum of counterIncrease over several series; null when none of them is covered. */
export function sumIncrease(rows: readonly ScrapeRow[], ids: readonly number[], window: Window): number | null {
  let total: number | null = null;
  for (const id of ids) {
    const increase = counterIncrease(rows, id, window);
    if (increase !== null) total = (total ?? 0) + increase;
  }
  return total;
}

export interface GaugeStats {
  readonly mean: number;
  readonly max: number;
  /** Scrapes inside the window (0: the value was interpolated at the window's middle). */
  readonly scrapes: number;
}

/**
 * Mean and max of the sum of several gauges (a server's per-engine or per-model series add up)
 * over the scrapes inside the window; with none inside, the value interpolated at the window's
 * middle. Null when no scrape carried any of them.
 */
export function gaugeStats(rows: readonly ScrapeRow[], ids: readonly number[], window: Window): GaugeStats | null {
  const inside: number[] = [];
  const sums: { tMs: number; value: number }[] = [];
  for (const row of rows) {
    let sum = 0;
    let any = false;
    for (const id of ids) {
      const value = valueAt(row, id);
      if (Number.isFinite(value)) {
        sum += value;
        any = true;
      }
    }
    if (!any) continue;
    sums.push({ tMs: row.tMs, value: sum });
    if (row.tMs >= window.fromMs && row.tMs <= window.toMs) inside.push(sum);
  }
  if (inside.length > 0)
    return {
      mean: inside.reduce((a, b) => a + b, 0) / inside.length,
      max: inside.reduce((a, b) => Math.max(a, b), -Infinity),
      scrapes: inside.length,
    };
  const middle = interpolate(sums, (window.fromMs + window.toMs) / 2);
  return middle === null ? null : { mean: middle, max: middle, scrapes: 0 };
}

function interpolate(points: readonly { tMs: number; value: number }[], tMs: number): number | null {
  if (points.length === 0) return null;
  let before: { tMs: number; value: number } | null = null;
  for (const point of points) {
    if (point.tMs <= tMs) before = point;
    else {
      if (before === null) return point.value;
      return before.value + ((point.value - before.value) * (tMs - before.tMs)) / (point.tMs - before.tMs);
    }
  }
  return before?.value ?? null;
}

/** Cumulative bucket counts of a histogram in one window: upper bound (le) -> observations at or below it. */
export type Buckets = ReadonlyMap<number, number>;

/** Bucket increases summed over several bucket series (same family, any other labels); null when none is covered. */
export function bucketIncreases(
  rows: readonly ScrapeRow[],
  buckets: readonly { readonly id: number; readonly le: number }[],
  window: Window,
): Buckets | null {
  const out = new Map<number, number>();
  let covered = false;
  for (const { id, le } of buckets) {
    const increase = counterIncrease(rows, id, window);
    if (increase === null) continue;
    covered = true;
    out.set(le, (out.get(le) ?? 0) + increase);
  }
  return covered ? out : null;
}

/**
 * Prometheus' histogram_quantile over cumulative buckets: the bucket where the rank q x count
 * falls, linear within it; the lowest bucket starts at 0 (when its bound is positive); a rank in
 * the +Inf bucket returns the highest finite bound. Null without observations.
 */
export function histogramQuantile(q: number, buckets: Buckets): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  if (bounds.length === 0 || bounds[bounds.length - 1] !== Infinity) return null;
  // Cumulative counts must not fall (interpolation across a reset can bend them): make them monotone.
  const counts: number[] = [];
  for (const bound of bounds) counts.push(Math.max(counts.length > 0 ? counts[counts.length - 1]! : 0, buckets.get(bound)!));
  const total = counts[counts.length - 1]!;
  if (!(total > 0)) return null;
  const rank = q * total;
  let index = counts.findIndex((count) => count >= rank);
  if (index < 0) index = counts.length - 1;
  if (bounds[index] === Infinity) return bounds.length >= 2 ? bounds[bounds.length - 2]! : null;
  const upper = bounds[index]!;
  const lower = index === 0 ? (upper > 0 ? 0 : upper) : bounds[index - 1]!;
  const below = index === 0 ? 0 : counts[index - 1]!;
  const inBucket = counts[index]! - below;
  if (inBucket <= 0) return upper;
  return lower + (upper - lower) * ((rank - below) / inBucket);
}

/** A histogram's step distribution: count from the +Inf bucket (or _count), mean from _sum, percentiles from the buckets; values scaled (s -> ms: 1000). */
export function histogramDistribution(
  buckets: Buckets | null,
  sum: number | null,
  count: number | null,
  scale: number,
): ServerDistribution | null {
  const n = count ?? buckets?.get(Infinity) ?? null;
  if (n === null) return null;
  const quantile = (q: number): number | null => {
    const value = buckets === null ? null : histogramQuantile(q, buckets);
    return value === null ? null : value * scale;
  };
  return { count: n, mean: n > 0 && sum !== null ? (sum / n) * scale : null, p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) };
}
