import { describe, expect, it } from 'vitest';
import {
  minSamplesFor,
  normalQuantile,
  percentileCi,
  quantileRanks,
  supportsPercentile,
} from '../../src/analysis/percentile-confidence.js';
import { createHistogram, encodeHistogram, recordUs } from '../../src/metrics/histogram.js';
import { mulberry32 } from '../../src/random.js';

function encoded(valuesUs: readonly number[]): string {
  const histogram = createHistogram();
  for (const value of valuesUs) recordUs(histogram, value);
  return encodeHistogram(histogram);
}

/** P(B <= k) for B ~ Binomial(n, p), by direct summation (small n only): the reference for coverage. */
function binomialCdf(n: number, p: number, k: number): number {
  let term = (1 - p) ** n;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return sum;
}

describe('quantileRanks (order-statistic interval)', () => {
  it('median of 100: the textbook ranks 40 and 61, and both tails within 2.5 %', () => {
    const ranks = quantileRanks(100, 0.5);
    expect(ranks).toEqual({ lower: 40, upper: 61, method: 'exact-binomial' });
    expect(binomialCdf(100, 0.5, ranks.lower - 1)).toBeLessThanOrEqual(0.025);
    expect(binomialCdf(100, 0.5, ranks.lower)).toBeGreaterThan(0.025); // the largest such rank
    expect(binomialCdf(100, 0.5, ranks.upper - 1)).toBeGreaterThanOrEqual(0.975);
    expect(binomialCdf(100, 0.5, ranks.upper - 2)).toBeLessThan(0.975); // the smallest such rank
  });

  it('too few samples for p99: no sample bounds it from above', () => {
    const ranks = quantileRanks(100, 0.99);
    expect(ranks.upper).toBe(101);
    expect(ranks.lower).toBeGreaterThanOrEqual(95);
    expect(quantileRanks(1, 0.5)).toEqual({ lower: 0, upper: 2, method: 'exact-binomial' });
    expect(quantileRanks(0, 0.5)).toEqual({ lower: 0, upper: 1, method: 'exact-binomial' });
  });

  it('the normal approximation (used above 10^4 samples) is within a rank of the exact sums', () => {
    for (const n of [10_001, 20_000, 100_000]) {
      for (const q of [0.5, 0.95, 0.99]) {
        const exact = quantileRanks(n, q, 0.95, Infinity);
        const normal = quantileRanks(n, q, 0.95);
        expect(normal.method).toBe('normal-approximation');
        expect(Math.abs(normal.lower - exact.lower)).toBeLessThanOrEqual(1);
        expect(Math.abs(normal.upper - exact.upper)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('ten million samples take no time', () => {
    const started = performance.now();
    const ranks = quantileRanks(10_000_000, 0.99);
    expect(performance.now() - started).toBeLessThan(50);
    expect(ranks.lower).toBeLessThan(9_900_000);
    expect(ranks.upper).toBeGreaterThan(9_900_000);
    expect(ranks.upper - ranks.lower).toBeLessThan(2 * 1.96 * Math.sqrt(1e7 * 0.99 * 0.01) + 3);
  });

  it('covers the true quantile in ~95 % of 2,000 seeded trials', () => {
    const random = mulberry32(20261127);
    const n = 200;
    const q = 0.95;
    const trueQuantile = -Math.log(1 - q); // Exp(1)
    const { lower, upper } = quantileRanks(n, q);
    let covered = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const sample = Array.from({ length: n }, () => -Math.log(1 - random())).sort((a, b) => a - b);
      const low = sample[lower - 1] ?? -Infinity;
      const high = sample[upper - 1] ?? Infinity;
      if (low <= trueQuantile && trueQuantile <= high) covered++;
    }
    const coverage = covered / 2000;
    const exactCoverage = binomialCdf(n, q, upper - 1) - binomialCdf(n, q, lower - 1);
    expect(exactCoverage).toBeGreaterThanOrEqual(0.95);
    expect(coverage).toBeGreaterThan(0.93);
    expect(coverage).toBeLessThan(0.985);
    expect(Math.abs(coverage - exactCoverage)).toBeLessThan(3 * Math.sqrt((0.95 * 0.05) / 2000));
  });
});

describe('percentileCi on HDR histograms', () => {
  it('reads the bounds at their ranks: 1..1000 ms, median in [469, 532] ms', () => {
    const ci = percentileCi(encoded(Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000)), 0.5);
    expect(ci.count).toBe(1000);
    expect(ci.ranks.method).toBe('exact-binomial');
    expect(ci.lowMs).not.toBeNull();
    expect(ci.lowMs ?? 0).toBeGreaterThanOrEqual(ci.ranks.lower * 0.999);
    expect(ci.lowMs ?? 0).toBeLessThanOrEqual(ci.ranks.lower * 1.001);
    expect(ci.highMs ?? 0).toBeGreaterThanOrEqual(ci.ranks.upper * 0.999);
    expect(ci.highMs ?? 0).toBeLessThanOrEqual(ci.ranks.upper * 1.001);
    expect(ci.ranks.lower).toBeGreaterThan(460);
    expect(ci.ranks.upper).toBeLessThan(540);
  });

  it('empty: no bounds; one sample: no bounds; all equal: a zero-width interval', () => {
    expect(percentileCi(encoded([]), 0.95)).toMatchObject({ count: 0, lowMs: null, highMs: null });
    expect(percentileCi(encoded([4000]), 0.5)).toMatchObject({ count: 1, lowMs: null, highMs: null });
    const flat = percentileCi(encoded(Array.from({ length: 500 }, () => 5000)), 0.95);
    expect(flat.lowMs).toBeCloseTo(5, 2);
    expect(flat.highMs).toBe(flat.lowMs);
  });

  it('100 samples bound p99 from below only', () => {
    const ci = percentileCi(encoded(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000)), 0.99);
    expect(ci.highMs).toBeNull();
    expect(ci.lowMs).toBeGreaterThan(90);
  });

  it('rejects a percentile given as 95 instead of 0.95', () => {
    expect(() => percentileCi(encoded([1000]), 95)).toThrow(/quantile: expected a fraction/);
  });
});

describe('MLPerf early stopping (minimum samples at 99 % confidence)', () => {
  it('zero samples over target: p90 44, p95 90, p99 459, p99.9 4603', () => {
    expect(minSamplesFor(0.9)).toBe(44);
    expect(minSamplesFor(0.95)).toBe(90);
    expect(minSamplesFor(0.99)).toBe(459);
    expect(minSamplesFor(0.999)).toBe(4603);
  });

  it('one sample over target (the single-stream rule): p90 64 and p99 662, as loadgen prints', () => {
    expect(minSamplesFor(0.9, 0.99, 1)).toBe(64);
    expect(minSamplesFor(0.99, 0.99, 1)).toBe(662);
    expect(minSamplesFor(0.99, 0.99, 5)).toBeGreaterThan(minSamplesFor(0.99, 0.99, 1));
  });

  it('supportsPercentile is the boundary', () => {
    expect(supportsPercentile(458, 0.99)).toBe(false);
    expect(supportsPercentile(459, 0.99)).toBe(true);
    expect(supportsPercentile(89, 0.95)).toBe(false);
    expect(supportsPercentile(90, 0.95)).toBe(true);
    expect(supportsPercentile(0, 0.5)).toBe(false);
  });

  it('normalQuantile matches known z values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});
