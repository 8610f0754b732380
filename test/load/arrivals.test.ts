import { describe, expect, it } from 'vitest';
import { constantArrivals, createArrivals, poissonArrivals, type ArrivalSchedule } from '../../src/load/arrivals.js';

function take(schedule: ArrivalSchedule, count: number): number[] {
  return Array.from({ length: count }, () => schedule.next());
}

function gapsOf(offsetsMs: readonly number[]): number[] {
  return offsetsMs.slice(1).map((offset, i) => offset - (offsetsMs[i] as number));
}

describe('constantArrivals', () => {
  it('sends exactly 1000 / rate ms apart, starting at 0', () => {
    expect(take(constantArrivals(200), 5)).toEqual([0, 5, 10, 15, 20]);
    expect(take(constantArrivals(3), 3)).toEqual([0, 1000 / 3, 2000 / 3]);
  });

  it('does not drift over a long schedule', () => {
    const schedule = constantArrivals(3);
    let last = 0;
    for (let i = 0; i < 300_000; i++) last = schedule.next();
    expect(last).toBe((299_999 * 1000) / 3);
  });
});

describe('poissonArrivals', () => {
  const ratePerSec = 500;
  const draws = 100_000;

  it('has exponential gaps: mean 1000 / rate, coefficient of variation about 1', () => {
    const offsets = take(poissonArrivals(ratePerSec, 42), draws);
    expect(offsets[0]).toBe(0);
    const gaps = gapsOf(offsets);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / (gaps.length - 1);
    expect(mean).toBeGreaterThan(0.98 * (1000 / ratePerSec));
    expect(mean).toBeLessThan(1.02 * (1000 / ratePerSec));
    const cv = Math.sqrt(variance) / mean;
    expect(cv).toBeGreaterThan(0.97);
    expect(cv).toBeLessThan(1.03);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = take(poissonArrivals(ratePerSec, 7), 1000);
    expect(take(poissonArrivals(ratePerSec, 7), 1000)).toEqual(a);
    const b = take(poissonArrivals(ratePerSec, 8), 1000);
    expect(b).not.toEqual(a);
    expect(b.slice(1).every((offset, i) => offset !== a[i + 1])).toBe(true);
  });
});

describe('createArrivals', () => {
  it('builds the named process', () => {
    expect(take(createArrivals('constant', 100, 1), 3)).toEqual([0, 10, 20]);
    expect(take(createArrivals('poisson', 100, 5), 50)).toEqual(take(poissonArrivals(100, 5), 50));
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects rate %s', (rate) => {
    expect(() => createArrivals('constant', rate, 1)).toThrow(RangeError);
    expect(() => createArrivals('poisson', rate, 1)).toThrow(RangeError);
  });
});
