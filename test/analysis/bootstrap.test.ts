import { describe, expect, it } from 'vitest';
import { minSamplesFor } from '../../src/analysis/percentile-confidence.js';
import {
  cumulativeCounts,
  percentileChangeInterval,
  percentileUs,
  quantileInterval,
  relativeChange,
  sampleBeta,
  throughputChangeInterval,
  valueAtPosition,
  independentSample,
  type CumulativeCounts,
  type PercentileSample,
} from '../../src/analysis/bootstrap.js';
import { createHistogram, recordUs } from '../../src/metrics/histogram.js';
import type { WindowStat } from '../../src/core/measurement.js';
import { mulberry32 } from '../../src/random.js';
import { latencySamplesMs, scaled } from './compare-fixtures.js';

const OPTIONS = { resamples: 1000, seed: 7, confidence: 0.95 };

function countsOf(valuesMs: readonly number[]): CumulativeCounts {
  const histogram = createHistogram();
  for (const ms of valuesMs) recordUs(histogram, ms * 1000);
  return cumulativeCounts(histogram);
}

const sampleOf = (valuesMs: readonly number[]): PercentileSample => independentSample(countsOf(valuesMs));

function windows(counts: readonly number[]): WindowStat[] {
  return counts.map((completed, i) => ({ startMs: i * 1000, endMs: (i + 1) * 1000, completed, errors: 0, e2eP95Ms: null }));
}

describe('cumulativeCounts', () => {
  it('reads the same percentiles as the histogram itself', () => {
    const histogram = createHistogram();
    for (const ms of latencySamplesMs(500, 20, 0.5, 1)) recordUs(histogram, ms * 1000);
    const counts = cumulativeCounts(histogram);
    expect(counts.total).toBe(500);
    for (const pct of [1, 50, 90, 95, 99, 99.9, 100]) expect(percentileUs(counts, pct)).toBe(histogram.getValueAtPercentile(pct));
  });

  it('an empty histogram has no values and no percentile', () => {
    const counts = countsOf([]);
    expect(counts.total).toBe(0);
    expect(counts.valuesUs.length).toBe(0);
    expect(percentileUs(counts, 95)).toBeNull();
  });

  it('finds each sorted position in its bucket', () => {
    const counts = countsOf([1, 1, 2, 3, 3, 3]);
    expect([0, 1, 2, 3, 4, 5].map((p) => Math.round(valueAtPosition(counts, p) / 1000))).toEqual([1, 1, 2, 3, 3, 3]);
  });
});

describe('percentileChangeInterval', () => {
  const base = latencySamplesMs(400, 50, 0.3, 11);

  it('is deterministic for a seed and moves with it', () => {
    const candidate = sampleOf(latencySamplesMs(400, 52, 0.3, 12));
    const a = percentileChangeInterval(sampleOf(base), candidate, 95, OPTIONS);
    const b = percentileChangeInterval(sampleOf(base), candidate, 95, OPTIONS);
    const other = percentileChangeInterval(sampleOf(base), candidate, 95, { ...OPTIONS, seed: 8 });
    expect(a).toEqual(b);
    expect(other).not.toEqual(a);
  });

  it('brackets 0 for the same sample and +25 % for every value x1.25', () => {
    const same = percentileChangeInterval(sampleOf(base), sampleOf(base), 95, OPTIONS)!;
    expect(same.low).toBeLessThan(0);
    expect(same.high).toBeGreaterThan(0);
    const slower = percentileChangeInterval(sampleOf(base), sampleOf(scaled(base, 1.25)), 95, OPTIONS)!;
    expect(slower.low).toBeGreaterThan(0);
    expect(slower.low).toBeLessThan(0.25);
    expect(slower.high).toBeGreaterThan(0.25);
  });

  it('agrees with a brute-force bootstrap that resamples the expanded values', () => {
    const small = latencySamplesMs(60, 10, 0.6, 3);
    const bigger = latencySamplesMs(60, 12, 0.6, 4);
    const [bCounts, cCounts] = [countsOf(small), countsOf(bigger)];
    const expand = (c: CumulativeCounts): number[] => Array.from({ length: c.total }, (_, i) => valueAtPosition(c, i));
    const [bValues, cValues] = [expand(bCounts), expand(cCounts)];
    const random = mulberry32(99);
    const p95OfResample = (values: number[]): number => {
      const drawn = values.map(() => values[Math.floor(random() * values.length)] as number).sort((x, y) => x - y);
      return drawn[Math.ceil(0.95 * drawn.length) - 1] as number;
    };
    const brute = Float64Array.from({ length: 4000 }, () => relativeChange(p95OfResample(bValues), p95OfResample(cValues), 'higher'));
    const expected = quantileInterval(brute, 0.95);
    const fast = percentileChangeInterval(independentSample(bCounts), independentSample(cCounts), 95, { ...OPTIONS, resamples: 4000 })!;
    expect(Math.abs(fast.low - expected.low)).toBeLessThan(0.05);
    expect(Math.abs(fast.high - expected.high)).toBeLessThan(0.05);
  });

  it('gives no interval for an empty side, one sample, or fewer samples than the percentile needs', () => {
    expect(percentileChangeInterval(sampleOf([]), sampleOf(base), 95, OPTIONS)).toBeNull();
    expect(percentileChangeInterval(sampleOf([5]), sampleOf(base), 50, OPTIONS)).toBeNull();
    expect(percentileChangeInterval(sampleOf(base), sampleOf([5]), 50, OPTIONS)).toBeNull();
    const five = [4, 5, 6, 7, 8];
    expect(percentileChangeInterval(sampleOf(five), sampleOf(five), 50, OPTIONS)).not.toBeNull();
    expect(percentileChangeInterval(sampleOf(five.slice(1)), sampleOf(five), 50, OPTIONS)).toBeNull();
    const sample = latencySamplesMs(298, 10, 0.3, 5);
    expect(percentileChangeInterval(sampleOf(sample), sampleOf(base), 99, OPTIONS)).toBeNull();
    expect(percentileChangeInterval(sampleOf([...sample, 10]), sampleOf(base), 99, OPTIONS)).not.toBeNull();
  });

  it('fewer independent draws (items sharing a model call) widen the interval', () => {
    const all = percentileChangeInterval(sampleOf(base), sampleOf(scaled(base, 1.1)), 50, OPTIONS)!;
    const batched = (values: number[]): PercentileSample => ({ counts: countsOf(values), independent: values.length / 8 });
    const clustered = percentileChangeInterval(batched(base), batched(scaled(base, 1.1)), 50, OPTIONS)!;
    expect(clustered.high - clustered.low).toBeGreaterThan(2 * (all.high - all.low));
    expect(percentileChangeInterval({ counts: countsOf(base), independent: 58 }, sampleOf(base), 95, OPTIONS)).toBeNull();
  });

  it("the minimum it enforces is MLPerf's (p/100)^n <= 1 - confidence, from percentile-confidence", () => {
    expect([50, 95, 99].map((p) => minSamplesFor(p / 100, 0.95))).toEqual([5, 59, 299]);
  });

  it('all-equal values give a zero-width interval at the exact change', () => {
    const equal = Array.from({ length: 300 }, () => 8);
    expect(percentileChangeInterval(sampleOf(equal), sampleOf(equal), 99, OPTIONS)).toEqual({ low: 0, high: 0 });
    const slower = percentileChangeInterval(sampleOf(equal), sampleOf(scaled(equal, 1.25)), 99, OPTIONS)!;
    expect(slower.low).toBeCloseTo(0.25, 2);
    expect(slower.high).toBeCloseTo(0.25, 2);
  });

  it('stays fast on a large histogram: 1,000 resamples of 1M samples', () => {
    const histogram = createHistogram();
    for (const ms of latencySamplesMs(20_000, 30, 0.4, 5)) histogram.recordValueWithCount(Math.round(ms * 1000), 50);
    const counts = cumulativeCounts(histogram);
    const started = performance.now();
    percentileChangeInterval(independentSample(counts), independentSample(counts), 99, OPTIONS);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('throughputChangeInterval', () => {
  const steady = { itemsPerSec: 100, windows: windows([98, 102, 100, 99, 101, 100]) };

  it('needs at least three windows on each side', () => {
    expect(throughputChangeInterval({ itemsPerSec: 100, windows: windows([100, 100]) }, steady, OPTIONS)).toBeNull();
    expect(throughputChangeInterval(steady, { itemsPerSec: 100, windows: windows([100]) }, OPTIONS)).toBeNull();
  });

  it('is positive when the candidate is slower and sits around the reported change', () => {
    const slower = { itemsPerSec: 80, windows: windows([78, 82, 80, 79, 81, 80]) };
    const interval = throughputChangeInterval(steady, slower, OPTIONS)!;
    expect(interval.low).toBeGreaterThan(0.15);
    expect(interval.high).toBeLessThan(0.25);
    expect(interval.low).toBeLessThanOrEqual(0.2);
    expect(interval.high).toBeGreaterThanOrEqual(0.2);
  });

  it('crosses 0 when the windows are noisy', () => {
    const noisy = { itemsPerSec: 85, windows: windows([40, 130, 60, 110, 85]) };
    const interval = throughputChangeInterval(steady, noisy, OPTIONS)!;
    expect(interval.low).toBeLessThan(0);
    expect(interval.high).toBeGreaterThan(0);
  });

  it('a candidate that completed nothing is a 100 % drop, not an unknown', () => {
    const stalled = { itemsPerSec: 0, windows: windows([0, 0, 0, 0]) };
    expect(throughputChangeInterval(steady, stalled, OPTIONS)).toEqual({ low: 1, high: 1 });
  });

  it('all-equal windows give a zero-width interval', () => {
    const flat = { itemsPerSec: 50, windows: windows([50, 50, 50]) };
    expect(throughputChangeInterval(flat, flat, OPTIONS)).toEqual({ low: 0, high: 0 });
  });
});

describe('small statistics', () => {
  it('relativeChange is positive when worse', () => {
    expect(relativeChange(10, 12.5, 'higher')).toBeCloseTo(0.25);
    expect(relativeChange(100, 80, 'lower')).toBeCloseTo(0.2);
    expect(relativeChange(100, 120, 'lower')).toBeCloseTo(-0.2);
    expect(relativeChange(0, 0, 'higher')).toBe(0);
  });

  it('sampleBeta has the mean a / (a + b)', () => {
    const random = mulberry32(1);
    let sum = 0;
    for (let i = 0; i < 5000; i++) sum += sampleBeta(3, 7, random);
    expect(sum / 5000).toBeCloseTo(0.3, 2);
    const ones = Array.from({ length: 200 }, () => sampleBeta(1, 1, random));
    expect(Math.min(...ones)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ones)).toBeLessThanOrEqual(1);
  });

  it('quantileInterval takes nearest-rank tails', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileInterval(values, 0.9)).toEqual({ low: 5, high: 95 });
  });
});
