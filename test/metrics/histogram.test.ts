import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HIGHEST_US,
  mergeEncoded,
  recordUs,
  summarize,
} from '../../src/metrics/histogram.js';

function histogramOf(valuesUs: readonly number[]): ReturnType<typeof createHistogram> {
  const histogram = createHistogram();
  for (const value of valuesUs) recordUs(histogram, value);
  return histogram;
}

/** Deterministic spread of values (LCG), so the test does not depend on Math.random. */
function spread(count: number, seed: number, maxUs: number): number[] {
  const values: number[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    values.push(1 + (state % maxUs));
  }
  return values;
}

describe('summarize', () => {
  it('is undefined for an empty histogram, not zeros', () => {
    expect(summarize(createHistogram())).toBeUndefined();
  });

  it('one sample: every statistic is that sample, in ms', () => {
    const summary = summarize(histogramOf([4200]));
    expect(summary?.count).toBe(1);
    for (const key of ['mean', 'p50', 'p90', 'p95', 'p99', 'max', 'min'] as const) {
      expect(summary?.[key]).toBeCloseTo(4.2, 2); // 3 significant digits: within 0.1 %
    }
  });

  it('all equal: percentiles equal the value within HDR resolution', () => {
    const summary = summarize(histogramOf(Array.from({ length: 1000 }, () => 250_000)));
    expect(summary?.count).toBe(1000);
    expect(summary?.p50).toBeCloseTo(250, 0);
    expect(summary?.p99).toBeCloseTo(250, 0);
    expect(Math.abs((summary?.max ?? 0) - 250) / 250).toBeLessThan(0.001);
  });

  it('percentiles of 1..1000 ms land where they should', () => {
    const summary = summarize(histogramOf(Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000)));
    expect(summary?.p50).toBeCloseTo(500, -1);
    expect(summary?.p95).toBeCloseTo(950, -1);
    expect(summary?.p99).toBeCloseTo(990, -1);
    expect(summary?.min).toBeCloseTo(1, 2);
    expect(summary?.max).toBeCloseTo(1000, 0);
    expect(summary?.mean).toBeCloseTo(500.5, 0);
  });

  it('clamps values outside 1 us .. 1 h instead of throwing', () => {
    const summary = summarize(histogramOf([0, -5, HIGHEST_US * 2]));
    expect(summary?.count).toBe(3);
    expect(summary?.min).toBeCloseTo(0.001, 6);
    expect(Math.abs((summary?.max ?? 0) - 3_600_000) / 3_600_000).toBeLessThan(0.001);
  });
});

describe('encode, decode, merge', () => {
  it('decode(encode(h)) has the same counts and percentiles', () => {
    const histogram = histogramOf(spread(5000, 7, 2_000_000));
    const decoded = decodeHistogram(encodeHistogram(histogram));
    expect(summarize(decoded)).toEqual(summarize(histogram));
  });

  it('merging two encoded histograms equals recording both sets into one', () => {
    const a = spread(3000, 1, 50_000);
    const b = spread(2000, 2, 5_000_000);
    const merged = decodeHistogram(mergeEncoded([encodeHistogram(histogramOf(a)), encodeHistogram(histogramOf(b))]));
    const together = histogramOf([...a, ...b]);
    expect(merged.totalCount).toBe(5000);
    expect(summarize(merged)).toEqual(summarize(together));
    for (const percentile of [1, 10, 33.3, 50, 75, 90, 99.9]) {
      expect(merged.getValueAtPercentile(percentile)).toBe(together.getValueAtPercentile(percentile));
    }
  });

  it('merging nothing gives an empty histogram', () => {
    expect(summarize(decodeHistogram(mergeEncoded([])))).toBeUndefined();
  });
});
