/**
 * Bounded timelines (GPU and host samples alike): a long time-ordered series is cut into buckets of
 * consecutive points; each bucket becomes two points (its first and last times) carrying, per
 * field, the bucket's min and max in the order they occurred. A one-sample power spike, clock drop
 * or RSS jump survives, where an average would hide the very thing a reader is looking for.
 */

/** Per field, the number its extremes are judged by (null: no reading in that point). */
export type ExtremeFields<T, K extends keyof T> = Readonly<Record<K, (point: T) => number | null>>;

/** Time-ordered points to at most `limit` (at least 2) points, each field's extremes kept. */
export function downsampleExtremes<T, K extends keyof T>(points: readonly T[], limit: number, fields: ExtremeFields<T, K>): T[] {
  const bounded = Math.max(2, Math.floor(limit));
  if (points.length <= bounded) return [...points];
  const buckets = Math.floor(bounded / 2);
  const size = Math.ceil(points.length / buckets);
  const out: T[] = [];
  for (let start = 0; start < points.length; start += size) {
    out.push(...bucketExtremes(points.slice(start, start + size), fields));
  }
  return out;
}

function bucketExtremes<T, K extends keyof T>(bucket: readonly T[], fields: ExtremeFields<T, K>): T[] {
  const first = bucket[0];
  const last = bucket[bucket.length - 1];
  if (first === undefined || last === undefined) return [];
  if (bucket.length === 1) return [first];
  const early: T = { ...first };
  const late: T = { ...last };
  for (const field of Object.keys(fields) as K[]) {
    const value = fields[field];
    let minAt = -1;
    let maxAt = -1;
    let min = 0;
    let max = 0;
    bucket.forEach((point, i) => {
      const v = value(point);
      if (v === null) return;
      if (minAt < 0 || v < min) [minAt, min] = [i, v];
      if (maxAt < 0 || v > max) [maxAt, max] = [i, v];
    });
    if (minAt < 0) continue;
    early[field] = (bucket[Math.min(minAt, maxAt)] as T)[field];
    late[field] = (bucket[Math.max(minAt, maxAt)] as T)[field];
  }
  return [early, late];
}
