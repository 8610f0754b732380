/**
 * Batch scaling of one stage: speedup, efficiency, marginal gain per doubling and the knee.
 *
 * DESIGN.md defines S(b) = T(b) / T(1) and E(b) = S(b) / b. A sweep need not start at 1, so the
 * base here is the smallest measured batch size b_min: S(b) = T(b) / T(b_min) and
 * E(b) = S(b) / (b / b_min). When the sweep starts at 1 this is exactly the DESIGN definition.
 */

export interface ThroughputPoint {
  readonly batchSize: number;
  readonly itemsPerSec: number;
}

export interface ScalingPoint extends ThroughputPoint {
  /** T(b) / T(b_min); null when this point or the base has no throughput. */
  readonly speedup: number | null;
  /** speedup / (b / b_min): 1.0 = perfect scaling. */
  readonly efficiency: number | null;
  /** T(2b) / T(b) - 1, only when 2b was measured (and both have throughput). */
  readonly gainPerDoubling: number | null;
}

export interface ScalingAnalysis {
  /** The smallest batch size with throughput; null when no point has any. */
  readonly baseBatchSize: number | null;
  /** In the order given. */
  readonly points: readonly ScalingPoint[];
  /** See `findKnee`. */
  readonly knee: number | null;
}

export const DEFAULT_KNEE_GAIN = 0.05;

/** Points with the same batch size: the first one given stands for that size in doubling pairs. */
function throughputBySize(points: readonly ThroughputPoint[]): Map<number, number> {
  const bySize = new Map<number, number>();
  for (const point of points) {
    if (point.itemsPerSec > 0 && !bySize.has(point.batchSize)) bySize.set(point.batchSize, point.itemsPerSec);
  }
  return bySize;
}

/** Marginal gain of doubling from each measured b whose 2b was measured, in ascending b. */
export function doublingGains(points: readonly ThroughputPoint[]): { readonly batchSize: number; readonly gain: number }[] {
  const bySize = throughputBySize(points);
  return [...bySize.keys()]
    .sort((a, b) => a - b)
    .flatMap((batchSize) => {
      const doubled = bySize.get(batchSize * 2);
      const base = bySize.get(batchSize);
      return doubled === undefined || base === undefined ? [] : [{ batchSize, gain: doubled / base - 1 }];
    });
}

/**
 * The knee: the smallest measured b from which every measured doubling (b -> 2b, and each later
 * one) gains less than `minGain` (default 5 %). Null when no doubling was measured or the last
 * one still gains at least `minGain` (throughput has not levelled off within the sweep).
 */
export function findKnee(points: readonly ThroughputPoint[], minGain = DEFAULT_KNEE_GAIN): number | null {
  const gains = doublingGains(points);
  let knee: number | null = null;
  for (const { batchSize, gain } of gains) {
    if (gain < minGain) knee ??= batchSize;
    else knee = null;
  }
  return knee;
}

export function analyzeScaling(points: readonly ThroughputPoint[], minGain = DEFAULT_KNEE_GAIN): ScalingAnalysis {
  const bySize = throughputBySize(points);
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const baseBatchSize = sizes[0] ?? null;
  const baseThroughput = baseBatchSize === null ? undefined : bySize.get(baseBatchSize);
  const gains = new Map(doublingGains(points).map(({ batchSize, gain }) => [batchSize, gain]));
  return {
    baseBatchSize,
    points: points.map((point) => {
      const speedup =
        baseBatchSize === null || baseThroughput === undefined || !(point.itemsPerSec > 0) ? null : point.itemsPerSec / baseThroughput;
      return {
        batchSize: point.batchSize,
        itemsPerSec: point.itemsPerSec,
        speedup,
        efficiency: speedup === null || baseBatchSize === null ? null : speedup / (point.batchSize / baseBatchSize),
        gainPerDoubling: point.itemsPerSec > 0 ? (gains.get(point.batchSize) ?? null) : null,
      };
    }),
    knee: findKnee(points, minGain),
  };
}
