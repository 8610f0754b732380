/**
 * The Kneedle knee point (Satopää, Albrecht, Irwin, Raghavan, "Finding a 'Kneedle' in a Haystack",
 * ICDCSW 2011) of throughput against batch size, offline: x = log2(batch size) because sweeps
 * double it; x and y are normalised to [0, 1]; for a concave increasing curve the knee is where
 * the difference curve y_n - x_n peaks. Reported beside `findKnee` (the < 5 %-per-doubling rule):
 * Kneedle finds where the curve bends most, the rule where doubling stops paying.
 */
import type { ThroughputPoint } from './scaling.js';

/** Batch sizes with throughput, ascending; the first point given stands for a repeated size. */
function curve(points: readonly ThroughputPoint[]): ThroughputPoint[] {
  const seen = new Set<number>();
  const unique: ThroughputPoint[] = [];
  for (const point of points) {
    if (!(point.itemsPerSec > 0) || !(point.batchSize > 0) || seen.has(point.batchSize)) continue;
    seen.add(point.batchSize);
    unique.push(point);
  }
  return unique.sort((a, b) => a.batchSize - b.batchSize);
}

/** The difference curve y_n - x_n per point, in ascending batch size; empty when it is undefined. */
export function kneedleDifferences(points: readonly ThroughputPoint[]): { readonly batchSize: number; readonly difference: number }[] {
  const sorted = curve(points);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined || sorted.length < 3) return [];
  const xMin = Math.log2(first.batchSize);
  const xSpan = Math.log2(last.batchSize) - xMin;
  const yMin = Math.min(...sorted.map((p) => p.itemsPerSec));
  const ySpan = Math.max(...sorted.map((p) => p.itemsPerSec)) - yMin;
  if (xSpan <= 0 || ySpan <= 0) return [];
  return sorted.map((p) => ({
    batchSize: p.batchSize,
    difference: (p.itemsPerSec - yMin) / ySpan - (Math.log2(p.batchSize) - xMin) / xSpan,
  }));
}

/**
 * The batch size where the difference curve peaks (the smaller one on a tie). Null with fewer than
 * 3 batch sizes, a flat or decreasing curve (last throughput not above the first), or no bend
 * above the straight line (linear or convex on the log2 axis).
 */
export function kneedle(points: readonly ThroughputPoint[]): number | null {
  const sorted = curve(points);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined || !(last.itemsPerSec > first.itemsPerSec)) return null;
  let best: { readonly batchSize: number; readonly difference: number } | null = null;
  for (const point of kneedleDifferences(sorted)) {
    if (best === null || point.difference > best.difference) best = point;
  }
  // A tolerance keeps float noise on a straight line from reading as a knee.
  return best !== null && best.difference > 1e-9 ? best.batchSize : null;
}
